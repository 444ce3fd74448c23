package slackapp

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func blockActions(user, actionID, value, channel, messageTS, threadTS, trigger string) []byte {
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": trigger, "api_app_id": "A1",
		"team": map[string]any{"id": "T1"}, "user": map[string]any{"id": user},
		"container":    map[string]any{"type": "message", "channel_id": channel, "message_ts": messageTS, "thread_ts": threadTS},
		"channel":      map[string]any{"id": channel},
		"message":      map[string]any{"type": "message", "ts": messageTS, "thread_ts": threadTS, "text": "..."},
		"response_url": "https://hooks.slack.com/actions/T1/1/x",
		"actions": []map[string]any{{"action_id": actionID, "block_id": "actions", "value": value, "type": "button",
			"text": map[string]any{"type": "plain_text", "text": "x"}, "action_ts": "1.5"}},
	})
	return []byte(url.Values{"payload": {string(payload)}}.Encode())
}

// withResponseURL points a block_actions body's response_url at u.
func withResponseURL(body []byte, u string) []byte {
	form, _ := url.ParseQuery(string(body))
	var payload map[string]any
	json.Unmarshal([]byte(form.Get("payload")), &payload)
	payload["response_url"] = u
	data, _ := json.Marshal(payload)
	return []byte(url.Values{"payload": {string(data)}}.Encode())
}

func (ta *testApp) click(t *testing.T, body []byte) {
	t.Helper()
	if w := ta.serve(signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", body)); w.Code != 200 {
		t.Fatalf("POST /slack/interactions = %d %s", w.Code, w.Body)
	}
}

func TestSuggestionPickPostsThatAnswerInThread(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	// Whatever the matcher made of the question (suggestions, in real
	// life), a click on a suggestion posts that entry's answer.
	ta.postEvent(t, "Ev1", message("CQUESTIONS", "channel", "U1", "4.1", "Le télétravail est-il possible ?"))
	ta.fake.Next(t)
	ta.click(t, blockActions("U1", actionPick+"0", "1:salaire", "CQUESTIONS", "1700000000.000001", "4.1", "trig-1"))
	ta.click(t, blockActions("U1", actionPick+"0", "1:salaire", "CQUESTIONS", "1700000000.000001", "4.1", "trig-2")) // double click
	p := ta.fake.Next(t)
	if p.Get("channel") != "CQUESTIONS" || p.Get("thread_ts") != "4.1" || !strings.Contains(p.Get("text"), "3 500 €") {
		t.Errorf("pick reply = %v", p)
	}
	if !strings.Contains(p.Get("blocks"), `"action_id":"feedback_up","value":"2"`) {
		t.Errorf("pick reply lacks its own feedback buttons: %s", p.Get("blocks"))
	}
	ta.waitDelivered(t, 2)
	if n := total(ta.counts(t)); n != 2 {
		t.Errorf("%d questions, want the question and one pick", n)
	}
}

func TestFeedbackRecorded(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	ta.click(t, blockActions("U1", actionDown, "1", "D1", "9.9", "4.1", "t1"))
	ta.click(t, blockActions("U1", actionUp, "1", "D1", "9.9", "4.1", "t2")) // changed their mind
	ta.click(t, blockActions("U2", actionUp, "1", "D1", "9.9", "4.1", "t3"))
	ta.click(t, blockActions("U2", actionApply, "", "D1", "9.9", "4.1", "t4")) // the link button
	ta.click(t, blockActions("U2", actionUp, "not-a-number", "D1", "9.9", "4.1", "t5"))
	up, down, err := ta.store.Feedback(t.Context())
	if up != 2 || down != 0 || err != nil {
		t.Errorf("feedback = %d up %d down %v; want 2 up", up, down, err)
	}
}

// TestFeedbackMetricCountsVotes: clicking the same button twice is one
// vote; changing one's mind is a vote the other way.
func TestFeedbackMetricCountsVotes(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	for i, action := range []string{actionUp, actionUp, actionUp, actionDown} {
		ta.click(t, blockActions("U1", action, "1", "D1", "9.9", "4.1", fmt.Sprintf("t%d", i)))
	}
	if up, down := ta.metric(t, "bot_feedback_total", "vote", "up"), ta.metric(t, "bot_feedback_total", "vote", "down"); up != 1 || down != 1 {
		t.Errorf("bot_feedback_total up %v, down %v; want 1 and 1", up, down)
	}
}
