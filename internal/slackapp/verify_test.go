package slackapp

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Slack's documented example (SLACK.md section 0).
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = "1531420618"
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestSignDocumentedExample(t *testing.T) {
	if got := sign(docSecret, docTimestamp, []byte(docBody)); got != docSignature {
		t.Fatalf("sign = %s, want %s", got, docSignature)
	}
}

func TestVerify(t *testing.T) {
	at := time.Unix(1531420618, 0)
	header := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		return h
	}
	cases := []struct {
		name   string
		h      http.Header
		body   string
		secret string
		now    time.Time
		want   error
	}{
		{"documented example", header(docTimestamp, docSignature), docBody, docSecret, at, nil},
		{"4 minutes later", header(docTimestamp, docSignature), docBody, docSecret, at.Add(4 * time.Minute), nil},
		{"6 minutes later", header(docTimestamp, docSignature), docBody, docSecret, at.Add(6 * time.Minute), errStale},
		{"6 minutes early", header(docTimestamp, docSignature), docBody, docSecret, at.Add(-6 * time.Minute), errStale},
		{"body changed", header(docTimestamp, docSignature), docBody + "x", docSecret, at, errBadSignature},
		{"other secret", header(docTimestamp, docSignature), docBody, "other", at, errBadSignature},
		{"no v0= prefix", header(docTimestamp, strings.TrimPrefix(docSignature, "v0=")), docBody, docSecret, at, errBadSignature},
		{"bad timestamp", header("yesterday", docSignature), docBody, docSecret, at, errBadSignature},
		{"no signature", header(docTimestamp, ""), docBody, docSecret, at, errUnsigned},
		{"no timestamp", header("", docSignature), docBody, docSecret, at, errUnsigned},
		{"no secret configured", header(docTimestamp, docSignature), docBody, "", at, errUnsigned},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := verify(c.h, []byte(c.body), c.secret, c.now); !errors.Is(err, c.want) {
				t.Errorf("verify = %v, want %v", err, c.want)
			}
		})
	}
}

// watchedBody is a request body that reports whether it was read.
type watchedBody struct {
	r    io.Reader
	read bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.read = true
	return b.r.Read(p)
}

// TestUnsignedRequestsAreRefusedUnread: without fresh signature headers a
// request is refused before its body is read, with no warning in the log.
func TestUnsignedRequestsAreRefusedUnread(t *testing.T) {
	var log logBuffer
	ta := newTestApp(t, newFakeSlack(t), "", false, logTo(&log))
	body := callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	stale := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	cases := map[string]http.Header{
		"no headers":    {},
		"no signature":  {"X-Slack-Request-Timestamp": {strconv.FormatInt(time.Now().Unix(), 10)}},
		"stale":         {"X-Slack-Request-Timestamp": {stale}, "X-Slack-Signature": {sign(testSecret, stale, body)}},
		"bad timestamp": {"X-Slack-Request-Timestamp": {"yesterday"}, "X-Slack-Signature": {"v0=00"}},
	}
	for name, h := range cases {
		for _, path := range []string{"/slack/events", "/slack/interactions", "/slack/commands"} {
			t.Run(name+path, func(t *testing.T) {
				wb := &watchedBody{r: bytes.NewReader(body)}
				r := httptest.NewRequest("POST", path, wb)
				r.ContentLength = -1 // as a chunked body: nothing says it is small
				r.Header = h.Clone()
				if w := ta.serve(r); w.Code != http.StatusUnauthorized {
					t.Errorf("= %d, want 401", w.Code)
				}
				if wb.read && !(path == "/slack/commands" && h.Get("X-Slack-Signature") == "") {
					t.Error("the body was read")
				}
			})
		}
	}
	if strings.Contains(log.String(), "level=WARN") {
		t.Errorf("unsigned requests logged a warning:\n%s", log.String())
	}
	if n := total(ta.counts(t)); n != 0 {
		t.Errorf("%d questions recorded", n)
	}
}

// TestSSLCheckIsAnswered: Slack's ssl_check on the slash command URL
// comes unsigned; it gets 200 and does nothing.
func TestSSLCheckIsAnswered(t *testing.T) {
	var log logBuffer
	ta := newTestApp(t, newFakeSlack(t), "", false, logTo(&log))
	r := httptest.NewRequest("POST", "/slack/commands", strings.NewReader("ssl_check=1&token=legacy"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if w := ta.serve(r); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("ssl_check = %d %q, want an empty 200", w.Code, w.Body)
	}
	if strings.Contains(log.String(), "level=WARN") {
		t.Errorf("ssl_check logged a warning:\n%s", log.String())
	}
	// Anything else unsigned is still refused.
	r = httptest.NewRequest("POST", "/slack/commands", strings.NewReader("ssl_check=0&user_id=USTAFF&text=help"))
	if w := ta.serve(r); w.Code != http.StatusUnauthorized {
		t.Errorf("unsigned command = %d, want 401", w.Code)
	}
}
