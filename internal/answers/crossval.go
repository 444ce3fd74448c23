package answers

import (
	"fmt"
	"io"
	"sort"
)

// CrossValidation reports how the model did on each training group when
// that group was left out of the fit: the figures thresholds are chosen on.
func (m *Matcher) CrossValidation(w io.Writer) {
	oos := m.oos()
	byGroup := map[int32][]prediction{}
	for _, p := range m.trained.crossValidated {
		byGroup[p.group] = append(byGroup[p.group], p)
	}
	th := m.trained.thresholds
	fmt.Fprintf(w, "thresholds: answer %.3f, suggest %.3f (targets: wrong <= %.3f, oos_false <= %.3f)\n", th.Answer, th.Suggest, MaxWrong, MaxOOSFalse)
	fmt.Fprintf(w, "weights:")
	for j, name := range featureNames {
		fmt.Fprintf(w, " %s=%.2f", name, m.trained.model.weights[j])
	}
	fmt.Fprintf(w, "\n\n%-14s %5s %5s %6s %6s %6s %6s %9s\n", "group left out", "in", "oos", "argmax", "top1", "wrong", "top3", "oos_false")
	groups := make([]int32, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i] < groups[j] })
	for _, g := range groups {
		var in, out, argmax, top1, wrong, top3, oosFalse int
		for _, p := range byGroup[g] {
			answered := p.top != oos && p.p >= th.Answer
			if p.class == oos {
				out++
				if answered {
					oosFalse++
				}
				continue
			}
			in++
			if p.top == p.class {
				argmax++
			}
			switch {
			case answered && p.top == p.class:
				top1++
				top3++
			case answered:
				wrong++
			case p.pIn >= th.Suggest && containsInt(p.top3, p.class):
				top3++
			}
		}
		fmt.Fprintf(w, "%-14s %5d %5d %6.3f %6.3f %6.3f %6.3f %9.3f\n", m.memory.groups[g], in, out,
			ratio(argmax, in), ratio(top1, in), ratio(wrong, in), ratio(top3, in), ratio(oosFalse, out))
	}
}
