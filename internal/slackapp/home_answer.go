package slackapp

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
)

// The messages of faq.yaml the answer modal uses; without them the title
// is the question and the close button Slack's own.
const (
	msgHomeAnswerTitle = "home_answer_title"
	msgHomeClose       = "home_close"
)

// Bounds of a modal (docs.slack.dev, views reference).
const (
	maxModalTitle  = 24
	maxModalBlocks = 100
)

// openTimeout bounds views.open: a trigger id is good for 3 seconds.
const openTimeout = 2500 * time.Millisecond

// OpenAnswer opens, for the user who clicked an FAQ question on the Home,
// a modal with its answer as the bot posts it: the answer, its source
// line and the apply or announcement button.
func (h *Home) OpenAnswer(ctx context.Context, triggerID, entryID string) error {
	m := h.d.Matcher.Load().At(h.d.Now)
	r, ok := m.AnswerIn(entryID, answers.French)
	if !ok {
		return fmt.Errorf("open answer: no entry %q", entryID)
	}
	if triggerID == "" {
		return fmt.Errorf("open answer %s: no trigger id", entryID)
	}
	say := func(name string) string { return m.MessageIn(name, answers.French, nil) }
	title := say(msgHomeAnswerTitle)
	if title == "" {
		title = r.Question
	}
	blocks := []slack.Block{section("question", "*"+escape(truncate(r.Question, maxSectionText-2))+"*")}
	blocks = append(blocks, sections(r.Answer, maxModalBlocks-3)...)
	if r.Source != "" {
		blocks = append(blocks, slack.NewContextBlock("source", markdown(r.Source)))
	}
	button, _ := linkButton(r.Link, r.FormURL)
	blocks = append(blocks, slack.NewActionBlock("actions", button))
	view := slack.ModalViewRequest{Type: slack.VTModal, Title: plain(truncate(title, maxModalTitle)),
		Blocks: slack.Blocks{BlockSet: blocks}, CallbackID: "home_answer"}
	if t := say(msgHomeClose); t != "" {
		view.Close = plain(truncate(t, maxModalTitle))
	}
	ctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	if _, err := h.d.Slack.OpenViewContext(ctx, triggerID, view); err != nil {
		return fmt.Errorf("open answer %s: %w", entryID, err)
	}
	h.d.Log.Info("home answer opened", "entry_id", entryID)
	return nil
}
