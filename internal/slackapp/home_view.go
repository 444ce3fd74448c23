package slackapp

import (
	"context"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
)

// Block Kit limits of a Home tab (docs.slack.dev, views reference).
const (
	maxHomeBlocks  = 100
	maxHeaderText  = 150
	maxActionItems = 25 // elements in one actions block
)

// actionHomeAnswer (+ index) is an FAQ question's button on the Home; its
// value is the entry id, and a click opens the answer in a modal.
const actionHomeAnswer = "home_answer_"

// The messages of faq.yaml the Home shows to everyone; one missing leaves
// its part out. home_topic_<topic> names a topic of the FAQ.
const (
	msgHomeTitle   = "home_title"
	msgHomeIntro   = "home_intro"
	msgHomeCall    = "home_call" // one text per state of the call
	msgHomeFAQ     = "home_faq_title"
	msgHomeFAQHint = "home_faq_hint"
	msgHomeTopic   = "home_topic_"
	msgHomeAsk     = "home_how_to_ask"
)

// view is a user's Home: everyone's part, then the staff's; chartID is
// the chart it shows, "" if none.
func (h *Home) view(ctx context.Context, user string) (view slack.HomeTabViewRequest, chartID string) {
	m := h.d.Matcher.Load().At(h.d.Now)
	blocks := candidateBlocks(m)
	if h.d.StaffIDs[user] {
		var staff []slack.Block
		staff, chartID = h.staffBlocks(ctx)
		blocks = append(blocks, staff...)
	}
	if len(blocks) > maxHomeBlocks {
		blocks = blocks[:maxHomeBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}, chartID
}

// candidateBlocks is the Home everyone sees, its texts from faq.yaml: the
// programme in brief, where the call stands with its button, the FAQ by
// topic, and how to ask.
func candidateBlocks(m *answers.Matcher) []slack.Block {
	say := func(name string) string { return m.MessageIn(name, answers.French, nil) }
	var blocks []slack.Block
	if t := say(msgHomeTitle); t != "" {
		blocks = append(blocks, slack.NewHeaderBlock(plain(truncate(t, maxHeaderText))))
	}
	if t := say(msgHomeIntro); t != "" {
		blocks = append(blocks, sections(t, 2)...)
	}
	if t := say(msgHomeCall); t != "" {
		blocks = append(blocks, section("call", truncate(t, maxSectionText)))
	}
	button, _ := linkButton(m.Link(answers.French), m.FAQ().FormURL.Value)
	blocks = append(blocks, slack.NewActionBlock("call-actions", button), slack.NewDividerBlock())
	if t := say(msgHomeFAQ); t != "" {
		blocks = append(blocks, slack.NewHeaderBlock(plain(truncate(t, maxHeaderText))))
	}
	if t := say(msgHomeFAQHint); t != "" {
		blocks = append(blocks, slack.NewContextBlock("faq-hint", markdown(t)))
	}
	n := 0
	for _, topic := range topicsOf(m.FAQ()) {
		title := topic.name
		if t := say(msgHomeTopic + topic.name); t != "" {
			title = t
		}
		if title != "" {
			blocks = append(blocks, section("topic-"+topic.name, "*"+truncate(title, maxSectionText-2)+"*"))
		}
		var buttons []slack.BlockElement
		flush := func() {
			if len(buttons) > 0 {
				blocks = append(blocks, slack.NewActionBlock("faq-"+strconv.Itoa(n), buttons...))
				buttons = nil
			}
		}
		for _, e := range topic.entries {
			buttons = append(buttons, slack.NewButtonBlockElement(actionHomeAnswer+strconv.Itoa(n), e.ID,
				plain(truncate(e.Question.Value, maxButtonText))))
			n++
			if len(buttons) == maxActionItems {
				flush()
			}
		}
		flush()
	}
	if t := say(msgHomeAsk); t != "" {
		blocks = append(blocks, slack.NewDividerBlock(), section("how-to-ask", truncate(t, maxSectionText)))
	}
	return blocks
}

// topic is one group of the FAQ, its entries in faq.yaml's order.
type topic struct {
	name    string
	entries []*answers.Entry
}

// topicsOf groups the entries by topic, topics in the order they first
// appear; entries without a topic come last, in a group named "".
func topicsOf(faq *answers.FAQ) []topic {
	var out []topic
	index := map[string]int{}
	var loose []*answers.Entry
	for i := range faq.Entries {
		e := &faq.Entries[i]
		if e.Topic == "" {
			loose = append(loose, e)
			continue
		}
		j, ok := index[e.Topic]
		if !ok {
			j = len(out)
			index[e.Topic] = j
			out = append(out, topic{name: e.Topic})
		}
		out[j].entries = append(out[j].entries, e)
	}
	if len(loose) > 0 {
		out = append(out, topic{entries: loose})
	}
	return out
}
