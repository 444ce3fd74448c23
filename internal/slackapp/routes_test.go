package slackapp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRequestChecks(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	question := callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	big := bytes.Repeat([]byte("a"), 2<<20)
	unsigned := func(path string, body []byte) *http.Request {
		return httptest.NewRequest("POST", path, bytes.NewReader(body))
	}
	withSig := func(r *http.Request, ts, sig string) *http.Request {
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", sig)
		return r
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	cases := []struct {
		name string
		req  *http.Request
		code int
		body string
	}{
		{"events: no signature", unsigned("/slack/events", question), 401, ""},
		{"events: wrong signature", withSig(unsigned("/slack/events", question), now, sign("other", now, question)), 401, ""},
		{"events: stale signature", withSig(unsigned("/slack/events", question), stale, sign(testSecret, stale, question)), 401, ""},
		{"events: 2 MiB", signed("POST", "/slack/events", "application/json", big), 413, ""},
		{"events: 2 MiB unsigned", unsigned("/slack/events", big), 413, ""},
		{"events: not JSON", signed("POST", "/slack/events", "application/json", []byte("{nope")), 400, ""},
		{"events: no type", signed("POST", "/slack/events", "application/json", []byte(`{"event_id":"Ev9"}`)), 400, ""},
		{"events: callback without event_id", signed("POST", "/slack/events", "application/json",
			[]byte(`{"type":"event_callback","event":{"type":"message","text":"x","channel":"D1","ts":"1.1","user":"U1"}}`)), 400, ""},
		{"events: challenge", signed("POST", "/slack/events", "application/json",
			[]byte(`{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)),
			200, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"},
		{"events: challenge unsigned", unsigned("/slack/events", []byte(`{"challenge":"abc","type":"url_verification"}`)), 401, ""},
		{"events: unknown inner event", signed("POST", "/slack/events", "application/json",
			[]byte(`{"type":"event_callback","event_id":"Ev8","event":{"type":"no_such_event"}}`)), 200, ""},
		{"events: app_rate_limited", signed("POST", "/slack/events", "application/json",
			[]byte(`{"type":"app_rate_limited","minute_rate_limited":1518467820}`)), 200, ""},
		{"commands: no signature", unsigned("/slack/commands", []byte("user_id=USTAFF&text=help")), 401, ""},
		{"commands: 2 MiB", signed("POST", "/slack/commands", "application/x-www-form-urlencoded", big), 413, ""},
		{"commands: bad form", signed("POST", "/slack/commands", "application/x-www-form-urlencoded", []byte("%zz")), 400, ""},
		{"interactions: no signature", unsigned("/slack/interactions", []byte("payload={}")), 401, ""},
		{"interactions: 2 MiB", signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", big), 413, ""},
		{"interactions: no payload", signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", []byte("a=b")), 400, ""},
		{"interactions: payload not JSON", signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", []byte("payload=%7Bnope")), 400, ""},
		{"healthz", httptest.NewRequest("GET", "/healthz", nil), 200, "ok"},
		{"metrics", httptest.NewRequest("GET", "/metrics", nil), 200, "bot_replies_posted_total"},
		{"events: GET", httptest.NewRequest("GET", "/slack/events", nil), 405, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := ta.serve(c.req)
			if w.Code != c.code || !strings.Contains(w.Body.String(), c.body) {
				t.Errorf("%s %s = %d %q, want %d with %q", c.req.Method, c.req.URL.Path, w.Code, w.Body, c.code, c.body)
			}
		})
	}
	// A refused request does nothing.
	if n := total(ta.counts(t)); n != 0 {
		t.Errorf("%d questions recorded from refused requests", n)
	}
	if n := ta.fake.Calls(); n != 0 {
		t.Errorf("%d posts for refused requests", n)
	}
}

func TestHealthWhenDatabaseIsGone(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", false)
	ta.store.Close()
	if w := ta.serve(httptest.NewRequest("GET", "/healthz", nil)); w.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz with the database closed = %d, want 503", w.Code)
	}
}
