package slackapp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/betagouv/bin-bot/internal/handoff"
	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

const (
	staffChannel = "CSTAFF"
	permalink    = "https://bin.slack.com/archives/D1/p1"
	fallbackText = "xyzzy plugh"
)

// withStaffChannel turns handoffs on.
func withStaffChannel(s setup) { s.app.StaffChannel = staffChannel }

// handoffs answers the Web API methods of handoff cards and the modal on
// the fake, and returns a handoff loop on ta's store, driven by the test
// with Pass: each pass is what the running loop does every second.
func handoffs(t *testing.T, ta *testApp) *handoff.Loop {
	t.Helper()
	serveCardMethods(ta.fake)
	return handoff.New(handoff.Config{}, handoff.Deps{Store: ta.store, Log: ta.log,
		Sender:  NewCardSender(staffChannel, ta.matcher, ta.slack, ta.App.Metrics()),
		Backoff: func(int, time.Duration) time.Duration { return 0 }})
}

func serveCardMethods(f *fakeSlack) {
	f.Answer("chat.getPermalink", func(slackfake.Call) any {
		return map[string]any{"ok": true, "channel": "D1", "permalink": permalink}
	})
	f.Answer("chat.update", func(c slackfake.Call) any {
		return map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": c.Form.Get("ts")}
	})
	f.Answer("views.open", nil)
	f.Answer("conversations.history", func(slackfake.Call) any {
		return map[string]any{"ok": true, "messages": []any{}}
	})
}

// nextCard waits for the next post and checks it went to the staff channel.
func nextCard(t *testing.T, f *fakeSlack) url.Values {
	t.Helper()
	p := f.Next(t)
	if p.Get("channel") != staffChannel {
		t.Fatalf("posted in %s, want a card in %s: %v", p.Get("channel"), staffChannel, p)
	}
	return p
}

// cards is how many cards the staff channel got.
func cards(f *fakeSlack) int { return f.Replies(staffChannel + "/") }

// handoffAction is a click on a card's button, or a pick in its menu.
func handoffAction(user, actionID string, qid int64, entry, responseURL string) []byte {
	id := strconv.FormatInt(qid, 10)
	act := map[string]any{"action_id": actionID, "block_id": handoffBlockID + id, "type": "button", "value": id, "action_ts": "1.5"}
	if entry != "" {
		act = map[string]any{"action_id": actionID, "block_id": handoffBlockID + id, "type": "static_select", "action_ts": "1.5",
			"selected_option": map[string]any{"value": entry, "text": map[string]any{"type": "plain_text", "text": entry}}}
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "trigger_id": "trig-" + user, "api_app_id": "A1",
		"team": map[string]any{"id": "T1"}, "user": map[string]any{"id": user},
		"container":    map[string]any{"type": "message", "channel_id": staffChannel, "message_ts": "1700000000.000002"},
		"channel":      map[string]any{"id": staffChannel},
		"response_url": responseURL,
		"actions":      []map[string]any{act},
	})
	return []byte(url.Values{"payload": {string(payload)}}.Encode())
}

// submission is the Répondre modal submitted by user.
func submission(user, viewID string, qid int64, text string, keepDraft bool, attachTo ...string) []byte {
	values := map[string]any{answerBlock: map[string]any{answerAction: map[string]any{"type": "plain_text_input", "value": text}}}
	for _, entry := range attachTo {
		values[modalAttach] = map[string]any{modalEntry: map[string]any{"type": "static_select",
			"selected_option": map[string]any{"value": entry, "text": map[string]any{"type": "plain_text", "text": entry}}}}
	}
	if keepDraft {
		values[draftBlock] = map[string]any{draftAction: map[string]any{"type": "checkboxes",
			"selected_options": []any{map[string]any{"value": "draft", "text": map[string]any{"type": "plain_text", "text": "x"}}}}}
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "view_submission", "api_app_id": "A1", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": user},
		"view": map[string]any{"id": viewID, "type": "modal", "callback_id": answerCallback,
			"private_metadata": strconv.FormatInt(qid, 10), "state": map[string]any{"values": values}},
	})
	return []byte(url.Values{"payload": {string(payload)}}.Encode())
}

func (ta *testApp) submit(t *testing.T, body []byte) *http.Response {
	t.Helper()
	w := ta.serve(signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", body))
	if w.Code != 200 {
		t.Fatalf("POST /slack/interactions = %d %s", w.Code, w.Body)
	}
	return w.Result()
}

func (ta *testApp) handoff(t *testing.T, qid int64) store.Handoff {
	t.Helper()
	h, err := ta.store.Handoff(t.Context(), qid)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// askUnanswered asks, in channel, a question the bot cannot answer and
// waits for its fallback reply.
func askUnanswered(t *testing.T, ta *testApp, channel, channelType string) {
	t.Helper()
	ta.postEvent(t, "Ev1", message(channel, channelType, "U1", "4.1", fallbackText))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
}

// askFallback asks a question the bot cannot answer in a direct message,
// waits for its reply, and hands it over: the card is posted.
func askFallback(t *testing.T, ta *testApp, loop *handoff.Loop) url.Values {
	t.Helper()
	askUnanswered(t, ta, "D1", "im")
	loop.Pass(t.Context())
	return nextCard(t, ta.fake)
}

func TestFallbackHandedOverOnce(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", fallbackText))
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", fallbackText), "X-Slack-Retry-Num", "1")
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	loop.Pass(t.Context())
	card := nextCard(t, ta.fake)
	for _, want := range []string{fallbackText, "<" + permalink + "|voir le fil>", actionHandoffClaim, actionHandoffReply,
		actionHandoffAttach, actionHandoffOffTopic, "en message privé"} {
		if !strings.Contains(unescaped(card.Get("blocks")), want) {
			t.Errorf("card lacks %q: %s", want, card.Get("blocks"))
		}
	}
	if !strings.Contains(card.Get("metadata"), `"question_id":"1"`) {
		t.Errorf("card metadata = %s", card.Get("metadata"))
	}
	if c := ta.fake.NextCall(t, "chat.getPermalink"); c.Form.Get("channel") != "D1" || c.Form.Get("message_ts") != "4.1" {
		t.Errorf("chat.getPermalink got %v", c.Form)
	}
	loop.Pass(t.Context())
	loop.Pass(t.Context())
	if n := cards(ta.fake); n != 1 {
		t.Errorf("%d cards, want 1", n)
	}
	if h := ta.handoff(t, 1); h.Reason != store.ReasonFallback || h.Status != store.HandoffWaiting || h.CardTS == "" || h.Permalink != permalink {
		t.Errorf("handoff = %+v", h)
	}
}

// A card goes without its link when Slack will not give one.
func TestCardPostedWithoutPermalink(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.fake.Answer("chat.getPermalink", func(slackfake.Call) any { return map[string]any{"ok": false, "error": "message_not_found"} })
	card := askFallback(t, ta, loop)
	if strings.Contains(card.Get("blocks"), "voir le fil") || !strings.Contains(card.Get("blocks"), fallbackText) {
		t.Errorf("card = %s", card.Get("blocks"))
	}
}

// Two replicas on one database, each with its loop: one card.
func TestHandoffOnceAcrossReplicas(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fake := newFakeSlack(t)
			dbURL := b.URL(t)
			a := newTestApp(t, fake, dbURL, true, withStaffChannel)
			other := newTestApp(t, fake, dbURL, false, withStaffChannel)
			loopA, loopB := handoffs(t, a), handoffs(t, other)
			a.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", fallbackText))
			other.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", fallbackText), "X-Slack-Retry-Num", "1")
			fake.Next(t)
			a.waitDelivered(t, 1)
			done := make(chan struct{})
			go func() { loopB.Pass(t.Context()); close(done) }()
			loopA.Pass(t.Context())
			<-done
			loopA.Pass(t.Context())
			loopB.Pass(t.Context())
			if n := cards(fake); n != 1 {
				t.Errorf("%d cards, want 1", n)
			}
		})
	}
}

// A replica that posted a card and died before recording it: the next
// holder finds the card in the staff channel (its metadata) and posts no
// second one.
func TestCardOfACrashedReplicaNotPostedTwice(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askUnanswered(t, ta, "D1", "im")
	if _, err := ta.store.OpenFallbackHandoffs(t.Context(), time.Now().Add(-time.Hour), time.Now()); err != nil {
		t.Fatal(err)
	}
	// The crashed holder: claimed with a lease already over, posted, and
	// never recorded it.
	held, err := ta.store.ClaimHandoffCards(t.Context(), time.Now().Add(-time.Hour), time.Millisecond, 10)
	if err != nil || len(held) != 1 {
		t.Fatalf("claim = %v, %v", held, err)
	}
	sender := NewCardSender(staffChannel, ta.matcher, ta.slack, nil)
	_, ts, _, err := sender.PostCard(t.Context(), held[0], false)
	if err != nil {
		t.Fatal(err)
	}
	posted := nextCard(t, ta.fake)
	ta.fake.Answer("conversations.history", func(slackfake.Call) any {
		return map[string]any{"ok": true, "messages": []any{map[string]any{"type": "message", "ts": ts, "text": posted.Get("text"),
			"metadata": json.RawMessage(posted.Get("metadata"))}}}
	})
	loop.Pass(t.Context())
	if c := ta.fake.NextCall(t, "conversations.history"); c.Form.Get("channel") != staffChannel || c.Form.Get("include_all_metadata") != "1" {
		t.Errorf("conversations.history got %v", c.Form)
	}
	if n := cards(ta.fake); n != 1 {
		t.Errorf("%d cards, want 1", n)
	}
	if h := ta.handoff(t, 1); h.CardTS != ts {
		t.Errorf("card ts = %q, want the crashed holder's %q", h.CardTS, ts)
	}
}

func TestNoHandoffForAnswersOrSmallTalk(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.postEvent(t, "Ev2", message("D1", "im", "U1", "4.2", "bonjour"))
	ta.postEvent(t, "Ev3", message("D1", "im", "U1", "4.3", "merci beaucoup"))
	ta.waitDelivered(t, 3)
	loop.Pass(t.Context())
	if n := cards(ta.fake); n != 0 {
		t.Errorf("%d cards for an answer and small talk, want 0", n)
	}
	if list, err := ta.store.WaitingHandoffs(t.Context(), 10); err != nil || len(list) != 0 {
		t.Errorf("waiting handoffs = %v, %v", list, err)
	}
}

// Without a staff channel nothing is handed over, 👎 included.
func TestNoHandoffWithoutStaffChannel(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	ta.click(t, blockActions("U1", actionDown, "1", "D1", "9.9", "4.1", "t1"))
	if _, err := ta.store.Handoff(t.Context(), 1); err == nil {
		t.Error("a 👎 opened a handoff without a staff channel")
	}
}

func TestThumbsDownHandedOver(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	ta.click(t, blockActions("U1", actionDown, "1", "D1", "9.9", "4.1", "t1"))
	ta.click(t, blockActions("U2", actionDown, "1", "D1", "9.9", "4.1", "t2")) // a second 👎: still one handoff
	loop.Pass(t.Context())
	card := nextCard(t, ta.fake)
	if !strings.Contains(card.Get("blocks"), "réponse notée 👎") || !strings.Contains(card.Get("blocks"), "Quel est le salaire ?") {
		t.Errorf("card = %s", card.Get("blocks"))
	}
	loop.Pass(t.Context())
	if n := cards(ta.fake); n != 1 {
		t.Errorf("%d cards, want 1", n)
	}
	if h := ta.handoff(t, 1); h.Reason != store.ReasonThumbsDown {
		t.Errorf("reason = %q", h.Reason)
	}
}

// The candidate's text is shown as typed: no mention, link or markup of
// theirs gets through to the staff channel.
func TestCardEscapesTheQuestion(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	// As Slack sends it: the typed "<b>" and "&" as entities, a real
	// mention and link as markup.
	text := "xyzzy <!channel> <@U999> &lt;b&gt; &amp; <https://evil.example|clic> plugh"
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", text))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	loop.Pass(t.Context())
	card := nextCard(t, ta.fake)
	var blocks slack.Blocks
	if err := json.Unmarshal([]byte(card.Get("blocks")), &blocks); err != nil {
		t.Fatal(err)
	}
	var shown string
	for _, b := range blocks.BlockSet {
		if s, ok := b.(*slack.SectionBlock); ok && s.BlockID == "handoff-question" {
			shown = s.Text.Text
		}
	}
	for _, bad := range []string{"<!channel>", "<@U999>", "<https://evil", "&amp;lt;"} {
		if strings.Contains(shown, bad) || strings.Contains(card.Get("text"), bad) {
			t.Errorf("card shows %q: %q / %q", bad, shown, card.Get("text"))
		}
	}
	if want := "&lt;@U999&gt; &lt;b&gt; &amp; &lt;https://evil.example|clic&gt;"; !strings.Contains(shown, want) {
		t.Errorf("card shows %q, want it to contain %q", shown, want)
	}
}

func TestClaimUpdatesTheCard(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askFallback(t, ta, loop)
	cardTS := ta.handoff(t, 1).CardTS
	ta.click(t, handoffAction("USTAFF", actionHandoffClaim, 1, "", ta.fake.ResponseURL))
	loop.Pass(t.Context())
	up := ta.fake.NextCall(t, "chat.update")
	if up.Form.Get("channel") != staffChannel || up.Form.Get("ts") != cardTS || !strings.Contains(unescaped(up.Form.Get("blocks")), "Pris en charge par <@USTAFF>") {
		t.Errorf("chat.update got %v", up.Form)
	}
	if h := ta.handoff(t, 1); h.Status != store.HandoffClaimed || h.ClaimedBy != "USTAFF" {
		t.Errorf("handoff = %+v", h)
	}
	loop.Pass(t.Context())
	ta.fake.NoCall(t, "chat.update", 50*time.Millisecond) // shown: not updated again
}

func TestCardActionsRefusedToOthers(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askFallback(t, ta, loop)
	for _, act := range []string{actionHandoffClaim, actionHandoffReply, actionHandoffOffTopic} {
		ta.click(t, handoffAction("U1", act, 1, "", ta.fake.ResponseURL))
		if r := ta.fake.NextResponse(t); r.ResponseType != "ephemeral" || !strings.Contains(r.Text, "réservés à l'équipe") {
			t.Errorf("%s by a candidate answered %+v", act, r)
		}
	}
	ta.click(t, handoffAction("U1", actionHandoffAttach, 1, "salaire", ta.fake.ResponseURL))
	ta.fake.NextResponse(t)
	if h := ta.handoff(t, 1); h.Status != store.HandoffWaiting {
		t.Errorf("handoff = %+v after others' clicks", h)
	}
	if alts, _ := ta.store.Alternates(t.Context()); len(alts) != 0 {
		t.Errorf("alternates = %v", alts)
	}
	ta.fake.NoCall(t, "views.open", 50*time.Millisecond)
}

func TestOffTopicStoredAndLearned(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askFallback(t, ta, loop)
	before := ta.matcher.Load()
	ta.click(t, handoffAction("USTAFF", actionHandoffOffTopic, 1, "", ta.fake.ResponseURL))
	if r := relearned(t, ta.fake); !strings.Contains(r.Text, "hors sujet") {
		t.Errorf("off topic answered %+v", r)
	}
	texts, err := ta.store.OffTopicTexts(t.Context())
	if err != nil || len(texts) != 1 || texts[0] != fallbackText {
		t.Errorf("off-topic texts = %q, %v", texts, err)
	}
	if ta.matcher.Load() == before {
		t.Error("the matcher was not rebuilt with the off-topic text")
	}
	if list, _ := ta.store.Unanswered(t.Context(), 10); len(list) != 0 {
		t.Errorf("unanswered = %+v, want the off-topic question left out", list)
	}
	loop.Pass(t.Context())
	if up := ta.fake.NextCall(t, "chat.update"); !strings.Contains(unescaped(up.Form.Get("blocks")), "Hors sujet (<@USTAFF>)") {
		t.Errorf("chat.update got %v", up.Form)
	}
}

func TestAttachFromTheCard(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	ta.click(t, blockActions("U1", actionDown, "1", "D1", "9.9", "4.1", "t1"))
	loop.Pass(t.Context())
	nextCard(t, ta.fake)
	// Attach another question through the same menu: a fresh wording.
	ta.postEvent(t, "Ev2", message("D1", "im", "U1", "4.2", "combien gagne un laureat bin par mois"))
	ta.fake.Next(t)
	ta.waitDelivered(t, 2)
	ta.click(t, blockActions("U1", actionDown, "2", "D1", "9.9", "4.2", "t2"))
	loop.Pass(t.Context())
	nextCard(t, ta.fake)
	ta.click(t, handoffAction("USTAFF", actionHandoffAttach, 2, "salaire", ta.fake.ResponseURL))
	if r := relearned(t, ta.fake); !strings.Contains(r.Text, "formulation de *salaire*") {
		t.Errorf("attach answered %+v", r)
	}
	alts, err := ta.store.Alternates(t.Context())
	if err != nil || len(alts) != 1 || alts[0].QuestionID != 2 || alts[0].EntryID != "salaire" || alts[0].AddedBy != "USTAFF" {
		t.Errorf("alternates = %+v, %v", alts, err)
	}
}

func TestReplyThroughTheBotInADirectMessage(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askFallback(t, ta, loop)
	ta.click(t, handoffAction("USTAFF", actionHandoffReply, 1, "", ta.fake.ResponseURL))
	open := ta.fake.NextCall(t, "views.open")
	var req struct {
		TriggerID string                 `json:"trigger_id"`
		View      slack.ModalViewRequest `json:"view"`
	}
	if err := json.Unmarshal(open.JSON, &req); err != nil {
		t.Fatal(err)
	}
	if req.TriggerID != "trig-USTAFF" || req.View.PrivateMetadata != "1" || req.View.CallbackID != answerCallback {
		t.Errorf("views.open got %s", open.JSON)
	}
	answer := "Bonjour, le programme ne couvre pas ce cas : écrivez-nous à bin@example.gouv.fr."
	if resp := ta.submit(t, submission("USTAFF", "V1", 1, answer, true)); resp.ContentLength > 0 {
		t.Errorf("submission answered with a body: the modal stays open")
	}
	ta.submit(t, submission("USTAFF", "V1", 1, answer, true)) // submitted twice: posted once
	p := ta.fake.Next(t)
	if p.Get("channel") != "D1" || p.Get("thread_ts") != "4.1" ||
		!strings.Contains(p.Get("text"), "Réponse de l'équipe (<@USTAFF>) :") || !strings.Contains(p.Get("text"), answer) {
		t.Errorf("staff answer posted %v", p)
	}
	ta.waitDelivered(t, 2)
	if n := ta.fake.Replies("D1/4.1"); n != 2 {
		t.Errorf("thread got %d posts, want the fallback and the staff answer", n)
	}
	if h := ta.handoff(t, 1); h.Status != store.HandoffAnswered || h.AnsweredBy != "USTAFF" || h.AnsweredAt.IsZero() {
		t.Errorf("handoff = %+v", h)
	}
	loop.Pass(t.Context())
	if up := ta.fake.NextCall(t, "chat.update"); !strings.Contains(unescaped(up.Form.Get("blocks")), "répondu par <@USTAFF>") {
		t.Errorf("chat.update got %v", up.Form)
	}
	drafts, err := ta.store.Drafts(t.Context())
	if err != nil || len(drafts) != 1 || drafts[0].Question != fallbackText || drafts[0].Answer != answer {
		t.Errorf("drafts = %+v, %v", drafts, err)
	}
	// The staff answer is no candidate's question.
	f, err := ta.store.Stats(t.Context(), time.Time{}, time.Now().Add(time.Hour))
	if err != nil || f.Questions != 1 || f.Handoffs.Answered != 1 {
		t.Errorf("stats = %+v, %v", f, err)
	}
	if list, _ := ta.store.Unanswered(t.Context(), 10); len(list) != 1 {
		t.Errorf("unanswered = %+v, want the candidate's question only", list)
	}
}

func TestReplySubmissionRefusedToOthers(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askFallback(t, ta, loop)
	w := ta.serve(signed("POST", "/slack/interactions", "application/x-www-form-urlencoded",
		submission("U1", "V1", 1, "<!channel> coucou", false)))
	var resp slack.ViewSubmissionResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != 200 || resp.ResponseAction != slack.RAErrors || resp.Errors[answerBlock] == "" {
		t.Errorf("non-staff submission = %d %s", w.Code, w.Body)
	}
	// An empty answer from staff keeps the modal open too.
	w = ta.serve(signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", submission("USTAFF", "V2", 1, "  ", false)))
	if !strings.Contains(w.Body.String(), `"response_action":"errors"`) {
		t.Errorf("empty submission = %s", w.Body)
	}
	if c := total(ta.counts(t)); c != 1 {
		t.Errorf("%d questions recorded, want the candidate's only", c)
	}
	if h := ta.handoff(t, 1); h.Status != store.HandoffWaiting {
		t.Errorf("handoff = %+v", h)
	}
}

// Socket Mode acknowledges the submission as HTTP answers it: empty to
// close the modal, errors to keep it open.
func TestReplySubmissionOverSocketMode(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askFallback(t, ta, loop)
	submitted := func(user, env string) slack.InteractionCallback {
		form, _ := url.ParseQuery(string(submission(user, "V-"+env, 1, "Voici la réponse.", false)))
		var ic slack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &ic); err != nil {
			t.Fatal(err)
		}
		return ic
	}
	ack := &fakeAcker{}
	for _, c := range []struct{ user, env string }{{"U1", "env-1"}, {"USTAFF", "env-2"}} {
		ta.handleSocket(t.Context(), socketmode.Event{Type: socketmode.EventTypeInteractive, Data: submitted(c.user, c.env),
			Request: &socketmode.Request{Type: "interactive", EnvelopeID: c.env}}, ack)
	}
	if r, ok := ack.acks["env-1"].(*slack.ViewSubmissionResponse); !ok || r.ResponseAction != slack.RAErrors {
		t.Errorf("non-staff ack = %#v", ack.acks["env-1"])
	}
	if p, ok := ack.acks["env-2"]; !ok || p != nil {
		t.Errorf("staff ack = %#v, want an empty acknowledgement", p)
	}
	if p := ta.fake.Next(t); p.Get("channel") != "D1" || !strings.Contains(p.Get("text"), "Voici la réponse.") {
		t.Errorf("posted %v", p)
	}
}

// Someone who writes in the candidate's thread answers the handoff.
func TestStaffMessageInTheThreadAnswersTheCard(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	askUnanswered(t, ta, "CQUESTIONS", "channel")
	loop.Pass(t.Context())
	nextCard(t, ta.fake)
	asker := message("CQUESTIONS", "channel", "U1", "4.2", "quelqu'un ?")
	asker["thread_ts"] = "4.1"
	ta.postEvent(t, "Ev2", asker) // the asker again: not an answer
	ta.waitDelivered(t, 2)
	if h := ta.handoff(t, 1); h.Status != store.HandoffWaiting {
		t.Fatalf("the asker's own follow-up answered the handoff: %+v", h)
	}
	staff := message("CQUESTIONS", "channel", "USTAFF", "4.3", "Bonjour, je regarde votre dossier.")
	staff["thread_ts"] = "4.1"
	ta.postEvent(t, "Ev3", staff)
	loop.Pass(t.Context())
	if up := ta.fake.NextCall(t, "chat.update"); !strings.Contains(unescaped(up.Form.Get("blocks")), "répondu par <@USTAFF>") {
		t.Errorf("chat.update got %v", up.Form)
	}
	if h := ta.handoff(t, 1); h.Status != store.HandoffAnswered || h.AnsweredBy != "USTAFF" {
		t.Errorf("handoff = %+v", h)
	}
}

func TestThreadTakenOver(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", message("CQUESTIONS", "channel", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	inThread := func(user, ts, text string) event {
		ev := message("CQUESTIONS", "channel", user, ts, text)
		ev["thread_ts"] = "4.1"
		return ev
	}
	ta.postEvent(t, "Ev2", inThread("U1", "4.2", "Et le télétravail est-il possible ?"))
	ta.fake.Next(t) // before the takeover, a follow-up is answered
	ta.waitDelivered(t, 2)
	ta.postEvent(t, "Ev3", inThread("U2", "4.3", "Je confirme, et pour le contrat voyez avec moi."))
	ta.postEvent(t, "Ev4", inThread("U1", "4.4", "Quel est le salaire exactement ?"))
	if n := total(ta.counts(t)); n != 2 {
		t.Errorf("%d questions after the takeover, want the follow-up ignored", n)
	}
	ta.postEvent(t, "Ev5", inThread("U1", "4.5", "<@"+botUser+"> Quel est le salaire ?"))
	if p := ta.fake.Next(t); p.Get("thread_ts") != "4.1" || !strings.Contains(p.Get("text"), "3 500 €") {
		t.Errorf("mention after the takeover answered %v", p)
	}
	ta.waitDelivered(t, 3)
	if n := ta.fake.Replies("CQUESTIONS/4.1"); n != 3 {
		t.Errorf("thread got %d replies, want 3", n)
	}
}

// A follow-up that says thanks, or that the candidate will wait, gets no
// reply; it is settled, not lost, and not handed over.
func TestFollowUpThanksGetsNoReply(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	for i, text := range []string{"Merci, oui c'est bien ça", "d'accord, je vais attendre la réponse de l'équipe", fallbackText} {
		ev := message("D1", "im", "U1", "4."+strconv.Itoa(i+2), text)
		ev["thread_ts"] = "4.1"
		ta.postEvent(t, "Ev"+strconv.Itoa(i+2), ev)
	}
	ta.waitDelivered(t, 4)
	loop.Pass(t.Context())
	if n := ta.fake.Replies("D1/4.1"); n != 1 {
		t.Errorf("thread got %d replies, want the answer only", n)
	}
	if c := ta.counts(t); c[store.Delivered] != 4 || c[store.Pending] != 0 {
		t.Errorf("counts = %v, want every follow-up settled", c)
	}
	if n := cards(ta.fake); n != 0 {
		t.Errorf("%d cards for silent follow-ups", n)
	}
}

// unescaped undoes the JSON escapes slack-go writes for <, > and &.
func unescaped(blocks string) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(blocks)
}

// The modal's menu attaches the question to an entry once the answer is
// on its way.
func TestReplyModalAttachesTheQuestion(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "4.1", "combien gagne un laureat bin par mois"))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	ta.click(t, blockActions("U1", actionDown, "1", "D1", "9.9", "4.1", "t1"))
	loop.Pass(t.Context())
	nextCard(t, ta.fake)
	ta.submit(t, submission("USTAFF", "V1", 1, "3 500 € brut par mois.", false, "salaire"))
	if p := ta.fake.Next(t); !strings.Contains(p.Get("text"), "3 500 € brut par mois.") {
		t.Errorf("posted %v", p)
	}
	deadline := time.After(relearnWithin)
	for {
		alts, err := ta.store.Alternates(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(alts) == 1 && alts[0].EntryID == "salaire" && alts[0].QuestionID == 1 {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("alternates = %+v, want the question attached to salaire", alts)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// A card Slack refuses for a passing reason is posted at a later pass; one
// it refuses for good (the bot not in the staff channel) is given up.
func TestCardRetriedThenGivenUp(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true, withStaffChannel)
	loop := handoffs(t, ta)
	var refusal atomic.Value // the body the staff channel's posts get; "" accepts them
	refusal.Store(`{"ok":false,"error":"internal_error"}`)
	ta.fake.Script(func(_ int64, form url.Values) slackfake.Reply {
		if body := refusal.Load().(string); form.Get("channel") == staffChannel && body != "" {
			return slackfake.Reply{Status: 200, Body: body}
		}
		return slackfake.Reply{}
	})
	askUnanswered(t, ta, "D1", "im")
	loop.Pass(t.Context()) // refused: internal_error
	if h := ta.handoff(t, 1); h.CardTS != "" {
		t.Fatalf("handoff = %+v", h)
	}
	refusal.Store("")
	loop.Pass(t.Context())
	nextCard(t, ta.fake)

	ta.postEvent(t, "Ev2", message("D2", "im", "U2", "5.1", fallbackText))
	ta.fake.Next(t)
	ta.waitDelivered(t, 2)
	refusal.Store(`{"ok":false,"error":"not_in_channel"}`)
	calls := ta.fake.Calls()
	loop.Pass(t.Context())
	loop.Pass(t.Context())
	if n := ta.fake.Calls() - calls; n != 1 {
		t.Errorf("%d posts of a card refused for good, want 1", n)
	}
}

// relearnWithin bounds a wait for the matcher to learn again: a second on
// a laptop, much longer under the race detector.
const relearnWithin = 2 * time.Minute

// relearned waits for the answer to a click that relearns the matcher.
func relearned(t *testing.T, f *fakeSlack) slackfake.Message {
	t.Helper()
	select {
	case m := <-f.Responses:
		return m
	case <-time.After(relearnWithin):
		t.Fatal("nothing posted to response_url within", relearnWithin)
		return slackfake.Message{}
	}
}
