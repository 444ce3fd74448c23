package store

import "testing"

// TestVoteSaysWhetherItChanged: a first vote and a change of mind are
// votes; the same button clicked again is not.
func TestVoteSaysWhetherItChanged(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store, _ string) {
		id, _, err := s.RecordQuestion(t.Context(), question("Ev1", "D1", "1.1"))
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct {
			user    string
			up      bool
			changed bool
		}{{"U2", true, true}, {"U2", true, false}, {"U2", false, true}, {"U2", false, false}, {"U3", false, true}} {
			changed, err := s.Vote(t.Context(), id, c.user, c.up, t0)
			if err != nil || changed != c.changed {
				t.Errorf("click %d (%s up=%v) = %v, %v; want changed=%v", i, c.user, c.up, changed, err, c.changed)
			}
		}
		if up, down, err := s.Feedback(t.Context()); up != 0 || down != 2 || err != nil {
			t.Errorf("feedback = %d up, %d down, %v; want 0 and 2", up, down, err)
		}
	})
}
