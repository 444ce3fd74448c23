package answers

import (
	"fmt"
	"io"
	"sort"
)

// tally counts what held-out predictions would have got at thresholds.
type tally struct {
	in, out                             int // in-scope and out-of-scope questions
	argmax, top1, wrong, top3, oosFalse int
}

func count(preds []prediction, th Thresholds, oos int) tally {
	var t tally
	for _, p := range preds {
		answered := p.top != oos && p.conf >= th.Answer
		if p.class == oos {
			t.out++
			if answered {
				t.oosFalse++
			}
			continue
		}
		t.in++
		if p.top == p.class {
			t.argmax++
		}
		switch {
		case answered && p.top == p.class:
			t.top1++
			t.top3++
		case answered:
			t.wrong++
		case p.pIn >= th.Suggest && containsInt(p.top3, p.class):
			t.top3++
		}
	}
	return t
}

// CrossValidation reports how the model did on each labelled set when
// that set was left out of the fit: the figures thresholds are chosen on.
func (m *Matcher) CrossValidation(w io.Writer) {
	oos := m.oos()
	byGroup := map[int32][]prediction{}
	for _, p := range m.trained.crossValidated {
		byGroup[p.group] = append(byGroup[p.group], p)
	}
	th := m.trained.thresholds
	fmt.Fprintf(w, "thresholds: answer %.3f, suggest %.3f (targets: precision >= %.2f, wrong <= %.3f, oos_false <= %.3f)\n",
		th.Answer, th.Suggest, Precision, MaxWrong, MaxOOSFalse)
	fmt.Fprintf(w, "weights:")
	for j, name := range featureNames {
		fmt.Fprintf(w, " %s=%.2f", name, m.trained.model.weights[j])
	}
	fmt.Fprintf(w, "\ncalibrator: bias=%.2f", m.trained.calibrator.bias)
	for j, name := range calibrationNames {
		fmt.Fprintf(w, " %s=%.2f", name, m.trained.calibrator.weights[j])
	}
	fmt.Fprintf(w, "\n\n%-14s %5s %5s %6s %6s %6s %6s %9s\n", "group left out", "in", "oos", "argmax", "top1", "wrong", "top3", "oos_false")
	groups := make([]int32, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i] < groups[j] })
	row := func(name string, preds []prediction) {
		t := count(preds, th, oos)
		fmt.Fprintf(w, "%-14s %5d %5d %6.3f %6.3f %6.3f %6.3f %9.3f\n", name, t.in, t.out,
			ratio(t.argmax, t.in), ratio(t.top1, t.in), ratio(t.wrong, t.in), ratio(t.top3, t.in), ratio(t.oosFalse, t.out))
	}
	for _, g := range groups {
		row(m.memory.groups[g], byGroup[g])
	}
	row("all", m.trained.crossValidated)
}

// ThresholdCurve prints, for a range of answer thresholds, what the
// held-out labelled questions would have got: the trade the threshold makes.
func (m *Matcher) ThresholdCurve(w io.Writer) {
	fmt.Fprintf(w, "\n%9s %6s %6s %9s\n", "threshold", "top1", "wrong", "oos_false")
	for _, answer := range []float64{0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98} {
		t := count(m.trained.crossValidated, Thresholds{Answer: answer, Suggest: m.trained.thresholds.Suggest}, m.oos())
		fmt.Fprintf(w, "%9.2f %6.3f %6.3f %9.3f\n", answer, ratio(t.top1, t.in), ratio(t.wrong, t.in), ratio(t.oosFalse, t.out))
	}
}

// HeldOut reports the figures of the cross-validation: every labelled set
// left out of the fit in turn, at the thresholds chosen on them.
func (m *Matcher) HeldOut() EvalReport {
	t := count(m.trained.crossValidated, m.trained.thresholds, m.oos())
	return EvalReport{Name: "cross-validation", InScope: t.in, OutOfScope: t.out,
		Top1: ratio(t.top1, t.in), Wrong: ratio(t.wrong, t.in), Top3: ratio(t.top3, t.in), OOSFalse: ratio(t.oosFalse, t.out)}
}
