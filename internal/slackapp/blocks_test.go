package slackapp

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

func TestComposeLongAnswerSplits(t *testing.T) {
	m := mustLoad(t)
	para := strings.Repeat("Le programme recrute des profils variés, é à ç. ", 40) // ~2000 runes
	cases := []struct {
		name     string
		answer   string
		sections int
	}{
		{"short", "Un CDD de 2 ans.", 1},
		{"two paragraphs over 3000", para + "\n\n" + para, 2},
		{"one line of 10000 runes", strings.Repeat("é", 10000), 4},
		{"far too long", strings.Repeat(para+"\n", 100), maxBlocks - 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := answers.Result{Decision: answers.Answer, EntryID: "x", Question: "Q <b> & ?", Answer: c.answer, FormURL: formURL}
			msg := compose(store.Question{ID: 7, ChannelType: "channel"}, r, m)
			bs := slack.Blocks{BlockSet: msg.blocks}
			checkLimits(t, bs)
			n := 0
			for _, b := range msg.blocks {
				if s, ok := b.(*slack.SectionBlock); ok {
					n++
					if utf8.RuneCountInString(s.Text.Text) > maxSectionText {
						t.Errorf("section of %d runes", utf8.RuneCountInString(s.Text.Text))
					}
				}
			}
			if n != c.sections {
				t.Errorf("%d sections, want %d", n, c.sections)
			}
			if utf8.RuneCountInString(msg.text) > maxText || !strings.HasSuffix(msg.text, formURL) {
				t.Errorf("text fallback of %d runes, ending %q", utf8.RuneCountInString(msg.text), msg.text[max(0, len(msg.text)-60):])
			}
			raw, err := json.Marshal(bs)
			if err != nil || !strings.Contains(string(raw), `Q \u0026lt;b\u0026gt; \u0026amp; ?`) {
				t.Errorf("context line not escaped: %s", raw)
			}
		})
	}
}

func TestComposeSuggest(t *testing.T) {
	m := mustLoad(t)
	r := answers.Result{Decision: answers.Suggest, FormURL: formURL, Suggestions: []answers.Suggestion{
		{EntryID: "salaire", Question: "Quel est le salaire ?"},
		{EntryID: "contrat", Question: strings.Repeat("Quel est le type de contrat, exactement ? ", 5)}}}
	msg := compose(store.Question{ID: 12, ChannelType: "channel"}, r, m)
	checkLimits(t, slack.Blocks{BlockSet: msg.blocks})
	btns := buttons(slack.Blocks{BlockSet: msg.blocks})
	for i, s := range r.Suggestions {
		b := btns[actionPick+string(rune('0'+i))]
		if b == nil || b.Value != "12:"+s.EntryID || b.Text.Text != truncate(s.Question, maxButtonText) {
			t.Errorf("suggestion %d button = %+v", i, b)
		}
	}
	if btns[actionApply] == nil || btns[actionUp] != nil {
		t.Errorf("suggest buttons = %v: want Postuler and no feedback", btns)
	}
}

func TestSplitKeepsEverything(t *testing.T) {
	text := strings.Repeat("mot ", 3000)
	got := strings.Join(split(text, 100), " ")
	if strings.Fields(got) == nil || len(strings.Fields(got)) != 3000 {
		t.Errorf("split lost words: %d", len(strings.Fields(got)))
	}
}
