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
	r := m.read(question, true)
	v := m.classify(r)
	fmt.Fprintf(&b, "language %s, %d topic term(s); confidence %.3f; thresholds: answer %.3f, suggest %.3f\n", r.lang, r.content,
		v.conf, m.trained.thresholds.Answer, m.trained.thresholds.Suggest)
	f := m.features(r, keepAll, m.memory.scratch())
	for i, c := range v.order {
		if i == top {
			break
		}
		fmt.Fprintf(&b, "  %.3f  %-26s", v.probs[c], m.memory.classes[c])
		for k, fc := range f.classes {
			if fc != c {
				continue
			}
			for j, name := range featureNames {
				if f.rows[k][j] != 0 {
					fmt.Fprintf(&b, " %s=%.2f", name, f.rows[k][j])
				}
			}
		}
		b.WriteString("\n")
	}
	var notes []partNote
	if pl, ok := m.parts(v, question, &notes); ok || len(notes) > 1 {
		fmt.Fprintf(&b, "pieces (answered in parts: %v):\n", ok && pl.decision == Answer)
		for _, n := range notes {
			switch {
			case n.skipped != "":
				fmt.Fprintf(&b, "  skipped %q: %s\n", n.text, n.skipped)
			default:
				fmt.Fprintf(&b, "  %q: %s %.3f (answered: %v)\n", n.text, m.memory.classes[n.v.top], n.v.conf, n.taken)
			}
		}
	}
	fmt.Fprintf(&b, "weights:")
	for j, name := range featureNames {
		fmt.Fprintf(&b, " %s=%.2f", name, m.trained.model.weights[j])
	}
	b.WriteString("\n")
	return b.String()
}
