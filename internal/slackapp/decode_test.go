package slackapp

import (
	"strings"
	"testing"
)

// TestEventSlackGoCannotDecodeIsAnswered: a message with a block element
// slack-go does not know, and one whose file fields are strings (as other
// SDKs send them), are still recorded and answered.
func TestEventSlackGoCannotDecodeIsAnswered(t *testing.T) {
	unknownBlock := message("D1", "im", "U1", "1.1", "Quel est le salaire ?")
	unknownBlock["blocks"] = []any{map[string]any{"type": "actions", "block_id": "b1", "elements": []any{
		map[string]any{"type": "brand_new_element", "action_id": "x"}}}}
	stringFields := message("D2", "im", "U2", "2.1", "Quel est le salaire ?")
	stringFields["subtype"] = "file_share"
	stringFields["files"] = []any{map[string]any{"id": "F1", "original_h": "512", "original_w": "640"}}
	for name, ev := range map[string]event{"unknown block element": unknownBlock, "file fields as strings": stringFields} {
		t.Run(name, func(t *testing.T) {
			ta := newTestApp(t, newFakeSlack(t), "", true)
			ta.postEvent(t, "Ev1", ev)
			if n := total(ta.counts(t)); n != 1 {
				t.Fatalf("%d questions recorded, want 1", n)
			}
			if p := ta.fake.Next(t); !strings.Contains(p.Get("text"), "3 500 €") {
				t.Errorf("reply = %q", p.Get("text"))
			}
		})
	}
}

// TestForwardedMessageIsAnswered: a message forwarded without a comment
// has an empty text; its words are in the attachment.
func TestForwardedMessageIsAnswered(t *testing.T) {
	section := map[string]any{"type": "rich_text_section", "elements": []any{map[string]any{"type": "text", "text": "Quel est le salaire ?"}}}
	cases := map[string]map[string]any{
		"attachment text": {"is_share": true, "text": "Quel est le salaire ?", "fallback": "[1.1] Quel est le salaire ?"},
		"message blocks only": {"is_share": true, "message_blocks": []any{map[string]any{"team": "T1", "channel": "C9", "ts": "1.1",
			"message": map[string]any{"blocks": []any{map[string]any{"type": "rich_text", "elements": []any{section}}}}}}},
	}
	for name, att := range cases {
		t.Run(name, func(t *testing.T) {
			ta := newTestApp(t, newFakeSlack(t), "", true)
			fwd := message("D1", "im", "U1", "3.1", "")
			fwd["attachments"] = []any{att}
			ta.postEvent(t, "Ev1", fwd)
			if p := ta.fake.Next(t); !strings.Contains(p.Get("text"), "3 500 €") {
				t.Errorf("reply to a forward = %q", p.Get("text"))
			}
		})
	}
}

// TestBareMentionGetsAGreeting: "@bot" alone is greeted with what the bot
// can do, counted as small talk, not the fallback.
func TestBareMentionGetsAGreeting(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", event{"type": "app_mention", "channel": "COTHER", "user": "U1", "ts": "4.1", "text": "<@" + botUser + ">"})
	p := ta.fake.Next(t)
	text := p.Get("text")
	if !strings.Contains(text, "Bonjour") || !strings.Contains(text, canDo) || strings.Contains(text, "pas de réponse vérifiée") {
		t.Errorf("reply to a bare mention = %q", text)
	}
	btns := buttons(blocksOf(t, p))
	if btns[actionPick+"0"] == nil || btns[actionPick+"0"].Value != "1:salaire" || btns[actionApply] == nil {
		t.Errorf("greeting offers no FAQ question to pick: %v", p.Get("blocks"))
	}
	ta.waitDelivered(t, 1)
	if q, err := ta.store.Unanswered(t.Context(), 5); err != nil || len(q) != 0 {
		t.Errorf("a greeting is left for staff: %v, %v", q, err)
	}
}

// TestDroppedEventIsLoggedAtDebug: an event not addressed to the bot
// leaves a debug line saying why.
func TestDroppedEventIsLoggedAtDebug(t *testing.T) {
	var log logBuffer
	ta := newTestApp(t, newFakeSlack(t), "", false, logTo(&log))
	ta.postEvent(t, "EvDropped", message("COTHER", "channel", "U1", "5.1", "Quel est le salaire ?"))
	if got := log.String(); !strings.Contains(got, "event_id=EvDropped") || !strings.Contains(got, "reason=not_addressed") {
		t.Errorf("no debug line for the dropped event:\n%s", got)
	}
}
