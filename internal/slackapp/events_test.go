package slackapp

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// blocksOf decodes a posted blocks field and checks Block Kit's limits.
func blocksOf(t *testing.T, form url.Values) slack.Blocks {
	t.Helper()
	var bs slack.Blocks
	if err := json.Unmarshal([]byte(form.Get("blocks")), &bs); err != nil {
		t.Fatalf("blocks are not valid Block Kit JSON: %v\n%s", err, form.Get("blocks"))
	}
	checkLimits(t, bs)
	return bs
}

func checkLimits(t *testing.T, bs slack.Blocks) {
	t.Helper()
	if n := len(bs.BlockSet); n == 0 || n > maxBlocks {
		t.Errorf("%d blocks", n)
	}
	for _, b := range bs.BlockSet {
		switch b := b.(type) {
		case *slack.SectionBlock:
			if err := b.Text.Validate(); err != nil {
				t.Errorf("section %s: %v", b.BlockID, err)
			}
		case *slack.ActionBlock:
			if n := len(b.Elements.ElementSet); n == 0 || n > 25 {
				t.Errorf("actions %s: %d elements", b.BlockID, n)
			}
			for _, e := range b.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok && len([]rune(btn.Text.Text)) > maxButtonText {
					t.Errorf("button %s text too long", btn.ActionID)
				}
			}
		}
	}
}

// buttons lists the buttons of the blocks by action id.
func buttons(bs slack.Blocks) map[string]*slack.ButtonBlockElement {
	out := map[string]*slack.ButtonBlockElement{}
	for _, b := range bs.BlockSet {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					out[btn.ActionID] = btn
				}
			}
		}
	}
	return out
}

func TestAnswerInThreadWithFormLink(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", message("CQUESTIONS", "channel", "U1", "1700000000.000100", "Quel est le salaire ?"))
	p := ta.fake.Next(t)
	if p.Get("channel") != "CQUESTIONS" || p.Get("thread_ts") != "1700000000.000100" {
		t.Errorf("posted to %s thread %s, want CQUESTIONS thread 1700000000.000100", p.Get("channel"), p.Get("thread_ts"))
	}
	if !strings.Contains(p.Get("text"), "3 500 €") || !strings.Contains(p.Get("text"), formURL) {
		t.Errorf("text = %q, want the answer and the form link", p.Get("text"))
	}
	if p.Get("unfurl_links") != "false" {
		t.Errorf("unfurl_links = %q", p.Get("unfurl_links"))
	}
	bs := blocksOf(t, p)
	btns := buttons(bs)
	if btns[actionApply] == nil || btns[actionApply].URL != formURL || btns[actionApply].Text.Text != "Postuler" {
		t.Errorf("no Postuler button to the form: %+v", btns[actionApply])
	}
	if btns[actionUp] == nil || btns[actionDown] == nil || btns[actionUp].Value != "1" {
		t.Errorf("feedback buttons = %+v, %+v; want value = question id 1", btns[actionUp], btns[actionDown])
	}
	if !strings.Contains(p.Get("blocks"), "Quel est le salaire ?") {
		t.Error("no context line naming the FAQ question")
	}
	ta.waitDelivered(t, 1)
	metrics := ta.serve(httptest.NewRequest("GET", "/metrics", nil)).Body.String()
	for _, want := range []string{"bot_replies_posted_total 1\n", `bot_questions_total{decision="answer"} 1`,
		`bot_events_total{result="accepted"} 1`, "# TYPE bot_queue_depth gauge"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
}

func TestWhoGetsAnswered(t *testing.T) {
	const q = "Quel est le salaire ?"
	edited := message("CQUESTIONS", "channel", "", "9.1", "")
	edited["subtype"] = "message_changed"
	edited["hidden"] = true
	edited["message"] = map[string]any{"type": "message", "user": "U1", "text": q, "ts": "1.1"}
	deleted := message("CQUESTIONS", "channel", "", "9.2", "")
	deleted["subtype"] = "message_deleted"
	deleted["deleted_ts"] = "1.1"
	join := message("CQUESTIONS", "channel", "U1", "9.3", "<@U1> a rejoint le canal")
	join["subtype"] = "channel_join"
	botNoSubtype := message("D1", "im", "UOTHERBOT", "9.4", q)
	botNoSubtype["bot_id"] = "B2"
	botMessage := message("CQUESTIONS", "channel", "", "9.5", q)
	botMessage["subtype"] = "bot_message"
	botMessage["bot_id"] = "B2"
	self := message("D1", "im", botUser, "9.6", q)
	selfBot := message("CQUESTIONS", "channel", botUser, "9.7", q)
	selfBot["bot_id"] = botID
	file := message("D1", "im", "U1", "9.8", q)
	file["subtype"] = "file_share"
	reply := message("COTHER", "channel", "U2", "9.10", q)
	reply["thread_ts"] = "9.9"
	threadInQuestions := message("CQUESTIONS", "channel", "U2", "9.11", q)
	threadInQuestions["thread_ts"] = "9.9"
	mentionInThread := event{"type": "app_mention", "channel": "COTHER", "user": "U3", "ts": "9.13",
		"thread_ts": "9.12", "text": "<@" + botUser + "> " + q}
	slackbot := message("D1", "im", "USLACKBOT", "9.16", q)
	dmInThread := message("D1", "im", "U1", "9.15", q)
	dmInThread["thread_ts"] = "9.14"

	cases := []struct {
		name   string
		ev     event
		answer bool
		thread string // expected thread_ts when answered
	}{
		{"top-level in a question channel", message("CQUESTIONS", "channel", "U1", "1.1", q), true, "1.1"},
		{"top-level elsewhere", message("COTHER", "channel", "U1", "1.2", q), false, ""},
		{"direct message", message("D1", "im", "U1", "1.3", q), true, "1.3"},
		{"mention elsewhere", event{"type": "app_mention", "channel": "COTHER", "user": "U1", "ts": "1.4",
			"text": "<@" + botUser + "> " + q}, true, "1.4"},
		{"message naming the bot elsewhere", message("COTHER", "channel", "U1", "1.5", "<@"+botUser+"|bin> "+q), true, "1.5"},
		{"mention in a thread", mentionInThread, true, "9.12"},
		{"direct message in a thread", dmInThread, true, "9.14"},
		{"thread reply elsewhere", reply, false, ""},
		{"thread reply in a question channel", threadInQuestions, false, ""},
		{"file shared with a question", file, true, "9.8"},
		{"edit", edited, false, ""},
		{"deletion", deleted, false, ""},
		{"join", join, false, ""},
		{"bot without subtype", botNoSubtype, false, ""},
		{"bot_message", botMessage, false, ""},
		{"itself", self, false, ""},
		{"itself, with its bot id", selfBot, false, ""},
		{"Slackbot in a direct message", slackbot, false, ""},
		{"private channel mention", event{"type": "app_mention", "channel": "GPRIV", "user": "U1", "ts": "1.6",
			"text": "<@" + botUser + "> " + q}, true, "1.6"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ta := newTestApp(t, newFakeSlack(t), "", true)
			ta.postEvent(t, "Ev"+string(rune('A'+i)), c.ev)
			n := total(ta.counts(t)) // recorded before the 200
			if !c.answer {
				if n != 0 {
					t.Fatalf("recorded %d questions, want none", n)
				}
				return
			}
			if n != 1 {
				t.Fatalf("recorded %d questions, want 1", n)
			}
			p := ta.fake.Next(t)
			if p.Get("thread_ts") != c.thread {
				t.Errorf("thread_ts = %q, want %q", p.Get("thread_ts"), c.thread)
			}
			if !strings.Contains(p.Get("text"), "3 500 €") {
				t.Errorf("text = %q: mention not stripped before matching?", p.Get("text"))
			}
		})
	}
}

func TestFollowUpBySameAsker(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", event{"type": "app_mention", "channel": "COTHER", "user": "U1", "ts": "5.1",
		"text": "<@" + botUser + "> Quel est le salaire ?"})
	ta.fake.Next(t)
	followUp := message("COTHER", "channel", "U1", "5.2", "Et le télétravail est-il possible ?")
	followUp["thread_ts"] = "5.1"
	ta.postEvent(t, "Ev2", followUp)
	if p := ta.fake.Next(t); p.Get("thread_ts") != "5.1" || !strings.Contains(p.Get("text"), "télétravail") {
		t.Errorf("follow-up reply = %v", p)
	}
	other := message("COTHER", "channel", "U2", "5.3", "Quel est le type de contrat ?")
	other["thread_ts"] = "5.1"
	ta.postEvent(t, "Ev3", other)
	if n := total(ta.counts(t)); n != 2 {
		t.Errorf("someone else's reply in the thread recorded: %d questions, want 2", n)
	}
}

func TestOneReplyPerQuestion(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	q := message("CQUESTIONS", "channel", "U1", "7.1", "<@"+botUser+"> Quel est le salaire ?")
	ta.postEvent(t, "Ev1", q)
	ta.postEvent(t, "Ev1", q, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")
	ta.postEvent(t, "Ev1", q, "X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_timeout")
	// The same message as an app_mention, with its own event id.
	ta.postEvent(t, "Ev2", event{"type": "app_mention", "channel": "CQUESTIONS", "user": "U1", "ts": "7.1",
		"text": "<@" + botUser + "> Quel est le salaire ?"})
	if n := total(ta.counts(t)); n != 1 {
		t.Fatalf("%d questions recorded, want 1", n)
	}
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	if n := ta.fake.Calls(); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	if got := value(t, ta.Metrics().events.WithLabelValues("duplicate")); got != 3 {
		t.Errorf("duplicates counted = %v, want 3", got)
	}
}

func TestSmallTalkAndFallback(t *testing.T) {
	cases := []struct {
		name, channel, channelType, text string
		want, not                        string
	}{
		{"greeting", "D1", "im", "bonjour", "Posez-moi votre question", "pas de réponse vérifiée"},
		{"fallback in a direct message is full", "D1", "im", "xyzzy plugh", "Le formulaire de candidature est ici", "l'équipe vous répondra ici"},
		{"fallback in a channel is discreet", "CQUESTIONS", "channel", "xyzzy plugh", "l'équipe vous répondra ici", "Le formulaire de candidature est ici"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ta := newTestApp(t, newFakeSlack(t), "", true)
			ta.postEvent(t, "Ev"+string(rune('A'+i)), message(c.channel, c.channelType, "U1", "3.1", c.text))
			p := ta.fake.Next(t)
			if !strings.Contains(p.Get("text"), c.want) || strings.Contains(p.Get("text"), c.not) {
				t.Errorf("text = %q, want %q and not %q", p.Get("text"), c.want, c.not)
			}
			if !strings.Contains(p.Get("text"), formURL) || buttons(blocksOf(t, p))[actionApply] == nil {
				t.Errorf("no form link in %q", p.Get("text"))
			}
		})
	}
}
