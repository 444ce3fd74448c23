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
}

type indexedEntry struct {
	entry     *Entry
	phrasings []termSet       // question, then alternates
	asked     map[string]bool // terms of any phrasing
	answered  map[string]bool // terms of the answer only
}

// termSet is a text's distinct terms and their weights.
type termSet struct {
	terms   []string
	weights []float64
	norm    float64 // sum of weights
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
		ie := indexedEntry{entry: e, asked: map[string]bool{}, answered: map[string]bool{}}
		texts := [][]string{a.analyse(e.Question.Value, false).terms}
		for _, alt := range e.Alternates {
			texts = append(texts, a.analyse(alt.Value, false).terms)
		}
		for _, ts := range texts {
			for _, t := range ts {
				ie.asked[t] = true
			}
		}
		for _, t := range a.analyse(r.render(e.Answer.Value, epoch), false).terms {
			if !ie.asked[t] {
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
	for i, texts := range raw {
		for _, ts := range texts {
			ix.entries[i].phrasings = append(ix.entries[i].phrasings, ix.termSet(ts))
		}
	}
	return ix
}

func (ix *index) termSet(terms []string) termSet {
	return ix.query(analysis{terms: terms, context: make([]bool, len(terms))}, 1)
}

// query weighs a question's terms; terms only seen in context sentences
// count for contextWeight of their weight.
func (ix *index) query(an analysis, contextWeight float64) termSet {
	var ts termSet
	for i, t := range an.terms {
		w := ix.weight(t)
		if an.context[i] {
			w *= contextWeight
		}
		if j := indexOf(ts.terms, t); j >= 0 {
			if w > ts.weights[j] {
				ts.norm += w - ts.weights[j]
				ts.weights[j] = w
			}
			continue
		}
		ts.terms = append(ts.terms, t)
		ts.weights = append(ts.weights, w)
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
