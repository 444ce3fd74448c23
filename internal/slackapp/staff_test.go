package slackapp

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// replyJSON is a commandReply as Slack reads it.
type replyJSON = slackfake.Message

// command runs /bin text as user through the mux and returns the
// acknowledgement's reply.
func (ta *testApp) command(t *testing.T, user, text, responseURL string) replyJSON {
	t.Helper()
	body := url.Values{"command": {"/bin"}, "text": {text}, "user_id": {user}, "channel_id": {"C1"},
		"team_id": {"T1"}, "response_url": {responseURL}}.Encode()
	w := ta.serve(signed("POST", "/slack/commands", "application/x-www-form-urlencoded", []byte(body)))
	var msg replyJSON
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &msg) != nil {
		t.Fatalf("POST /slack/commands = %d %s", w.Code, w.Body)
	}
	if msg.ResponseType != slack.ResponseTypeEphemeral {
		t.Errorf("reply to %q is %q, want ephemeral", text, msg.ResponseType)
	}
	return msg
}

// commandDone runs a sub-command and returns its reply, from the ack or,
// when it takes longer than Slack's window (a reload learns the model),
// from the follow-up to response_url.
func (ta *testApp) commandDone(t *testing.T, user, text string) replyJSON {
	t.Helper()
	msg := ta.command(t, user, text, ta.fake.ResponseURL)
	if strings.Contains(msg.Text, "Je prépare") {
		msg = ta.fake.NextResponse(t)
	}
	return msg
}

// ask posts a direct message and waits for its reply.
func (ta *testApp) ask(t *testing.T, eventID, ts, text string) url.Values {
	t.Helper()
	ta.postEvent(t, eventID, message("D1", "im", "U1", ts, text))
	return ta.fake.Next(t)
}

func TestStaffStats(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.ask(t, "Ev1", "1.1", "Quel est le salaire ?")
	ta.ask(t, "Ev2", "1.2", "Y a-t-il une cantine le midi ?")
	ta.ask(t, "Ev3", "1.3", "bonjour")
	ta.waitDelivered(t, 3)
	ta.click(t, blockActions("U1", actionDown, "1", "D1", "9.9", "1.1", "t1"))
	got := ta.command(t, "USTAFF", "stats today", "")
	for _, want := range []string{"*Questions d'aujourd'hui*", "• Questions : *2* (avant 0)", "• Répondues : 50 % (1) · avant –",
		"• Sans réponse : 50 % (1)", "👍 0 · 👎 1", "salaire 1", "messages privés 2", "Politesses (bonjour, merci…), hors questions : 1"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("stats lack %q:\n%s", want, got.Text)
		}
	}
	if got := ta.command(t, "USTAFF", "stats all", ""); !strings.Contains(got.Text, "depuis le début") || strings.Contains(got.Text, "avant") {
		t.Errorf("stats all:\n%s", got.Text)
	}
	if got := ta.command(t, "USTAFF", "stats lundi", ""); !strings.Contains(got.Text, "Période inconnue") {
		t.Errorf("stats lundi: %s", got.Text)
	}
	if got := ta.command(t, "U1", "stats", ""); !strings.Contains(got.Text, "réservée à l'équipe") {
		t.Errorf("candidate got %s", got.Text)
	}
}

// A slow sub-command is acknowledged at once and answered via response_url.
func TestSlowCommandFollowsUpViaResponseURL(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", false, func(s setup) { s.app.AckWithin = time.Nanosecond })
	release := make(chan struct{})
	ta.console.Handle("slow", console.Command{Usage: "slow", Summary: "test", Run: func(context.Context, string, []string) console.Reply {
		<-release
		return console.Reply{Text: "done"}
	}})
	ack := ta.command(t, "USTAFF", "slow", ta.fake.ResponseURL)
	close(release)
	if !strings.Contains(ack.Text, "Je prépare") {
		t.Errorf("ack = %q", ack.Text)
	}
	if got := ta.fake.NextResponse(t); got.Text != "done" || got.ResponseType != slack.ResponseTypeEphemeral {
		t.Errorf("follow-up = %+v", got)
	}
}

func TestUnansweredAttachAppliesLive(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	const q = "Y a-t-il une cantine le midi ?"
	if got := ta.ask(t, "Ev1", "1.1", q); !strings.Contains(got.Get("text"), "pas de réponse vérifiée") {
		t.Fatalf("first reply is not the fallback: %s", got.Get("text"))
	}
	ta.ask(t, "Ev2", "1.2", "Quel est le salaire ?")
	ta.waitDelivered(t, 2)
	ta.click(t, blockActions("U1", actionDown, "2", "D1", "9.9", "1.2", "t1"))

	msg := ta.command(t, "USTAFF", "unanswered", ta.fake.ResponseURL)
	if strings.Contains(msg.Text, "Je prépare") { // too big to go in the ack
		msg = ta.fake.NextResponse(t)
	}
	blocks := msg.Blocks
	for _, want := range []string{q, "Quel est le salaire ?", `"block_id":"unanswered-1"`, `"block_id":"unanswered-2"`,
		`"action_id":"attach_alternate"`, `"value":"teletravail"`, "notée 👎", "sans réponse"} {
		if !strings.Contains(string(blocks), want) {
			t.Errorf("unanswered blocks lack %q:\n%s", want, blocks)
		}
	}

	ta.click(t, attachAction("USTAFF", "unanswered-1", "teletravail", ta.fake.ResponseURL))
	if got := ta.fake.NextResponse(t); !strings.Contains(got.Text, "est maintenant une formulation de *teletravail*") {
		t.Fatalf("attach reply = %q", got.Text)
	}
	// Live: the same question now gets that entry's answer.
	if got := ta.ask(t, "Ev3", "1.3", q); !strings.Contains(got.Get("text"), "télétravail par semaine") {
		t.Errorf("after attaching, reply = %s", got.Get("text"))
	}
	// Attached questions leave the list; another entry's own question is refused.
	msg = ta.command(t, "USTAFF", "unanswered 10", ta.fake.ResponseURL)
	if strings.Contains(msg.Text, "Je prépare") {
		msg = ta.fake.NextResponse(t)
	}
	if strings.Contains(msg.Text, "cantine") {
		t.Errorf("attached question still listed:\n%s", msg.Text)
	}
	ta.click(t, attachAction("USTAFF", "unanswered-2", "teletravail", ta.fake.ResponseURL))
	if got := ta.fake.NextResponse(t); !strings.Contains(got.Text, "n'a pas été rattachée") {
		t.Errorf("attaching a duplicate wording = %q", got.Text)
	}
	ta.click(t, attachAction("U1", "unanswered-2", "contrat", ta.fake.ResponseURL))
	if got := ta.fake.NextResponse(t); !strings.Contains(got.Text, "réservée") {
		t.Errorf("a candidate attaching = %q", got.Text)
	}
	alts, _ := ta.store.Alternates(t.Context())
	if len(alts) != 1 || alts[0].EntryID != "teletravail" || alts[0].AddedBy != "USTAFF" {
		t.Errorf("stored alternates = %+v", alts)
	}
}

func attachAction(user, blockID, entry, responseURL string) []byte {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": "trig", "api_app_id": "A1",
		"team": map[string]any{"id": "T1"}, "user": map[string]any{"id": user},
		"container":    map[string]any{"type": "message", "is_ephemeral": true},
		"response_url": responseURL,
		"actions": []map[string]any{{"action_id": actionAttach, "block_id": blockID, "type": "static_select",
			"selected_option": map[string]any{"value": entry, "text": map[string]any{"type": "plain_text", "text": entry}},
			"action_ts":       "1.5"}},
	})
	return []byte(url.Values{"payload": {string(payload)}}.Encode())
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "faq.yaml")
	orig, err := os.ReadFile("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, orig, 0o644)
	announcement, err := os.ReadFile("testdata/announcement.md")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "announcement.md"), announcement, 0o644)
	ta := newTestApp(t, newFakeSlack(t), "", true, func(s setup) { s.faq.Path = path })

	grown := strings.Replace(string(orig), "smalltalk:", `  - id: cantine
    question: Y a-t-il une cantine ?
    answer: |
      Oui, un restaurant administratif.
    sources:
      - section: Conditions
        quote: "Un CDD de 2 ans"

smalltalk:`, 1)
	grown = strings.Replace(grown, "\nsmalltalk:", "smalltalk:", 1)
	os.WriteFile(path, []byte(grown), 0o644)
	if got := ta.commandDone(t, "USTAFF", "reload"); !strings.Contains(got.Text, "FAQ rechargée : 4 entrées") {
		t.Fatalf("reload = %q", got.Text)
	}
	if got := ta.ask(t, "Ev1", "1.1", "Y a-t-il une cantine ?"); !strings.Contains(got.Get("text"), "restaurant administratif") {
		t.Errorf("after reload, reply = %s", got.Get("text"))
	}

	broken := strings.Replace(grown, "id: cantine", "id: salaire", 1)
	os.WriteFile(path, []byte(broken), 0o644)
	got := ta.commandDone(t, "USTAFF", "reload")
	if !strings.Contains(got.Text, "refusé") || !strings.Contains(got.Text, `duplicate id \"salaire\"`) && !strings.Contains(got.Text, `duplicate id "salaire"`) {
		t.Errorf("reload of a broken file = %q", got.Text)
	}
	if n := len(ta.matcher.Load().FAQ().Entries); n != 4 {
		t.Errorf("after a refused reload, %d entries, want the 4 still running", n)
	}
	os.WriteFile(path, []byte("form_url: ["), 0o644)
	if got := ta.commandDone(t, "USTAFF", "reload"); !strings.Contains(got.Text, "refusé") {
		t.Errorf("reload of unparseable YAML = %q", got.Text)
	}
}

// Socket Mode runs the same staff commands; the reply rides on the ack.
func TestStaffCommandOverSocketMode(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", false)
	ack := &fakeAcker{}
	ta.handleSocket(t.Context(), socketmode.Event{Type: socketmode.EventTypeSlashCommand,
		Data:    slack.SlashCommand{Command: "/bin", Text: "stats 30d", UserID: "USTAFF"},
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "env-1"}}, ack)
	msg, ok := ack.acks["env-1"].(commandReply)
	if !ok || !strings.Contains(msg.Text, "des 30 derniers jours") {
		t.Errorf("socket ack payload = %#v", ack.acks["env-1"])
	}
}

// TestUnansweredIsEscapedOnce: Slack sends "<" and "&" as entities; staff
// read them as typed, not as "&amp;lt;".
func TestUnansweredIsEscapedOnce(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.ask(t, "Ev1", "1.1", "Y a-t-il une cantine &amp; des tickets &lt;resto&gt; ?")
	ta.waitDelivered(t, 1)
	msg := ta.command(t, "USTAFF", "unanswered", ta.fake.ResponseURL)
	if strings.Contains(msg.Text, "Je prépare") {
		msg = ta.fake.NextResponse(t)
	}
	blocks := string(msg.Blocks)
	if !strings.Contains(blocks, `cantine \u0026amp; des tickets \u0026lt;resto\u0026gt;`) && !strings.Contains(blocks, "cantine &amp; des tickets &lt;resto&gt;") {
		t.Errorf("question not shown as asked:\n%s", blocks)
	}
	if strings.Contains(blocks, "amp;lt;") || strings.Contains(blocks, "amp;amp;") {
		t.Errorf("escaped twice:\n%s", blocks)
	}
}
