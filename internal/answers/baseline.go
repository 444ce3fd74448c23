package answers

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/sahilm/fuzzy"
)

// Baselines measure what the matcher adds: each one answers its top entry
// whenever it finds anything, as a plain search box would.

// FuzzyBaseline matches with sahilm/fuzzy alone over the question strings
// (canonical questions and alternates).
func FuzzyBaseline(faq *FAQ) func(string) Result {
	var texts []string
	var owner []*Entry
	for i := range faq.Entries {
		e := &faq.Entries[i]
		for _, p := range append([]Text{e.Question}, e.Alternates...) {
			texts = append(texts, p.Value)
			owner = append(owner, e)
		}
	}
	return func(q string) Result {
		var ranked []*Entry
		for _, m := range fuzzy.Find(q, texts) {
			ranked = appendUnique(ranked, owner[m.Index])
		}
		return baselineResult(faq, ranked)
	}
}

// BM25Baseline ranks entries with plain BM25 over the same texts, words
// split on punctuation and lower-cased, nothing more.
func BM25Baseline(faq *FAQ) func(string) Result {
	const k1, b = 1.2, 0.75
	docs := make([]map[string]int, len(faq.Entries))
	lengths := make([]float64, len(faq.Entries))
	df := map[string]int{}
	var total float64
	for i, e := range faq.Entries {
		docs[i] = map[string]int{}
		for _, p := range append([]Text{e.Question}, e.Alternates...) {
			for _, w := range plainWords(p.Value) {
				docs[i][w]++
				lengths[i]++
			}
		}
		for w := range docs[i] {
			df[w]++
		}
		total += lengths[i]
	}
	n := float64(len(docs))
	avg := total / n
	return func(q string) Result {
		scores := make([]float64, len(docs))
		for _, w := range plainWords(q) {
			if df[w] == 0 {
				continue
			}
			idf := math.Log(1 + (n-float64(df[w])+0.5)/(float64(df[w])+0.5))
			for i, d := range docs {
				if tf := float64(d[w]); tf > 0 {
					scores[i] += idf * tf * (k1 + 1) / (tf + k1*(1-b+b*lengths[i]/avg))
				}
			}
		}
		order := make([]int, len(docs))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return scores[order[i]] > scores[order[j]] })
		var ranked []*Entry
		for _, i := range order {
			if scores[i] > 0 {
				ranked = append(ranked, &faq.Entries[i])
			}
		}
		r := baselineResult(faq, ranked)
		// BM25's own score, unbounded: what a threshold would be set on.
		r.Score = scores[order[0]]
		return r
	}
}

func plainWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func appendUnique(list []*Entry, e *Entry) []*Entry {
	for _, x := range list {
		if x == e {
			return list
		}
	}
	return append(list, e)
}

func baselineResult(faq *FAQ, ranked []*Entry) Result {
	r := Result{Decision: Fallback, FormURL: faq.FormURL.Value, Suggestions: []Suggestion{}}
	if len(ranked) == 0 {
		return r
	}
	r.Decision, r.EntryID, r.Question, r.Score = Answer, ranked[0].ID, ranked[0].Question.Value, 1
	for _, e := range ranked[:min(3, len(ranked))] {
		r.Suggestions = append(r.Suggestions, Suggestion{EntryID: e.ID, Question: e.Question.Value})
	}
	return r
}
