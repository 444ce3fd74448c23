package slackapp

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// Block Kit limits (docs.slack.dev, block reference).
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxButtonText  = 75
	maxText        = 4000 // the notification text Slack recommends
)

// Action ids of the buttons the bot posts.
const (
	actionApply = "apply"         // link button to the form: Slack still tells us of the click
	actionUp    = "feedback_up"   // value: question id
	actionDown  = "feedback_down" // value: question id
	actionPick  = "pick_"         // + index; value: question id and entry id, "12:salaire"
)

// reply is one message ready to post: Block Kit and its plain-text fallback.
type reply struct {
	text   string
	blocks []slack.Block
}

// compose turns the matcher's result into the message for question q.
func compose(q store.Question, r answers.Result, m *answers.Matcher) reply {
	id := strconv.FormatInt(q.ID, 10)
	apply := slack.NewButtonBlockElement(actionApply, "", plain("Postuler")).WithStyle(slack.StylePrimary)
	apply.URL = r.FormURL
	link := "\n\nPostuler : " + r.FormURL
	switch {
	case r.SmallTalk != "":
		return reply{text: clip(r.Answer) + link, blocks: []slack.Block{
			section("answer-0", r.Answer), slack.NewActionBlock("actions", apply)}}
	case r.Decision == answers.Answer:
		bs := sections(r.Answer, maxBlocks-2)
		bs = append(bs,
			slack.NewContextBlock("source", markdown("Réponse à la question : *"+escape(r.Question)+"*")),
			slack.NewActionBlock("actions", apply,
				slack.NewButtonBlockElement(actionUp, id, plain("👍 Utile")),
				slack.NewButtonBlockElement(actionDown, id, plain("👎 Pas utile"))))
		return reply{text: clip(r.Answer) + link, blocks: bs}
	case r.Decision == answers.Suggest:
		picks := make([]slack.BlockElement, 0, len(r.Suggestions))
		for i, s := range r.Suggestions {
			if i == 25 { // an actions block holds 25 elements
				break
			}
			picks = append(picks, slack.NewButtonBlockElement(actionPick+strconv.Itoa(i), id+":"+s.EntryID,
				plain(truncate(s.Question, maxButtonText))))
		}
		return reply{text: clip(r.Answer) + link, blocks: []slack.Block{
			section("answer-0", m.Message("suggest_intro")),
			slack.NewActionBlock("suggestions", picks...),
			slack.NewActionBlock("actions", apply)}}
	case q.ChannelType == "im":
		bs := sections(r.Answer, maxBlocks-1)
		return reply{text: clip(r.Answer) + link, blocks: append(bs, slack.NewActionBlock("actions", apply))}
	default: // fallback in a channel: discreet, the team takes over
		short := m.Message("fallback_short")
		return reply{text: short + link, blocks: []slack.Block{
			section("answer-0", short), slack.NewActionBlock("actions", apply)}}
	}
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

func markdown(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func section(blockID, text string) *slack.SectionBlock {
	return slack.NewSectionBlock(markdown(text), nil, nil, slack.SectionBlockOptionBlockID(blockID))
}

// sections cuts a long answer into at most max section blocks of at most
// 3000 characters, cutting between paragraphs, lines or words when it can.
func sections(text string, max int) []slack.Block {
	var out []slack.Block
	for _, part := range split(strings.TrimSpace(text), maxSectionText) {
		if len(out) == max {
			break
		}
		out = append(out, section("answer-"+strconv.Itoa(len(out)), part))
	}
	return out
}

// split cuts text into pieces of at most n runes.
func split(text string, n int) []string {
	var out []string
	for utf8.RuneCountInString(text) > n {
		cut := byteIndex(text, n)
		head := text[:cut]
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(head, sep); i > n/2 {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimSpace(text[:cut]))
		text = strings.TrimSpace(text[cut:])
	}
	if text != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}

// byteIndex is the byte offset of rune n of s.
func byteIndex(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// truncate shortens s to n runes, ending with an ellipsis when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(s[:byteIndex(s, n-1)]) + "…"
}

// clip keeps the text fallback short enough to leave room for the form link.
func clip(s string) string { return truncate(strings.TrimSpace(s), maxText-200) }

// escape makes text safe inside mrkdwn.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
