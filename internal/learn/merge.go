// Package learn folds the wordings staff attached to entries (stored
// alternates) into the FAQ: in memory for the live matcher, and into
// faq.yaml's text for review.
package learn

import (
	"slices"
	"strings"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// Clean makes a candidate's question one tidy line.
func Clean(text string) string { return strings.Join(strings.Fields(text), " ") }

// Merge returns a copy of faq with the alternates added to their entries,
// and those it added. It leaves out an alternate whose entry is gone or
// whose wording the FAQ already has (anywhere: check refuses a phrasing
// twice), so that merging after `bot learn --export` adds nothing twice.
// faq itself is not changed: the running matcher may be reading it.
func Merge(faq *answers.FAQ, alts []store.Alternate) (*answers.FAQ, []store.Alternate) {
	out := *faq
	out.Entries = slices.Clone(faq.Entries)
	seen := phrasings(faq)
	var added []store.Alternate
	for _, a := range alts {
		text := Clean(a.Text)
		key := answers.Normalise(text)
		i := slices.IndexFunc(out.Entries, func(e answers.Entry) bool { return e.ID == a.EntryID })
		if i < 0 || key == "" || seen[key] {
			continue
		}
		seen[key] = true
		e := &out.Entries[i]
		e.Alternates = append(slices.Clone(e.Alternates), answers.Text{Value: text})
		added = append(added, a)
	}
	return &out, added
}

// phrasings is every question and alternate of the FAQ, normalised.
func phrasings(faq *answers.FAQ) map[string]bool {
	seen := map[string]bool{}
	for _, e := range faq.Entries {
		seen[answers.Normalise(e.Question.Value)] = true
		for _, alt := range e.Alternates {
			seen[answers.Normalise(alt.Value)] = true
		}
	}
	return seen
}

// Vet tells what attaching a to the FAQ (base plus the stored alternates)
// would break: the problems `bot check` would then report that it does not
// report now. A wording already in the FAQ is one of them.
func Vet(base *answers.FAQ, stored []store.Alternate, a store.Alternate) []string {
	if _, ok := base.Entry(a.EntryID); !ok {
		return []string{"l'entrée " + a.EntryID + " n'existe pas"}
	}
	before, had := Merge(base, stored)
	after, added := Merge(base, append(slices.Clone(stored), a))
	if len(added) == len(had) {
		return []string{"cette formulation est déjà dans la FAQ"}
	}
	old := map[string]bool{}
	for _, p := range answers.Check(before) {
		old[p.Msg] = true
	}
	var problems []string
	for _, p := range answers.Check(after) {
		if !old[p.Msg] {
			problems = append(problems, p.Msg)
		}
	}
	return problems
}
