package slackapp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/learn"
	"github.com/betagouv/bin-bot/internal/store"
)

// actionAttach is the entry menu beside each unanswered question; its
// block id carries the question id, its selected value the entry id.
const (
	actionAttach  = "attach_alternate"
	attachBlockID = "unanswered-" // + question id
)

// Bounds of /bin unanswered N: each question carries a menu of every entry,
// and a message holds at most 50 blocks.
const (
	unansweredDefault = 5
	unansweredMax     = 20
	maxOptions        = 100 // a static_select holds 100 options
	maxOptionText     = 75
)

// unansweredCommand lists the latest fallback and 👎 questions, each with a
// menu to attach it to an entry as a new alternate.
func (a *App) unansweredCommand(ctx context.Context, _ slack.SlashCommand, args []string) commandReply {
	n := unansweredDefault
	if len(args) > 0 {
		v, err := strconv.Atoi(args[0])
		if err != nil || v < 1 {
			return ephemeral(fmt.Sprintf("Usage : `/bin unanswered [N]`, N entre 1 et %d.", unansweredMax))
		}
		n = min(v, unansweredMax)
	}
	list, err := a.store.Unanswered(ctx, n)
	if err != nil {
		a.log.Error("staff unanswered", "err", err)
		return ephemeral("Je n'ai pas pu lire les questions : réessayez dans un instant.")
	}
	if len(list) == 0 {
		return ephemeral("Aucune question sans réponse ni notée 👎 à traiter. 🎉")
	}
	options := a.entryOptions()
	intro := fmt.Sprintf("*%d dernière(s) question(s) sans réponse ou notée(s) 👎.* "+
		"Choisissez une entrée pour y ajouter la question comme formulation : le bot la reconnaît aussitôt.", len(list))
	blocks := []slack.Block{section("intro", intro)}
	var text strings.Builder
	text.WriteString(intro)
	for _, u := range list {
		why := "sans réponse"
		if u.Down {
			why = "notée 👎"
		}
		where := "<#" + u.Channel + ">"
		if u.ChannelType == "im" || u.ChannelType == "mpim" {
			where = "message privé"
		}
		line := fmt.Sprintf("> %s\n_%s · %s · %s_", fromSlack(truncate(u.Text, 500)), why,
			u.AskedAt.In(store.Paris).Format("02/01 15:04"), where)
		menu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Rattacher à…"), actionAttach, options...)
		blocks = append(blocks, slack.NewSectionBlock(markdown(line), nil, slack.NewAccessory(menu),
			slack.SectionBlockOptionBlockID(attachBlockID+strconv.FormatInt(u.ID, 10))))
		fmt.Fprintf(&text, "\n• %s", truncate(u.Text, 200))
	}
	return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: text.String(), Blocks: blocks}
}

// entryOptions are the menu's choices: each entry's question, its id as value.
func (a *App) entryOptions() []*slack.OptionBlockObject {
	entries := a.matcher.Load().FAQ().Entries
	out := make([]*slack.OptionBlockObject, 0, min(len(entries), maxOptions))
	for i, e := range entries {
		if i == maxOptions {
			break
		}
		out = append(out, slack.NewOptionBlockObject(e.ID, plain(truncate(e.Question.Value, maxOptionText)), nil))
	}
	return out
}

// attach stores a question as an alternate of the entry picked in the menu,
// if check finds nothing wrong with it, and rebuilds the matcher. The
// outcome goes to the staff member via response_url.
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
	q, err := a.store.Question(ctx, qid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && learn.Clean(q.Text) == "") {
		reply("Cette question n'est plus enregistrée (durée de conservation dépassée).")
		return nil
	}
	if err != nil {
		return err
	}
	alt := store.Alternate{EntryID: entry, Text: learn.Clean(q.Text), QuestionID: qid, AddedBy: ic.User.ID, AddedAt: a.now()}
	problems, err := a.faq.Attach(ctx, alt)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		a.log.Info("attach refused by check", "question_id", qid, "entry_id", entry, "problems", len(problems))
		reply(fmt.Sprintf("❌ « %s » n'a pas été rattachée à *%s* : %s", fromSlack(alt.Text), entry, fromSlack(strings.Join(problems, " ; "))))
		return nil
	}
	a.log.Info("alternate attached", "question_id", qid, "entry_id", entry, "user_id", ic.User.ID)
	reply(fmt.Sprintf("✅ « %s » est maintenant une formulation de *%s*, appliquée tout de suite. "+
		"`bot learn --export` l'écrira dans faq.yaml pour relecture.", fromSlack(alt.Text), entry))
	return nil
}

// fromSlack makes text Slack sent safe inside mrkdwn without escaping it
// twice: Slack has already written &, < and > as entities.
func fromSlack(s string) string {
	return escape(strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s))
}
