package slackapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxBody is the largest request body accepted on /slack/*.
const maxBody = 1 << 20

// maxSkew is how far a request's timestamp may be from our clock.
const maxSkew = 5 * time.Minute

var (
	errBodyTooLarge = errors.New("request body over 1 MiB")
	errUnsigned     = errors.New("missing slack signature headers")
	errStale        = errors.New("slack request timestamp too far from now")
	errBadSignature = errors.New("wrong slack signature")
)

// sign computes Slack's request signature: v0= and the hex HMAC-SHA256 of
// "v0:ts:body" keyed with the signing secret.
func sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// verify checks a request's signature and age. It is slack.SecretsVerifier
// with a clock we can set, so that Slack's documented example is testable.
func verify(h http.Header, body []byte, secret string, now time.Time) error {
	ts, got := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if ts == "" || got == "" || secret == "" {
		return errUnsigned
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", errBadSignature, ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	if !hmac.Equal([]byte(got), []byte(sign(secret, ts, body))) {
		return errBadSignature
	}
	return nil
}

// readBody reads at most maxBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, errBodyTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errBodyTooLarge
		}
		return nil, fmt.Errorf("read request body: %w", err)
	}
	return body, nil
}

// signedBody reads and verifies a /slack/* request. On failure it has
// written the status (413, 401, 400) and returns ok=false: nothing else may
// be done with the request.
func (a *App) signedBody(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	body, err := readBody(w, r)
	switch {
	case errors.Is(err, errBodyTooLarge):
		a.metrics.refused.WithLabelValues("too_large").Inc()
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	case err != nil:
		a.metrics.refused.WithLabelValues("unreadable").Inc()
		http.Error(w, "bad request", http.StatusBadRequest)
		return nil, false
	}
	if err := verify(r.Header, body, a.cfg.SigningSecret, a.now()); err != nil {
		a.metrics.refused.WithLabelValues("signature").Inc()
		a.log.Warn("refused unsigned slack request", "path", r.URL.Path, "err", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}
