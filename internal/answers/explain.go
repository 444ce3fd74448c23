package answers

import (
	"fmt"
	"strings"
)

// Explain shows how the matcher read a question and scored the best
// entries: what staff need to see to fix a wrong answer with a synonym or
// an alternate rather than a guess.
func (m *Matcher) Explain(question string, top int) string {
	an := m.analyser.analyse(question, true)
	var b strings.Builder
	fmt.Fprintf(&b, "words: %s\n", Normalise(question))
	fmt.Fprintf(&b, "terms:")
	for _, t := range an.terms {
		if _, ok := m.index.idf[t]; ok {
			fmt.Fprintf(&b, " %s(%.2f)", t, m.index.idf[t])
		} else {
			fmt.Fprintf(&b, " %s(unknown)", t)
		}
	}
	if len(an.smallTalk) > 0 {
		fmt.Fprintf(&b, "\nsmall talk: %v", an.smallTalk)
	}
	b.WriteString("\n")
	if len(an.terms) == 0 {
		return b.String()
	}
	for i, s := range m.rank(an) {
		if i == top {
			break
		}
		fmt.Fprintf(&b, "  %.3f  %s\n", s.score, s.entry.entry.ID)
	}
	return b.String()
}
