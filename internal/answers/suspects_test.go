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
	for _, s := range m.Suspects(0.9) {
		if s.Text == misfiled {
			found = append(found, s)
		}
	}
	if len(found) != 1 || found[0].Entry != "salaire" || found[0].ReadAs != "teletravail" || found[0].Line != 9999 {
		t.Fatalf("misfiled alternate: %+v", found)
	}
}
