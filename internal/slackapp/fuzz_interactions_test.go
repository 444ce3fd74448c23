package slackapp

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// FuzzInteractions clicks buttons with any action id, value, user and
// thread, signed or not, through the real /slack/interactions route. A
// signed click is acknowledged; it records at most one question, and only
// when it picks a suggestion; at most one vote, and only when it is one;
// the same click sent again records nothing more.
func FuzzInteractions(f *testing.F) {
	ta := newTestApp(f, newFakeSlack(f), "", false)
	// Question 1 exists, so that votes and picks can name it.
	if _, _, err := ta.store.RecordQuestion(f.Context(), store.Question{EventID: "Ev1", Text: "Quel est le salaire ?",
		UserID: "U1", Channel: "D1", ChannelType: "im", TS: "4.1", ThreadTS: "4.1", AskedAt: time.Now()}); err != nil {
		f.Fatal(err)
	}
	f.Add("U1", actionUp, "1", "D1", "9.9", "4.1", "t1", uint8(signedProperly), "")
	f.Add("U2", actionDown, "1", "D1", "9.9", "4.1", "t2", uint8(signedProperly), "")
	f.Add("U1", actionUp, "999999", "D1", "9.9", "4.1", "t3", uint8(signedProperly), "")
	f.Add("U1", actionUp, "-1", "D1", "9.9", "", "", uint8(signedProperly), "")
	f.Add("U1", actionPick+"0", "1:salaire", "D1", "9.9", "4.1", "t4", uint8(signedProperly), "")
	f.Add("U1", actionPick+"1", "42:teletravail", "C1", "9.9", "", "t5", uint8(signedProperly), "")
	f.Add("U1", actionPick+"x", ":", "", "", "", "", uint8(signedProperly), "")
	f.Add("U1", actionApply, "", "D1", "9.9", "4.1", "t6", uint8(signedProperly), "")
	f.Add("", "announce_send", "1", "C1", "9.9", "", "t7", uint8(signedProperly), "")
	f.Add("U1", actionUp, "1", "D1", "9.9", "4.1", "t8", uint8(signedNot), "")
	f.Add("U1", actionPick+"0", "1:salaire", "D1", "9.9", "4.1", "t9", uint8(signedWrongSecret), "")
	f.Add("U1", actionPick+"0", "1:salaire", "D1", "9.9", "4.1", "t9", uint8(signedStale), "")
	f.Add("U1", actionUp, "1", "D1", "9.9", "4.1", "t9", uint8(signedGarbage), "v0=zz")
	f.Fuzz(func(t *testing.T, user, actionID, value, channel, messageTS, threadTS, trigger string, how uint8, garbage string) {
		body := blockActions(user, actionID, value, channel, messageTS, threadTS, trigger)
		votable := ta.isVote(t, actionID, value, user)
		before := ta.fuzzState(t)
		w := ta.serve(fuzzRequest(how, "/slack/interactions", "application/x-www-form-urlencoded", body, garbage))
		after := ta.fuzzState(t)
		if how%signingWays != signedProperly {
			checkRefused(t, w, before, after)
			return
		}
		if w.Code != http.StatusOK {
			t.Fatalf("click %q=%q answered %d %q", actionID, value, w.Code, w.Body)
		}
		newQuestions, newVotes := after.questions-before.questions, after.votes-before.votes
		if newQuestions < 0 || newQuestions > 1 || newVotes < 0 || newVotes > 1 {
			t.Fatalf("one click made %d questions and %d votes", newQuestions, newVotes)
		}
		if newQuestions == 1 && !isPick(actionID, value) {
			t.Fatalf("click %q=%q recorded a question", actionID, value)
		}
		if newVotes == 1 && !votable {
			t.Fatalf("click %q=%q by %q recorded a vote", actionID, value, user)
		}
		if after.slackCalls != before.slackCalls {
			t.Fatalf("click %q=%q called Slack on the request's path", actionID, value)
		}
		// Slack retries, and people double-click.
		again := ta.serve(signed("POST", "/slack/interactions", "application/x-www-form-urlencoded", body))
		if final := ta.fuzzState(t); again.Code != http.StatusOK || final.questions != after.questions || final.votes != after.votes {
			t.Fatalf("click %q=%q sent again: %d, state %+v -> %+v", actionID, value, again.Code, after, final)
		}
	})
}

// isPick says whether a click may record a question: a suggestion button
// whose value is "question id:entry id".
func isPick(actionID, value string) bool {
	qid, entry, ok := strings.Cut(value, ":")
	_, err := strconv.ParseInt(qid, 10, 64)
	return strings.HasPrefix(actionID, actionPick) && ok && err == nil && entry != ""
}

// isVote says whether a click may record a vote: a feedback button, by
// someone, on a question that exists.
func (ta *testApp) isVote(t *testing.T, actionID, value, user string) bool {
	t.Helper()
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || user == "" || (actionID != actionUp && actionID != actionDown) {
		return false
	}
	_, err = ta.store.Question(t.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false
	case err != nil:
		t.Fatal(err)
	}
	return true
}
