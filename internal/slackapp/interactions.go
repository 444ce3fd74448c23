package slackapp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/store"
)

func (a *App) handleInteraction(w http.ResponseWriter, r *http.Request) {
	body, ok := a.signedBody(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	ic, err := slack.InteractionCallbackParse(r)
	if err != nil {
		a.metrics.refused.WithLabelValues("malformed").Inc()
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	resp, err := a.interact(r.Context(), ic)
	if err != nil {
		a.log.Error("record interaction", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	if resp != nil {
		writeJSON(w, resp)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// interact takes an interaction: the buttons clicked (block actions), and
// the Répondre modal submitted, whose answer (nil: an empty
// acknowledgement, which closes the modal) is returned.
func (a *App) interact(ctx context.Context, ic slack.InteractionCallback) (*slack.ViewSubmissionResponse, error) {
	switch {
	case ic.Type == slack.InteractionTypeViewSubmission && ic.View.CallbackID == answerCallback:
		return a.submitAnswer(ctx, ic)
	case ic.Type == slack.InteractionTypeBlockActions:
		return nil, a.act(ctx, ic)
	}
	return nil, nil
}

// act records the buttons clicked: feedback votes, suggestions picked
// (whose answer the queue then posts in the thread), staff menus and the
// handoff cards' actions.
func (a *App) act(ctx context.Context, ic slack.InteractionCallback) error {
	for _, act := range ic.ActionCallback.BlockActions {
		var err error
		switch {
		case act.ActionID == actionUp || act.ActionID == actionDown:
			err = a.vote(ctx, ic, act)
		case strings.HasPrefix(act.ActionID, actionPick):
			err = a.pick(ctx, ic, act)
		case (act.ActionID == actionAnnounceSend || act.ActionID == actionAnnounceCancel) && a.announcer != nil:
			err = a.announceAct(ctx, ic, act)
		case act.ActionID == actionAttach:
			err = a.attach(ctx, ic, act)
		case strings.HasPrefix(act.ActionID, actionHomeAnswer) && a.home != nil:
			// Not worth a retry: the trigger id is stale by then.
			if err := a.home.OpenAnswer(ctx, ic.TriggerID, act.Value); err != nil {
				a.log.Warn("home answer not opened", "user_id", ic.User.ID, "err", err)
			}
		case isHandoffAction(act.ActionID):
			err = a.handoffAct(ctx, ic, act)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *App) vote(ctx context.Context, ic slack.InteractionCallback, act *slack.BlockAction) error {
	id, err := strconv.ParseInt(act.Value, 10, 64)
	if err != nil || ic.User.ID == "" {
		a.log.Info("feedback ignored", "value", act.Value)
		return nil
	}
	up := act.ActionID == actionUp
	changed, err := a.store.Vote(ctx, id, ic.User.ID, up, a.now())
	if err != nil {
		return err
	}
	vote := "down"
	if up {
		vote = "up"
	}
	if !changed { // the same button again: no new vote
		a.log.Debug("feedback unchanged", "question_id", id, "vote", vote)
		return nil
	}
	a.metrics.feedback.WithLabelValues(vote).Inc()
	a.log.Info("feedback recorded", "question_id", id, "vote", vote)
	if !up {
		return a.handDown(ctx, id)
	}
	return nil
}

// pick records a suggestion clicked as a question of its own, answered in
// the thread of the question that offered it.
func (a *App) pick(ctx context.Context, ic slack.InteractionCallback, act *slack.BlockAction) error {
	qid, entry, ok := strings.Cut(act.Value, ":")
	parentID, err := strconv.ParseInt(qid, 10, 64)
	if !ok || err != nil || entry == "" {
		a.log.Info("suggestion pick ignored", "value", act.Value)
		return nil
	}
	q := store.Question{Kind: store.KindPick, ParentID: parentID, UserID: ic.User.ID, EntryID: entry, AskedAt: a.now()}
	if parent, err := a.store.Question(ctx, parentID); err == nil {
		q.Channel, q.ChannelType, q.ThreadTS = parent.Channel, parent.ChannelType, parent.ThreadTS
	} else {
		q.ParentID = 0
		q.Channel = firstOf(ic.Container.ChannelID, ic.Channel.ID)
		q.ChannelType = channelTypeOf(q.Channel)
		q.ThreadTS = firstOf(ic.Container.ThreadTs, ic.Message.ThreadTimestamp, ic.Container.MessageTs)
	}
	if q.Channel == "" || q.ThreadTS == "" {
		a.log.Info("suggestion pick without a thread", "value", act.Value)
		return nil
	}
	// One suggestion is answered once per question: a double click, or a
	// second person clicking it, does not post the answer again.
	q.EventID = "pick:" + qid + ":" + entry
	if q.ParentID == 0 {
		q.EventID = "pick:" + firstOf(ic.TriggerID, act.ActionTs+":"+ic.User.ID)
	}
	_, fresh, err := a.outbox.Record(ctx, q)
	if err != nil {
		return err
	}
	if fresh {
		a.log.Info("suggestion picked", "question_id", parentID, "entry_id", entry)
	}
	return nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
