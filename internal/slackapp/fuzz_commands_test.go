package slackapp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/slack-go/slack"
)

// FuzzCommandText sends the staff slash command with any text, from staff
// or anyone, through the real /slack/commands route, signed or not. Only a
// signed request is answered; a stranger only ever gets the refusal; no
// command records a question; the reply is always well-formed JSON.
func FuzzCommandText(f *testing.F) {
	ta := newTestApp(f, newFakeSlack(f), "", false)
	for _, text := range []string{"", "help", "stats", "unanswered 7", "reload", "announce preview", "HELP", "  help  extra ",
		"stats\x00", "annonce «test» 🎉", "\xff\xfe", "/bin stats"} {
		f.Add(text, "U1", true, uint8(signedProperly), "")
		f.Add(text, "U1", false, uint8(signedProperly), "")
	}
	f.Add("help", "", false, uint8(signedProperly), "")
	f.Add("help", "USTAFF", false, uint8(signedNot), "")
	f.Add("stats", "USTAFF", true, uint8(signedWrongSecret), "")
	f.Add("stats", "USTAFF", true, uint8(signedStale), "")
	f.Add("stats", "USTAFF", true, uint8(signedGarbage), "v0=")
	f.Fuzz(func(t *testing.T, text, user string, staff bool, how uint8, garbage string) {
		if staff {
			user = "USTAFF"
		}
		body := []byte(url.Values{"command": {"/bin"}, "text": {text}, "user_id": {user}, "user_name": {"x"},
			"channel_id": {"C1"}, "team_id": {"T1"}, "response_url": {"https://hooks.slack.com/commands/1"},
			"trigger_id": {"1.2.3"}}.Encode())
		before := ta.fuzzState(t)
		w := ta.serve(fuzzRequest(how, "/slack/commands", "application/x-www-form-urlencoded", body, garbage))
		after := ta.fuzzState(t)
		if how%signingWays != signedProperly {
			checkRefused(t, w, before, after)
			return
		}
		if user == "" {
			if w.Code != http.StatusBadRequest {
				t.Fatalf("command without user_id answered %d", w.Code)
			}
			return
		}
		if w.Code != http.StatusOK {
			t.Fatalf("command %q from %q answered %d %q", text, user, w.Code, w.Body)
		}
		var reply struct {
			ResponseType string `json:"response_type"`
			Text         string `json:"text"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil || reply.Text == "" {
			t.Fatalf("command %q reply %q: %v", text, w.Body, err)
		}
		if reply.ResponseType != slack.ResponseTypeEphemeral && reply.ResponseType != slack.ResponseTypeInChannel {
			t.Fatalf("command %q response_type %q", text, reply.ResponseType)
		}
		if after.questions != before.questions {
			t.Fatalf("command %q recorded a question", text)
		}
		if user != "USTAFF" && (reply.Text != refusal || reply.ResponseType != slack.ResponseTypeEphemeral ||
			after.slackCalls != before.slackCalls || after.votes != before.votes) {
			t.Fatalf("stranger %q ran %q: %+v, state %+v -> %+v", user, text, reply, before, after)
		}
	})
}
