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
	r := m.rank(an)
	fmt.Fprintf(&b, "features %.3f -> confidence %.3f\n", r.features(), m.tuning.Confidence.of(r.features()))
	for i, s := range r.entries {
		if i == top {
			break
		}
		fmt.Fprintf(&b, "  %.3f  %-22s recall %.2f cover %.2f\n", s.score, s.entry.entry.ID, s.recall, s.cover)
	}
	return b.String()
}
