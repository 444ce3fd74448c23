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
	rows := make([][]prediction, 0, len(groups)+1)
	names := make([]string, 0, len(groups)+1)
	for _, g := range groups {
		rows = append(rows, byGroup[g])
		names = append(names, m.memory.groups[g])
	}
	rows = append(rows, m.trained.crossValidated)
	names = append(names, "all")
	for k, preds := range rows {
		var in, out, argmax, top1, wrong, top3, oosFalse int
		for _, p := range preds {
			answered := p.top != oos && p.conf >= th.Answer
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
		fmt.Fprintf(w, "%-14s %5d %5d %6.3f %6.3f %6.3f %6.3f %9.3f\n", names[k], in, out,
			ratio(argmax, in), ratio(top1, in), ratio(wrong, in), ratio(top3, in), ratio(oosFalse, out))
	}
}

// ThresholdCurve prints, for a range of answer thresholds, what the
// held-out labelled questions would have got: the trade the threshold makes.
func (m *Matcher) ThresholdCurve(w io.Writer) {
	oos := m.oos()
	fmt.Fprintf(w, "\n%9s %6s %6s %9s\n", "threshold", "top1", "wrong", "oos_false")
	for _, th := range []float64{0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98} {
		var in, out, top1, wrong, oosFalse int
		for _, p := range m.trained.crossValidated {
			answered := p.top != oos && p.conf >= th
			if p.class == oos {
				out++
				if answered {
					oosFalse++
				}
				continue
			}
			in++
			if answered && p.top == p.class {
				top1++
			} else if answered {
				wrong++
			}
		}
		fmt.Fprintf(w, "%9.2f %6.3f %6.3f %9.3f\n", th, ratio(top1, in), ratio(wrong, in), ratio(oosFalse, out))
	}
}

// HeldOut reports the figures of the cross-validation: every labelled set
// left out of the fit in turn, at the thresholds chosen on them.
func (m *Matcher) HeldOut() EvalReport {
	oos := m.oos()
	th := m.trained.thresholds
	rep := EvalReport{Name: "cross-validation"}
	var top1, wrong, top3, oosFalse int
	for _, p := range m.trained.crossValidated {
		answered := p.top != oos && p.conf >= th.Answer
		if p.class == oos {
			rep.OutOfScope++
			if answered {
				oosFalse++
			}
			continue
		}
		rep.InScope++
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
	rep.Top1, rep.Wrong, rep.Top3 = ratio(top1, rep.InScope), ratio(wrong, rep.InScope), ratio(top3, rep.InScope)
	rep.OOSFalse = ratio(oosFalse, rep.OutOfScope)
	return rep
}
