package slackapp

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/store"
)

// cardRefusal is what anyone outside the staff gets for a card's button.
const cardRefusal = "Désolé, ces boutons sont réservés à l'équipe du programme."

// isHandoffAction tells the actions of a handoff card.
func isHandoffAction(id string) bool {
	switch id {
	case actionHandoffClaim, actionHandoffReply, actionHandoffAttach, actionHandoffOffTopic:
		return true
	}
	return false
}

// handoffAct does what a staff member clicked on a handoff card (or on
// the same actions elsewhere, the Home tab). The card itself is updated
// by the handoff loop, which shows every change of state.
func (a *App) handoffAct(ctx context.Context, ic slack.InteractionCallback, act *slack.BlockAction) error {
	reply := func(text string) { a.followUp(ctx, ic.ResponseURL, ephemeral(text)) }
	user := ic.User.ID
	if !a.cfg.StaffIDs[user] {
		a.metrics.handoffs.WithLabelValues("refused").Inc()
		a.log.Info("handoff action refused", "user_id", user, "action_id", act.ActionID)
		reply(cardRefusal)
		return nil
	}
	qid, err := strconv.ParseInt(firstOf(act.Value, strings.TrimPrefix(act.BlockID, handoffBlockID)), 10, 64)
	if act.ActionID == actionHandoffAttach {
		qid, err = strconv.ParseInt(strings.TrimPrefix(act.BlockID, handoffBlockID), 10, 64)
	}
	if err != nil || qid <= 0 {
		a.log.Info("handoff action ignored", "action_id", act.ActionID, "block_id", act.BlockID)
		return nil
	}
	log := a.log.With("question_id", qid, "user_id", user)
	switch act.ActionID {
	case actionHandoffClaim:
		changed, err := a.store.ClaimHandoff(ctx, qid, user)
		if err != nil {
			return err
		}
		if changed {
			a.metrics.handoffs.WithLabelValues("claimed").Inc()
			log.Info("handoff claimed")
		}
	case actionHandoffReply:
		a.openAnswerModal(ctx, ic.TriggerID, qid, user)
	case actionHandoffAttach:
		entry := act.SelectedOption.Value
		if entry == "" {
			return nil
		}
		a.relearn(ctx, ic.ResponseURL, "attached", func(ctx context.Context) (string, error) {
			return a.console.Attach(ctx, user, qid, entry)
		})
	case actionHandoffOffTopic:
		a.relearn(ctx, ic.ResponseURL, "off_topic", func(ctx context.Context) (string, error) {
			return a.console.OffTopic(ctx, user, qid)
		})
	}
	return nil
}

// relearn runs a change that rebuilds the matcher (seconds on a real FAQ)
// after the click is acknowledged, and tells the staff member the outcome
// via response_url.
func (a *App) relearn(ctx context.Context, responseURL, event string, change func(context.Context) (string, error)) {
	ok := a.jobs.do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commandTimeout)
		defer cancel()
		text, err := change(ctx)
		if err != nil {
			a.log.Error("handoff action", "event", event, "err", err)
			text = "Je n'ai pas pu enregistrer ce choix (erreur technique) : réessayez dans un instant."
		} else {
			a.metrics.handoffs.WithLabelValues(event).Inc()
		}
		if err := a.respond(ctx, responseURL, ephemeral(text)); err != nil {
			a.log.Error("post to response_url", "err", err)
		}
	})
	if !ok {
		a.log.Warn("shutting down: handoff action dropped", "event", event)
	}
}

// handDown opens a handoff for an answer voted 👎, when handoffs are on.
func (a *App) handDown(ctx context.Context, qid int64) error {
	if a.cfg.StaffChannel == "" {
		return nil
	}
	opened, err := a.store.OpenHandoff(ctx, qid, store.ReasonThumbsDown, a.now())
	if err != nil {
		return err
	}
	if opened {
		a.metrics.handoffs.WithLabelValues("thumbs_down").Inc()
		a.log.Info("answer voted down handed to staff", "question_id", qid)
	}
	return nil
}
