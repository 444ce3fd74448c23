package answers

import "testing"

// Floors under which the learned model has regressed, on its own
// cross-validation (each labelled set held out of the fit in turn). The
// test set (eval/) is not used here: it only reports.
var heldOutFloors = EvalLimits{MinTop1: 0.85, MaxWrong: 0.02, MinTop3: 0.96, MaxOOSFalse: 0.03}

func TestCrossValidationMeetsFloors(t *testing.T) {
	m := realMatcher(t, dayEnded)
	rep := m.HeldOut()
	if rep.InScope < 1000 || rep.OutOfScope < 300 {
		t.Fatalf("cross-validation on %d in scope and %d out of scope, want 1000 and 300", rep.InScope, rep.OutOfScope)
	}
	t.Logf("held out: top1 %.3f wrong %.3f top3 %.3f oos_false %.3f", rep.Top1, rep.Wrong, rep.Top3, rep.OOSFalse)
	for _, f := range rep.Failures(heldOutFloors) {
		t.Error(f)
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

// TestEvaluateCountsStrayParts: a one-question message answered right but
// with another entry besides is right, and counted apart as a stray part.
func TestEvaluateCountsStrayParts(t *testing.T) {
	cases := []EvalCase{{Question: "a", Entries: []string{"x"}}, {Question: "b", Entries: []string{"x"}},
		{Question: "c", Entries: []string{"x"}}, {Question: "d", Entries: []string{"x"}}}
	results := map[string]Result{
		"a": {Decision: Answer, EntryID: "x", Parts: []Part{{EntryID: "x"}, {EntryID: "y"}}},
		"b": {Decision: Answer, EntryID: "x"},
		"c": {Decision: Answer, EntryID: "y", Parts: []Part{{EntryID: "y"}, {EntryID: "x"}}}, // the entry asked second
		"d": {Decision: Answer, EntryID: "y", Parts: []Part{{EntryID: "y"}, {EntryID: "z"}}},
	}
	rep := Evaluate("t", cases, func(q string) Result { return results[q] })
	if rep.Top1 != 0.75 || rep.Wrong != 0.25 || rep.StrayParts != 0.5 || len(rep.Misses) != 3 {
		t.Errorf("report = %+v", rep)
	}
}

// TestEvaluateReportsEnglishApart: the messages written in English get
// their own figures beside the whole set's.
func TestEvaluateReportsEnglishApart(t *testing.T) {
	cases := []EvalCase{{Question: "what is the salary?", Entries: []string{"x"}}, {Question: "quel est le salaire ?", Entries: []string{"x"}}}
	results := map[string]Result{"what is the salary?": {Decision: Fallback}, "quel est le salaire ?": {Decision: Answer, EntryID: "x"}}
	rep := Evaluate("t", cases, func(q string) Result { return results[q] })
	if rep.Top1 != 0.5 || rep.English == nil || rep.English.InScope != 1 || rep.English.Top1 != 0 {
		t.Errorf("report = %+v, English %+v", rep, rep.English)
	}
}

// TestEvaluateCountsOneWordMessages: a one-word message is never answered
// (the scope rule); the report counts them and gives top1 without them.
func TestEvaluateCountsOneWordMessages(t *testing.T) {
	cases := []EvalCase{{Question: "salaire ?", Entries: []string{"salaire"}}, {Question: "quel est le salaire ?", Entries: []string{"salaire"}},
		{Question: "et le télétravail ?", Entries: []string{"teletravail"}}}
	results := map[string]Result{
		"salaire ?":             {Decision: Fallback},
		"quel est le salaire ?": {Decision: Answer, EntryID: "salaire"},
		"et le télétravail ?":   {Decision: Fallback},
	}
	rep := Evaluate("t", cases, func(q string) Result { return results[q] })
	if rep.OneWord != 1 || rep.Top1 != 1.0/3 || rep.Top1Rest != 0.5 || rep.Top3Rest != 0.5 {
		t.Errorf("one word %d, top1 %.3f, top1 on the others %.3f; want 1, 0.333, 0.5", rep.OneWord, rep.Top1, rep.Top1Rest)
	}
}
