package answers

import (
	"math"
	"time"
)

// index holds every entry's phrasings as weighted term sets.
type index struct {
	entries []indexedEntry
	idf     map[string]float64
	unknown float64 // weight of a term no entry uses
	// uses is, for each term, the entries that ask or answer with it.
	uses map[string][]termUse
	// phrasingAt numbers every entry's phrasings in one sequence: entry
	// e's start there (and, last, how many there are).
	phrasingAt []int
}

// termUse is how one entry uses a term.
type termUse struct {
	entry     int
	phrasings []int32 // the entry's phrasings that have it
	asked     bool    // its questions use it (else only its answer)
	share     float64 // the share of its phrasings that do
}

type indexedEntry struct {
	entry     *Entry
	phrasings []termSet // question, then alternates
	// asked maps the terms of the entry's phrasings to the share of
	// phrasings that use them: how central each is to the entry.
	asked    map[string]float64
	answered map[string]bool // terms of the answer only
}

// termSet is a text's distinct terms and their weights.
type termSet struct {
	terms   []string
	weights []float64
	norm    float64 // sum of the terms' full weights
}

func buildIndex(faq *FAQ, a *analyser, r *renderer, unknown float64) *index {
	ix := &index{idf: map[string]float64{}, unknown: unknown}
	// A term's rarity is counted among the entries' questions: answers repeat
	// facts (the list of positions) that would make a decisive word look common.
	dfAsked, dfAnswered := map[string]int{}, map[string]int{}
	// Answers are read as of a fixed time: their deadline status is not a topic.
	epoch := time.Time{}
	var raw [][][]string
	for i := range faq.Entries {
		e := &faq.Entries[i]
		ie := indexedEntry{entry: e, asked: map[string]float64{}, answered: map[string]bool{}}
		texts := [][]string{a.analyse(e.Question.Value, false).terms}
		for _, alt := range e.Alternates {
			texts = append(texts, a.analyse(alt.Value, false).terms)
		}
		for _, ts := range texts {
			for _, t := range unique(ts) {
				ie.asked[t] += 1 / float64(len(texts))
			}
		}
		for _, t := range a.analyse(r.text(e.Answer, epoch, French, nil), false).terms {
			if _, ok := ie.asked[t]; !ok {
				ie.answered[t] = true
			}
		}
		for t := range ie.asked {
			dfAsked[t]++
		}
		for t := range ie.answered {
			dfAnswered[t]++
		}
		raw = append(raw, texts)
		ix.entries = append(ix.entries, ie)
	}
	n := float64(len(faq.Entries))
	idf := func(d int) float64 { return math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5)) }
	for t, d := range dfAnswered {
		ix.idf[t] = idf(d)
	}
	for t, d := range dfAsked {
		ix.idf[t] = idf(d)
	}
	ix.uses = map[string][]termUse{}
	ix.phrasingAt = make([]int, len(raw)+1)
	for i, texts := range raw {
		ie := &ix.entries[i]
		ix.phrasingAt[i+1] = ix.phrasingAt[i] + len(texts)
		byTerm := map[string][]int32{}
		for k, ts := range texts {
			set := ix.termSet(ts)
			ie.phrasings = append(ie.phrasings, set)
			for _, t := range set.terms {
				byTerm[t] = append(byTerm[t], int32(k))
			}
		}
		for t, share := range ie.asked {
			ix.uses[t] = append(ix.uses[t], termUse{entry: i, phrasings: byTerm[t], asked: true, share: share})
		}
		for t := range ie.answered {
			ix.uses[t] = append(ix.uses[t], termUse{entry: i})
		}
	}
	return ix
}

func (ix *index) termSet(terms []string) termSet {
	return ix.query(analysis{terms: terms, kinds: make([]termKind, len(terms))}, Tuning{})
}

func unique(list []string) []string {
	var out []string
	for _, s := range list {
		if indexOf(out, s) < 0 {
			out = append(out, s)
		}
	}
	return out
}

// query weighs a question's terms: those seen only in context sentences or
// reached by typo correction count for less.
func (ix *index) query(an analysis, tn Tuning) termSet {
	// Qualifiers weigh less when the question proper has another known topic.
	topic := false
	for i, t := range an.terms {
		_, known := ix.idf[t]
		topic = topic || known && an.kinds[i]&(qualifier|inContext) == 0
	}
	var ts termSet
	for i, t := range an.terms {
		w := ix.weight(t)
		if an.kinds[i]&inContext != 0 {
			w *= tn.Context
		}
		if an.kinds[i]&offTopic != 0 {
			w *= tn.OffTopic
		}
		if topic && an.kinds[i]&qualifier != 0 {
			w *= tn.Qualifier
		}
		// A guessed word counts fully in what the question says, but only
		// partly in what an entry can be credited with explaining.
		credit := w
		if an.kinds[i]&corrected != 0 {
			credit *= tn.Corrected
		}
		if j := indexOf(ts.terms, t); j >= 0 {
			if credit > ts.weights[j] {
				ts.weights[j] = credit
			}
			continue
		}
		ts.terms = append(ts.terms, t)
		ts.weights = append(ts.weights, credit)
		ts.norm += w
	}
	return ts
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// weight is a term's idf, or the unknown weight for a term no entry uses.
func (ix *index) weight(t string) float64 {
	if w, ok := ix.idf[t]; ok {
		return w
	}
	return ix.unknown
}
