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

// compose turns the matcher's result into the message for question q, in
// the language of the result: the button follows the call's state (apply
// while it is open, else the announcement), an answer names its question
// and its sources.
func compose(q store.Question, r answers.Result, m *answers.Matcher) reply {
	id := strconv.FormatInt(q.ID, 10)
	apply, link := linkButton(r.Link, r.FormURL)
	say := func(name, def string, extra map[string]string) string {
		if s := m.MessageIn(name, r.Lang, extra); s != "" {
			return s
		}
		return def
	}
	switch {
	case r.SmallTalk != "":
		return reply{text: clip(r.Answer) + link, blocks: []slack.Block{
			section("answer-0", r.Answer), slack.NewActionBlock("actions", apply)}}
	case r.Decision == answers.Answer:
		bs := sections(r.Answer, maxBlocks-2)
		asked := r.Question
		for i, p := range r.Parts {
			if i == 0 {
				asked = p.Question
			} else {
				asked += " · " + p.Question
			}
		}
		context := []slack.MixedElement{markdown(say("answered_question", "Réponse à la question : *"+escape(asked)+"*",
			map[string]string{"question": escape(asked)}))}
		if r.Source != "" {
			context = append(context, markdown(r.Source))
		}
		bs = append(bs,
			slack.NewContextBlock("source", context...),
			slack.NewActionBlock("actions", apply,
				slack.NewButtonBlockElement(actionUp, id, plain(say("button_useful", "👍 Utile", nil))),
				slack.NewButtonBlockElement(actionDown, id, plain(say("button_not_useful", "👎 Pas utile", nil)))))
		text := clip(r.Answer)
		if r.Source != "" {
			text += "\n" + r.Source
		}
		return reply{text: text + link, blocks: bs}
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
			section("answer-0", say("suggest_intro", m.Message("suggest_intro"), nil)),
			slack.NewActionBlock("suggestions", picks...),
			slack.NewActionBlock("actions", apply)}}
	case q.ChannelType == "im":
		bs := sections(r.Answer, maxBlocks-1)
		return reply{text: clip(r.Answer) + link, blocks: append(bs, slack.NewActionBlock("actions", apply))}
	case r.Question != "": // a one-word message: the question to ask in full
		return reply{text: clip(r.Answer) + link, blocks: []slack.Block{
			section("answer-0", r.Answer), slack.NewActionBlock("actions", apply)}}
	default: // fallback in a channel: discreet, the team takes over
		short := say("fallback_short", m.Message("fallback_short"), nil)
		return reply{text: short + link, blocks: []slack.Block{
			section("answer-0", short), slack.NewActionBlock("actions", apply)}}
	}
}

// linkButton is the reply's button and the line the plain-text fallback
// ends with; a result without a link (from older code) gets the form.
func linkButton(l answers.Link, formURL string) (*slack.ButtonBlockElement, string) {
	if l.URL == "" {
		l = answers.Link{Label: "Postuler", URL: formURL}
	}
	b := slack.NewButtonBlockElement(actionApply, "", plain(truncate(l.Label, maxButtonText))).WithStyle(slack.StylePrimary)
	b.URL = l.URL
	return b, "\n\n" + l.Label + " : " + l.URL
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
func escape(s string) string { return toSlack.Replace(s) }

// toSlack writes &, < and > as the entities mrkdwn reads as text.
var toSlack = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
