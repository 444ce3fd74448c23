package answers

import (
	"fmt"
	"slices"
	"testing"
)

func TestDamerau(t *testing.T) {
	cases := []struct {
		a, b string
		max  int
		want int
	}{
		{"salaire", "salaire", 2, 0},
		{"slaaire", "salaire", 2, 1}, // swap
		{"salaure", "salaire", 2, 1}, // substitution
		{"salire", "salaire", 2, 1},  // deletion
		{"teletravial", "teletravail", 2, 1},
		{"abc", "xyz", 1, 2}, // gives up past max
		{"pleut", "pour", 1, 2},
	}
	for _, c := range cases {
		if got := damerau(c.a, c.b, c.max); got != c.want {
			t.Errorf("damerau(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
}

func TestSpellerCorrects(t *testing.T) {
	m := realMatcher(t, dayEnded)
	cases := []struct{ typo, want string }{
		{"slaire", "salaire"},
		{"teletravial", "teletravail"},
		{"remunaration", "remuneration"},
		{"candidture", "candidature"},
	}
	for _, c := range cases {
		got, ok := m.analyser.typos.correct(c.typo)
		if !ok || got != c.want {
			t.Errorf("correct(%q) = %q, %v; want %q", c.typo, got, ok, c.want)
		}
	}
	// Known words, stopwords, short words and numbers stay as they are.
	for _, w := range []string{"salaire", "pour", "cdd", "2023", "pistache"} {
		if got, ok := m.analyser.typos.correct(w); ok {
			t.Errorf("correct(%q) = %q, want no correction", w, got)
		}
	}
}

// TestWordsWritersUseAreNotTypos: "stage" is a word several writers use;
// the speller must not turn it into the FAQ's "state".
func TestWordsWritersUseAreNotTypos(t *testing.T) {
	var ps []Phrasing
	for i, g := range []string{"w1", "w2", "w3", "w1", "w2"} {
		ps = append(ps, Phrasing{Text: fmt.Sprintf("un stage numéro %d ?", i), Group: g})
	}
	ps = append(ps, Phrasing{Text: "un staeg ?", Group: "w1"})
	used := usedWords(ps)
	if !slices.Contains(used, "stage") || slices.Contains(used, "staeg") {
		t.Errorf("used words %v", used)
	}
	s := newSpeller(map[string]int{"state": 3}, map[string]bool{"state": true})
	s.know(used)
	if c, ok := s.correct("stage"); ok {
		t.Errorf("stage corrected into %q", c)
	}
}
