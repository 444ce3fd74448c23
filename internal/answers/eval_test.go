package answers

import "testing"

// The acceptance thresholds of the answer engine, on our own eval set.
var evalLimits = EvalLimits{MinTop1: 0.92, MaxWrong: 0.02, MinTop3: 0.97, MaxOOSFalse: 0.03}

func TestEvalSetMeetsThresholds(t *testing.T) {
	m := mustLoad(t, "../../data/faq.yaml")
	cases, err := LoadEvalFile("testdata/eval.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 310 {
		t.Fatalf("eval set has %d questions, want at least 310", len(cases))
	}
	rep := Evaluate("matcher", cases, m.Match)
	if rep.InScope < 250 || rep.OutOfScope < 60 {
		t.Fatalf("eval set has %d in scope and %d out of scope, want 250 and 60", rep.InScope, rep.OutOfScope)
	}
	t.Logf("top1 %.3f wrong %.3f top3 %.3f oos_false %.3f", rep.Top1, rep.Wrong, rep.Top3, rep.OOSFalse)
	for _, f := range rep.Failures(evalLimits) {
		t.Error(f)
	}
	fuzzyRep := Evaluate("fuzzy", cases, FuzzyBaseline(m.FAQ()))
	bm25Rep := Evaluate("bm25", cases, BM25Baseline(m.FAQ()))
	for _, b := range []EvalReport{fuzzyRep, bm25Rep} {
		if rep.Top1 <= b.Top1 || rep.Wrong >= b.Wrong && b.Wrong > 0 {
			t.Errorf("matcher (top1 %.3f, wrong %.3f) not ahead of %s (top1 %.3f, wrong %.3f)", rep.Top1, rep.Wrong, b.Name, b.Top1, b.Wrong)
		}
	}
}

func TestEvaluateCountsDecisions(t *testing.T) {
	one := func(q, entry string) EvalCase { return EvalCase{Question: q, Entries: []string{entry}} }
	cases := []EvalCase{one("a", "x"), one("b", "x"), one("c", "x"), one("d", "x"), one("e", OutOfScope), one("f", OutOfScope),
		{Question: "g", Entries: []string{"x", "y"}}, {Question: "h", Entries: []string{"x", "y"}}, {Question: "i", Entries: []string{"x", "y"}}}
	results := map[string]Result{
		"a": {Decision: Answer, EntryID: "x"},
		"b": {Decision: Answer, EntryID: "y"},
		"c": {Decision: Suggest, Suggestions: []Suggestion{{EntryID: "y"}, {EntryID: "x"}}},
		"d": {Decision: Fallback},
		"e": {Decision: Answer, EntryID: "x"},
		"f": {Decision: Fallback},
		"g": {Decision: Answer, EntryID: "x", Parts: []Part{{EntryID: "x"}, {EntryID: "y"}}},
		"h": {Decision: Answer, EntryID: "x"},
		"i": {Decision: Answer, EntryID: "x", Parts: []Part{{EntryID: "x"}, {EntryID: "z"}}},
	}
	rep := Evaluate("t", cases, func(q string) Result { return results[q] })
	if rep.Top1 != 0.25 || rep.Wrong != 0.25 || rep.Top3 != 0.5 || rep.OOSFalse != 0.5 || rep.Suggested != 0.25 ||
		rep.TwoPart != 3 || rep.TwoPartRight != 1.0/3 || rep.TwoPartWrong != 1.0/3 {
		t.Errorf("report = %+v", rep)
	}
}
