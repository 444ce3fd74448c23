package answers

import (
	"math"
	"time"
)

// index holds every entry's phrasings as weighted term sets.
type index struct {
	entries []indexedEntry
	idf     map[string]float64
}

type indexedEntry struct {
	entry     *Entry
	phrasings []termSet       // question, then alternates
	asked     map[string]bool // terms of any phrasing
	answered  map[string]bool // terms of the answer only
}

type termSet struct {
	terms []string // unique
	norm  float64  // sum of the terms' idf
}

// unknownWeight is the weight of a question word no entry uses: as much as
// a fairly specific FAQ word, so that "il pleut à Brest" is not read as a
// question about Brest alone.
const unknownWeight = 2.2

func buildIndex(faq *FAQ, a *analyser, r *renderer) *index {
	ix := &index{idf: map[string]float64{}}
	df := map[string]int{}
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
			df[t]++
		}
		for t := range ie.answered {
			df[t]++
		}
		raw = append(raw, texts)
		ix.entries = append(ix.entries, ie)
	}
	n := float64(len(faq.Entries))
	for t, d := range df {
		ix.idf[t] = math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5))
	}
	for i, texts := range raw {
		for _, ts := range texts {
			ix.entries[i].phrasings = append(ix.entries[i].phrasings, ix.termSet(ts))
		}
	}
	return ix
}

func (ix *index) termSet(terms []string) termSet {
	var ts termSet
	seen := map[string]bool{}
	for _, t := range terms {
		if seen[t] {
			continue
		}
		seen[t] = true
		ts.terms = append(ts.terms, t)
		ts.norm += ix.weight(t)
	}
	return ts
}

// weight is a term's idf, or unknownWeight for a term no entry uses.
func (ix *index) weight(t string) float64 {
	if w, ok := ix.idf[t]; ok {
		return w
	}
	return unknownWeight
}
