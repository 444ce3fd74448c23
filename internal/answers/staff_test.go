package answers

import "testing"

// A message staff marked off topic is learned as one: asked again, it is
// no longer answered from an entry (at most suggested), and the entry's
// own question still is.
func TestWithOutOfScopeLearnsStaffMarks(t *testing.T) {
	if raceEnabled {
		// slackapp's TestOffTopicStoredAndLearned relearns under the race
		// detector already; the package's own run is near its timeout.
		t.Skip("learning two matchers takes minutes under the race detector: .ci/run runs this test without it")
	}
	faq, err := LoadFile("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q := "Quel est le salaire du président de la République ?"
	plain, err := NewMatcher(faq)
	if err != nil {
		t.Fatal(err)
	}
	marked, err := NewMatcher(faq, WithOutOfScope([]string{q, "  "}))
	if err != nil {
		t.Fatal(err)
	}
	before, after := plain.Match(q), marked.Match(q)
	if before.Decision != Answer {
		t.Fatalf("Match(%q) before the mark = %v: pick a question the bot answers", q, before.Decision)
	}
	if after.Decision == Answer || after.Score >= before.Score {
		t.Errorf("Match(%q) after the mark = %v %q %.2f, want no answer (was %.2f)", q, after.Decision, after.EntryID, after.Score, before.Score)
	}
	if r := marked.Match("Quel est le salaire ?"); r.Decision != Answer || r.EntryID != "salaire" {
		t.Errorf("the entry's own question = %v %q", r.Decision, r.EntryID)
	}
}
