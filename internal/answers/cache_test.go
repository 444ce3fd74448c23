package answers

import (
	"reflect"
	"testing"
	"time"
)

// TestACachedModelAnswersAsTheLearnedOne reads the model back from the
// cache and asks it what the learned one was asked: every field the cache
// forgets, or matching computes from it, shows here.
func TestACachedModelAnswersAsTheLearnedOne(t *testing.T) {
	learned := realMatcher(t, dayOpen)
	cached, err := Load("../../data/faq.yaml", WithCache(real.cache), WithClock(func() time.Time { return dayOpen }))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(benchQuestions, "salaire ? télétravail ?", "- salaire ?\n- télétravail ?", "c quoi le smic ?") {
		if a, b := learned.Match(q), cached.Match(q); !reflect.DeepEqual(a, b) {
			t.Errorf("%q: learned %s %s %.3f, cached %s %s %.3f", q, a.Decision, a.EntryID, a.Score, b.Decision, b.EntryID, b.Score)
		}
	}
}
