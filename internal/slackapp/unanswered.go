package slackapp

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/console"
)

// actionAttach is the entry menu beside each unanswered question; its
// block id carries the question id, its selected value the entry id.
const (
	actionAttach  = "attach_alternate"
	attachBlockID = "unanswered-" // + question id
)

// Block Kit bounds of the entry menu.
const (
	maxOptions    = 100 // a static_select holds 100 options
	maxOptionText = 75
)

// unansweredBlocks shows the unanswered questions, each with a menu of
// the entries to attach it to.
func unansweredBlocks(r console.Reply) []slack.Block {
	options := make([]*slack.OptionBlockObject, 0, min(len(r.Entries), maxOptions))
	for i, e := range r.Entries {
		if i == maxOptions {
			break
		}
		options = append(options, slack.NewOptionBlockObject(e.ID, plain(truncate(e.Question, maxOptionText)), nil))
	}
	blocks := []slack.Block{section("intro", r.Lead)}
	for _, q := range r.Questions {
		menu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Rattacher à…"), actionAttach, options...)
		blocks = append(blocks, slack.NewSectionBlock(markdown(q.Line), nil, slack.NewAccessory(menu),
			slack.SectionBlockOptionBlockID(attachBlockID+strconv.FormatInt(q.ID, 10))))
	}
	return blocks
}

// attach hands the console a question and the entry picked in its menu;
// the outcome goes to the staff member via response_url.
func (a *App) attach(ctx context.Context, ic slack.InteractionCallback, act *slack.BlockAction) error {
	reply := func(text string) { a.followUp(ctx, ic.ResponseURL, ephemeral(text)) }
	if !a.cfg.StaffIDs[ic.User.ID] {
		a.log.Info("attach refused", "user_id", ic.User.ID)
		reply(refusal)
		return nil
	}
	qid, err := strconv.ParseInt(strings.TrimPrefix(act.BlockID, attachBlockID), 10, 64)
	entry := act.SelectedOption.Value
	if err != nil || !strings.HasPrefix(act.BlockID, attachBlockID) || entry == "" {
		a.log.Info("attach ignored", "block_id", act.BlockID)
		return nil
	}
	text, err := a.console.Attach(ctx, ic.User.ID, qid, entry)
	if err != nil {
		return err
	}
	reply(text)
	return nil
}
