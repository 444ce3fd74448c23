package slackapp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzEvents sends strangers' bodies, signed and not, through the real mux:
// the handler never panics and answers only with the contract's codes.
func FuzzEvents(f *testing.F) {
	ta := newTestApp(f, newFakeSlack(f), "", false)
	f.Add([]byte(`{"type":"url_verification","challenge":"abc"}`), true, "")
	f.Add(callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?")), true, "")
	f.Add(callback("Ev2", event{"type": "app_mention", "channel": "C1", "user": "U1", "ts": "1.2", "text": "<@UBOT>"}), true, "1")
	f.Add([]byte(`{"type":"event_callback","event_id":"E","event":{"type":"message","subtype":"message_changed","message":{"text":1}}}`), true, "")
	f.Add([]byte(`{"type":"event_callback","event_id":"E","event":null}`), true, "")
	f.Add([]byte(`{`), false, "v0=00")
	f.Add([]byte{}, false, "")
	f.Fuzz(func(t *testing.T, body []byte, sign bool, sig string) {
		var r *http.Request
		if sign {
			r = signed("POST", "/slack/events", "application/json", body)
		} else {
			r = httptest.NewRequest("POST", "/slack/events", bytes.NewReader(body))
			r.Header.Set("X-Slack-Request-Timestamp", "1531420618")
			r.Header.Set("X-Slack-Signature", sig)
		}
		w := ta.serve(r)
		switch {
		case !sign && w.Code != http.StatusUnauthorized:
			t.Fatalf("unsigned body answered %d", w.Code)
		case w.Code != 200 && w.Code != 400 && w.Code != 401 && w.Code != 413:
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}

// FuzzForms does the same for slash commands and button clicks.
func FuzzForms(f *testing.F) {
	ta := newTestApp(f, newFakeSlack(f), "", false)
	f.Add("/slack/commands", []byte("command=%2Fbin&text=help&user_id=USTAFF"))
	f.Add("/slack/commands", []byte("text=stats&user_id=U1"))
	f.Add("/slack/interactions", blockActions("U1", actionPick+"0", "1:salaire", "C1", "1.1", "1.0", "t"))
	f.Add("/slack/interactions", blockActions("U1", actionUp, "x", "C1", "1.1", "", ""))
	f.Add("/slack/interactions", []byte("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%7D%5D%7D"))
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		if path != "/slack/commands" {
			path = "/slack/interactions"
		}
		w := ta.serve(signed("POST", path, "application/x-www-form-urlencoded", body))
		if w.Code != 200 && w.Code != 400 {
			t.Fatalf("POST %s %q = %d", path, body, w.Code)
		}
	})
}
