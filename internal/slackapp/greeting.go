package slackapp

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// greetingTopics is how many FAQ questions a greeting offers.
const greetingTopics = 3

// Sentences of a greeting that faq.yaml does not say.
const (
	defaultGreeting = "Bonjour !"
	canDo           = "Je réponds aux questions sur le programme, par exemple :"
)

// bare reports whether q says nothing but the bot's name.
func bare(q store.Question) bool {
	return q.Kind == store.KindQuestion && strings.TrimSpace(q.Text) == ""
}

// greeting is the answer to a bare mention: the FAQ's own greeting, as
// small talk, so that it is counted as such and never handed to staff.
func greeting(m *answers.Matcher) answers.Result {
	for _, st := range m.FAQ().SmallTalk {
		if st.Kind == "greeting" && len(st.Words) > 0 {
			if r := m.Match(st.Words[0]); r.SmallTalk != "" {
				return r
			}
		}
	}
	r := m.Fallback()
	r.SmallTalk, r.Answer = "greeting", defaultGreeting
	if s := m.MessageIn("greeting", answers.French, nil); s != "" {
		r.Answer = s
	}
	return r
}

// composeGreeting says hello and what the bot can do: a few of the FAQ's
// questions, each a button that posts its answer, and the form.
func composeGreeting(q store.Question, r answers.Result, m *answers.Matcher) reply {
	id := strconv.FormatInt(q.ID, 10)
	apply, link := linkButton(r.Link, r.FormURL)
	var picks []slack.BlockElement
	examples := canDo
	if s := m.MessageIn("greeting_examples", r.Lang, nil); s != "" {
		examples = s
	}
	text := []string{r.Answer, examples}
	for i, e := range m.FAQ().Entries {
		if i == greetingTopics {
			break
		}
		picks = append(picks, slack.NewButtonBlockElement(actionPick+strconv.Itoa(i), id+":"+e.ID,
			plain(truncate(e.Question.Value, maxButtonText))))
		text = append(text, "• "+e.Question.Value)
	}
	blocks := []slack.Block{section("answer-0", r.Answer+"\n"+examples)}
	if len(picks) > 0 {
		blocks = append(blocks, slack.NewActionBlock("suggestions", picks...))
	}
	blocks = append(blocks, slack.NewActionBlock("actions", apply))
	return reply{text: clip(strings.Join(text, "\n")) + link, blocks: blocks}
}
