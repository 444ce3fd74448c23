package slackapp

import (
	"errors"
	"net/http"
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
