package answers

import (
	"flag"
	"fmt"
	"sort"
	"testing"
)

var tune = flag.Bool("tune", false, "search the tuning grid on testdata/eval.yaml and print the best settings")

// TestTune is how DefaultTuning was chosen: a grid over the weights and
// thresholds, scored on eval.yaml as top1 - 4*wrong - 2*oos_false, then
// checked on holdout.yaml, which the search never sees. Run with -tune.
func TestTune(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	faq, err := LoadFile("../../data/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := LoadEvalFile("testdata/eval.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		tuning Tuning
		rep    EvalReport
		obj    float64
	}
	var rows []row
	for _, unknown := range []float64{1.5, 2.2, 3, 4} {
		for _, af := range []float64{0.2, 0.35, 0.5} {
			for _, ph := range []float64{0.5, 0.65, 0.8} {
				for _, ctx := range []float64{0.2, 0.35, 0.6, 1} {
					tn := Tuning{Unknown: unknown, AnswerField: af, Phrasing: ph, Context: ctx}
					m, err := NewMatcher(faq, WithTuning(tn))
					if err != nil {
						t.Fatal(err)
					}
					ranked := make([][]scored, len(cases))
					for i, c := range cases {
						an := m.analyser.analyse(c.Question, true)
						if len(an.terms) > 0 {
							ranked[i] = m.rank(an)
						}
					}
					for ans := 0.3; ans <= 0.75; ans += 0.05 {
						for margin := 0.0; margin <= 0.2; margin += 0.02 {
							for _, sug := range []float64{0.15, 0.2, 0.25, 0.3} {
								tn.Thresholds = Thresholds{Answer: ans, Margin: margin, Suggest: sug}
								m.tuning = tn
								i := 0
								rep := Evaluate("grid", cases, func(string) Result {
									r := ranked[i]
									i++
									return m.decide(r)
								})
								obj := rep.Top1 - 4*rep.Wrong - 2*rep.OOSFalse + 0.2*rep.Top3
								rows = append(rows, row{tn, rep, obj})
							}
						}
					}
				}
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].obj > rows[j].obj })
	holdout, err := LoadEvalFile("testdata/holdout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[:15] {
		m, _ := NewMatcher(faq, WithTuning(r.tuning))
		h := Evaluate("holdout", holdout, m.Match)
		fmt.Printf("%+v\n  eval top1 %.3f wrong %.3f top3 %.3f oos %.3f | holdout top1 %.3f wrong %.3f top3 %.3f oos %.3f\n",
			r.tuning, r.rep.Top1, r.rep.Wrong, r.rep.Top3, r.rep.OOSFalse, h.Top1, h.Wrong, h.Top3, h.OOSFalse)
	}
}
