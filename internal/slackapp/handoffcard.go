package slackapp

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/store"
)

// handoffEvent is the metadata event type of handoff cards; its payload
// names the question, so that a card posted by an attempt cut short is
// found again in the staff channel rather than posted twice.
const handoffEvent = "bin_handoff"

// Action ids of a handoff card; every value is the question id, the block
// id of the card's actions handoffBlockID + question id.
const (
	actionHandoffClaim    = "handoff_claim"
	actionHandoffReply    = "handoff_reply"
	actionHandoffAttach   = "handoff_attach" // static_select of entries
	actionHandoffOffTopic = "handoff_off_topic"
	handoffBlockID        = "handoff-"
)

// maxGuesses is how many of the bot's best guesses a card lists.
const maxGuesses = 3

// CardAPI is the part of *slack.Client that handoff cards use.
type CardAPI interface {
	PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channel, ts string, opts ...slack.MsgOption) (string, string, string, error)
	GetPermalinkContext(ctx context.Context, params *slack.PermalinkParameters) (string, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
}

// CardSender is the handoff loop's Sender on Slack: it posts and updates
// the cards in the staff channel.
type CardSender struct {
	api     CardAPI
	channel string
	matcher *atomic.Pointer[answers.Matcher]
	metrics *Metrics // Slack's refusals are counted there; nil: not counted
}

// NewCardSender builds the Sender that posts handoff cards in channel.
func NewCardSender(channel string, m *atomic.Pointer[answers.Matcher], api CardAPI, metrics *Metrics) *CardSender {
	return &CardSender{api: api, channel: channel, matcher: m, metrics: metrics}
}

// PostCard posts h's card, tagged with the question's id, with a link to
// the candidate's message when Slack gives one; a card is still worth
// posting without it.
func (s *CardSender) PostCard(ctx context.Context, h store.Handoff, recheck bool) (string, string, string, error) {
	if h.Permalink == "" && h.TS != "" {
		link, err := s.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: h.Channel, Ts: h.TS})
		if err != nil {
			s.count("chat.getPermalink", err)
		}
		h.Permalink = link
	}
	if recheck {
		if ts, ok := s.find(ctx, h); ok {
			return s.channel, ts, h.Permalink, nil
		}
	}
	text, blocks := s.card(h)
	channel, ts, err := s.api.PostMessageContext(ctx, s.channel,
		slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: handoffEvent,
			EventPayload: map[string]any{"question_id": strconv.FormatInt(h.QuestionID, 10)}}),
	)
	if err != nil {
		return "", "", "", s.count("chat.postMessage", err)
	}
	return firstOf(channel, s.channel), ts, h.Permalink, nil
}

// UpdateCard shows h's state on its card.
func (s *CardSender) UpdateCard(ctx context.Context, h store.Handoff) error {
	text, blocks := s.card(h)
	_, _, _, err := s.api.UpdateMessageContext(ctx, h.CardChannel, h.CardTS,
		slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
	if err != nil {
		return s.count("chat.update", err)
	}
	return nil
}

// find looks for h's card among the staff channel's messages since the
// handoff opened. Any doubt (history cannot be read) means not found:
// a second card beats none.
func (s *CardSender) find(ctx context.Context, h store.Handoff) (string, bool) {
	oldest := h.CreatedAt.Add(-5 * time.Minute).Unix()
	resp, err := s.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: s.channel, Oldest: strconv.FormatInt(oldest, 10), IncludeAllMetadata: true, Limit: 200})
	if err != nil {
		s.count("conversations.history", err)
		return "", false
	}
	id := strconv.FormatInt(h.QuestionID, 10)
	for _, m := range resp.Messages {
		if m.Metadata.EventType == handoffEvent && m.Metadata.EventPayload["question_id"] == id {
			return m.Timestamp, true
		}
	}
	return "", false
}

// count classifies a Slack error and counts it.
func (s *CardSender) count(method string, err error) error {
	f := classify(err)
	if s.metrics != nil {
		s.metrics.errors.WithLabelValues(method, f.Code).Inc()
	}
	return f
}

// card renders h with the matcher in service.
func (s *CardSender) card(h store.Handoff) (string, []slack.Block) {
	m := s.matcher.Load()
	return handoffText(h), handoffBlocks(h, guesses(m, h.Text), entriesOf(m))
}

// guesses are the entries the matcher thought closest to text, by their
// questions: what staff check first.
func guesses(m *answers.Matcher, text string) []string {
	r := m.Match(text)
	var out []string
	for _, s := range r.Suggestions {
		if len(out) < maxGuesses {
			out = append(out, s.Question)
		}
	}
	if len(out) == 0 && r.Question != "" && r.SmallTalk == "" {
		out = append(out, r.Question)
	}
	return out
}

// entriesOf lists the FAQ's entries, for the attach menu.
func entriesOf(m *answers.Matcher) []console.Entry {
	var out []console.Entry
	for _, e := range m.FAQ().Entries {
		out = append(out, console.Entry{ID: e.ID, Question: e.Question.Value})
	}
	return out
}

// handoffText is a card's notification text.
func handoffText(h store.Handoff) string {
	return "Question à reprendre : " + quoteSafe(h.Text, 300)
}

// handoffBlocks renders one handoff: the question quoted, where it was
// asked, the bot's guesses, its state, and the actions staff take on it
// (the Home tab shows the same). A settled handoff keeps only the menu
// to attach its question to an entry.
func handoffBlocks(h store.Handoff, guesses []string, entries []console.Entry) []slack.Block {
	qid := strconv.FormatInt(h.QuestionID, 10)
	why := reasonText(h.Reason)
	if why == "" {
		why = reasonText(store.ReasonFallback)
	}
	where := "dans <#" + h.Channel + ">"
	if h.ChannelType == "im" || h.ChannelType == "mpim" {
		where = "en message privé"
	}
	head := "*Question à reprendre* · " + why + " · " + where + " · " + h.CreatedAt.In(store.Paris).Format("02/01 15:04")
	if h.Permalink != "" {
		head += " · <" + h.Permalink + "|voir le fil>"
	}
	blocks := []slack.Block{
		section("handoff-head", head),
		section("handoff-question", quote(quoteSafe(h.Text, maxSectionText-200))),
	}
	if len(guesses) > 0 {
		lines := make([]string, len(guesses))
		for i, g := range guesses {
			lines[i] = "• " + escape(g)
		}
		blocks = append(blocks, section("handoff-guesses", "*Pistes du bot :*\n"+strings.Join(lines, "\n")))
	}
	blocks = append(blocks, slack.NewContextBlock("handoff-status", markdown(handoffStatus(h))))
	options := make([]*slack.OptionBlockObject, 0, min(len(entries), maxOptions))
	for i, e := range entries {
		if i == maxOptions {
			break
		}
		options = append(options, slack.NewOptionBlockObject(e.ID, plain(truncate(e.Question, maxOptionText)), nil))
	}
	var actions []slack.BlockElement
	open := h.Status == store.HandoffWaiting || h.Status == store.HandoffClaimed
	if open {
		actions = append(actions,
			slack.NewButtonBlockElement(actionHandoffClaim, qid, plain("Je m'en occupe")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(actionHandoffReply, qid, plain("Répondre")))
	}
	if len(options) > 0 {
		actions = append(actions, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Rattacher à…"), actionHandoffAttach, options...))
	}
	if open {
		actions = append(actions, slack.NewButtonBlockElement(actionHandoffOffTopic, qid, plain("Hors sujet")).WithStyle(slack.StyleDanger))
	}
	if len(actions) > 0 {
		blocks = append(blocks, slack.NewActionBlock(handoffBlockID+qid, actions...))
	}
	return blocks
}

// handoffStatus is the card's line on what became of the handoff.
func handoffStatus(h store.Handoff) string {
	switch h.Status {
	case store.HandoffClaimed:
		return "🙋 Pris en charge par <@" + h.ClaimedBy + ">"
	case store.HandoffAnswered:
		return "✅ répondu par <@" + h.AnsweredBy + ">"
	case store.HandoffOffTopic:
		return "🚫 Hors sujet (<@" + h.ClaimedBy + ">)"
	}
	return "⏳ En attente d'une personne de l'équipe"
}

// fromSlack reads Slack's entities back into the characters typed.
var fromSlack = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// quoteSafe makes a candidate's text, as Slack sent it (&, < and >
// already entities, mentions and links as <...>), safe to show, cut to n
// runes: their markup shows as typed, and can neither mention nor link.
func quoteSafe(s string, n int) string {
	return escape(truncate(fromSlack.Replace(s), n))
}

// quote renders text as a mrkdwn block quote.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}
