package slackapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
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
	if err := verifyHeaders(h, secret, now); err != nil {
		return err
	}
	ts, got := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if !hmac.Equal([]byte(got), []byte(sign(secret, ts, body))) {
		return errBadSignature
	}
	return nil
}

// verifyHeaders checks what can be checked before the body is read: the
// signature headers are there and the timestamp is fresh.
func verifyHeaders(h http.Header, secret string, now time.Time) error {
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
	return nil
}

// readBody reads at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errBodyTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
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
// be done with the request. A request without fresh signature headers is
// refused before its body is read, and logged only at debug: anyone can
// send one.
func (a *App) signedBody(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	if r.ContentLength > maxBody {
		a.metrics.refused.WithLabelValues("too_large").Inc()
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	if err := verifyHeaders(r.Header, a.cfg.SigningSecret, a.now()); err != nil {
		a.refuseUnsigned(w, r, err, slog.LevelDebug)
		return nil, false
	}
	body, err := readBody(w, r, maxBody)
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
		a.refuseUnsigned(w, r, err, slog.LevelWarn)
		return nil, false
	}
	return body, true
}

func (a *App) refuseUnsigned(w http.ResponseWriter, r *http.Request, err error, level slog.Level) {
	a.metrics.refused.WithLabelValues("signature").Inc()
	a.log.Log(r.Context(), level, "refused unsigned slack request", "path", r.URL.Path, "err", err)
	http.Error(w, "invalid signature", http.StatusUnauthorized)
}

// maxSSLCheck bounds what is read of an unsigned request that may be
// Slack's ssl_check: "ssl_check=1&token=...".
const maxSSLCheck = 1 << 10

// sslCheck answers Slack's ssl_check, which Slack sends to a slash
// command's URL unsigned, as Slack's SDKs do: 200 and nothing else. It
// reports whether the request was one; any other unsigned request has
// then been refused with 401.
func (a *App) sslCheck(w http.ResponseWriter, r *http.Request) (handled bool) {
	if r.Header.Get("X-Slack-Signature") != "" || r.ContentLength > maxSSLCheck {
		return false
	}
	body, err := readBody(w, r, maxSSLCheck)
	form, perr := url.ParseQuery(string(body))
	if err == nil && perr == nil && form.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return true
	}
	a.refuseUnsigned(w, r, errUnsigned, slog.LevelDebug)
	return true
}
