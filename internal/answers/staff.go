package answers

import (
	"fmt"
	"strings"
)

// staffGroup names the phrasings staff marked off topic, for the model's
// leave-one-group-out learning.
const staffGroup = "staff-out-of-scope"

// WithOutOfScope adds messages staff marked as outside the programme
// ("Hors sujet" on a handoff card) to the training, as out-of-scope
// phrasings: the way staff attachments become phrasings of an entry.
func WithOutOfScope(texts []string) Option {
	return func(m *Matcher) { m.outOfScope = append([]string(nil), texts...) }
}

// outOfScopePhrasings are the texts of WithOutOfScope, ready to learn.
func (m *Matcher) outOfScopePhrasings() []Phrasing {
	out := make([]Phrasing, 0, len(m.outOfScope))
	for _, t := range m.outOfScope {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, Phrasing{Text: t, Class: OutOfScope, Group: staffGroup})
		}
	}
	return out
}

// hashOutOfScope writes the texts into a cache key.
func (m *Matcher) hashOutOfScope(h interface{ Write([]byte) (int, error) }) {
	for _, t := range m.outOfScope {
		fmt.Fprintln(h, "out_of_scope", t)
	}
}
