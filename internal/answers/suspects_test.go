package answers

import "testing"

// TestSuspectsFindAMisfiledAlternate files a question about remote work
// under the salary entry of the shipped FAQ: read against the writers'
// phrasings, it reads as remote work, and is listed with its line.
func TestSuspectsFindAMisfiledAlternate(t *testing.T) {
	if raceEnabled {
		t.Skip("learns the shipped FAQ once more: run without the race detector (.ci/run does)")
	}
	faq, err := LoadFile("../../data/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const misfiled = "Combien de jours de télétravail par semaine ?"
	for i := range faq.Entries {
		if e := &faq.Entries[i]; e.ID == "salaire" {
			e.Alternates = append(e.Alternates, Text{Value: misfiled, Line: 9999})
		}
	}
	m, err := NewMatcher(faq)
	if err != nil {
		t.Fatal(err)
	}
	var found []Suspect
	suspects, err := m.Suspects(0.9)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range suspects {
		if s.Text == misfiled {
			found = append(found, s)
		}
	}
	if len(found) != 1 || found[0].Entry != "salaire" || found[0].ReadAs != "teletravail" || found[0].Line != 9999 {
		t.Fatalf("misfiled alternate: %+v", found)
	}
}

// A model read from the cache has no counts of each group: Suspects says
// so rather than fail.
func TestSuspectsOfACachedModelAreRefused(t *testing.T) {
	realMatcher(t, dayEnded) // learns once and fills the cache read below
	cached, err := Load("../../data/faq.yaml", WithCache(real.cache))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cached.Suspects(0.9); err == nil {
		t.Fatal("suspects of a cached model: no error")
	}
}
