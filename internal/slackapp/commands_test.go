package slackapp

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

func TestStaffCommand(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", false)
	cases := []struct {
		name, user, text string
		want             string
	}{
		{"staff help", "USTAFF", "help", "/bin help"},
		{"staff, no sub-command", "USTAFF", "", "/bin help"},
		{"staff, unknown sub-command", "USTAFF", "frobnicate", "/bin help"},
		{"candidate", "U1", "help", "réservée à l'équipe"},
		{"candidate trying stats", "U1", "stats", "réservée à l'équipe"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := url.Values{"command": {"/bin"}, "text": {c.text}, "user_id": {c.user}, "channel_id": {"C1"},
				"team_id": {"T1"}, "response_url": {"https://hooks.slack.com/commands/1"}}.Encode()
			w := ta.serve(signed("POST", "/slack/commands", "application/x-www-form-urlencoded", []byte(body)))
			var msg slack.Msg
			if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &msg) != nil {
				t.Fatalf("POST /slack/commands = %d %s", w.Code, w.Body)
			}
			if msg.ResponseType != slack.ResponseTypeEphemeral || !strings.Contains(msg.Text, c.want) {
				t.Errorf("reply = %+v, want ephemeral with %q", msg, c.want)
			}
		})
	}
	w := ta.serve(signed("POST", "/slack/commands", "application/x-www-form-urlencoded", []byte("ssl_check=1&token=x")))
	if w.Code != 200 {
		t.Errorf("ssl_check = %d", w.Code)
	}
}
