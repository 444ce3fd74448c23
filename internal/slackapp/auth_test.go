package slackapp

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// health returns /healthz's status and body.
func (ta *testApp) health(t *testing.T) (int, string) {
	t.Helper()
	w := ta.serve(httptest.NewRequest("GET", "/healthz", nil))
	body, _ := io.ReadAll(w.Body)
	return w.Code, string(body)
}

// waitHealth waits until /healthz's body contains want (or, with want
// "", says nothing of a pause).
func (ta *testApp) waitHealth(t *testing.T, want string) string {
	t.Helper()
	deadline := time.After(waitFor)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		code, body := ta.health(t)
		if code == 200 && ((want == "" && !strings.Contains(body, "paused")) || (want != "" && strings.Contains(body, want))) {
			return body
		}
		select {
		case <-deadline:
			t.Fatalf("/healthz = %d %q, want it to say %q", code, body, want)
		case <-tick.C:
		}
	}
}

// TestRevokedTokenPausesReplies: once Slack refuses the token, questions
// stay pending (new ones too), /healthz says why, and they are answered
// once the token is accepted again.
func TestRevokedTokenPausesReplies(t *testing.T) {
	for _, code := range []string{"invalid_auth", "token_revoked", "account_inactive"} {
		t.Run(code, func(t *testing.T) {
			fake := newFakeSlack(t)
			fake.RefuseToken(code)
			ta := newTestApp(t, fake, "", true, func(s setup) { s.box.CheckEvery = 5 * time.Millisecond })
			ta.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
			if body := ta.waitHealth(t, code); !strings.Contains(body, "ok\n") {
				t.Errorf("/healthz = %q", body)
			}
			ta.postEvent(t, "Ev2", message("D2", "im", "U2", "2.1", "Quel est le type de contrat ?"))
			if c := ta.counts(t); c[store.Pending] != 2 || c[store.Failed] != 0 {
				t.Fatalf("while the token is refused: %v, want 2 pending", c)
			}
			if got := ta.metric(t, "bot_replies_paused"); got != 1 {
				t.Errorf("bot_replies_paused = %v", got)
			}
			fake.RefuseToken("")
			got := map[string]bool{fake.Next(t).Get("channel"): true, fake.Next(t).Get("channel"): true}
			if !got["D1"] || !got["D2"] {
				t.Errorf("answered %v after the token came back", got)
			}
			ta.waitDelivered(t, 2)
			ta.waitHealth(t, "")
		})
	}
}

// TestTokensRevokedEventPausesReplies: Slack's tokens_revoked and
// app_uninstalled events pause replies before a post finds out.
func TestTokensRevokedEventPausesReplies(t *testing.T) {
	for _, ev := range []event{
		{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{botUser}}},
		{"type": "app_uninstalled"},
	} {
		t.Run(ev["type"].(string), func(t *testing.T) {
			fake := newFakeSlack(t)
			fake.RefuseToken("invalid_auth")
			ta := newTestApp(t, fake, "", true, func(s setup) { s.box.CheckEvery = 5 * time.Millisecond })
			ta.postEvent(t, "EvRevoked", ev)
			ta.waitHealth(t, ev["type"].(string))
			ta.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
			if n := fake.Calls(); n != 0 {
				t.Errorf("%d posts tried while paused", n)
			}
			fake.RefuseToken("")
			if p := fake.Next(t); p.Get("channel") != "D1" {
				t.Errorf("reply = %v", p)
			}
		})
	}
}
