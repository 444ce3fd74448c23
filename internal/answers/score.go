package answers

import (
	"sort"
)

// scored is one entry's score for a question.
type scored struct {
	entry     *indexedEntry
	score     float64
	recall    float64 // share of the best phrasing that the question says
	precision float64 // share of the question that the best phrasing says
	cover     float64 // share of the question the entry as a whole explains
}

// ranking is every entry scored for one question, best first.
type ranking struct {
	query   termSet
	entries []scored
	known   float64 // share of the question's weight in words the FAQ uses
	// offTopic is true when the question names a subject the FAQ does not
	// cover: the bot then answers only when sure, and never offers choices.
	offTopic bool
}

// rank scores every entry, best first.
func (m *Matcher) rank(an analysis) ranking {
	q := m.index.query(an, m.tuning)
	r := ranking{query: q, entries: make([]scored, len(m.index.entries))}
	for i := range m.index.entries {
		r.entries[i] = m.score(q, &m.index.entries[i], nil)
	}
	sort.SliceStable(r.entries, func(i, j int) bool { return r.entries[i].score > r.entries[j].score })
	for _, k := range an.kinds {
		r.offTopic = r.offTopic || k&offTopic != 0
	}
	if q.norm > 0 {
		for i, t := range q.terms {
			if _, ok := m.index.idf[t]; ok {
				r.known += q.weights[i]
			}
		}
		r.known /= q.norm
	}
	return r
}

// score in [0,1]: how well the entry's best phrasing and the entry as a
// whole explain the question's terms, weighted by how specific they are.
// A phrasing given as skip is left out (check's leave-one-out test).
func (m *Matcher) score(q termSet, e *indexedEntry, skip *termSet) scored {
	return m.scoreWith(q, e, skip, nil)
}

// scoreBuffers are score's working slices, kept across the entries of one
// question: a long question is scored against every entry.
type scoreBuffers struct{ shared, sharedQ []float64 }

func (b *scoreBuffers) take(n int) (shared, sharedQ []float64) {
	if cap(b.shared) < n {
		b.shared, b.sharedQ = make([]float64, n), make([]float64, n)
	}
	b.shared, b.sharedQ = b.shared[:n], b.sharedQ[:n]
	clear(b.shared)
	clear(b.sharedQ)
	return b.shared, b.sharedQ
}

// scoreWith is score with its working slices in buf (nil: allocated).
func (m *Matcher) scoreWith(q termSet, e *indexedEntry, skip *termSet, buf *scoreBuffers) scored {
	s := scored{entry: e}
	if q.norm == 0 {
		return s
	}
	if buf == nil {
		buf = &scoreBuffers{}
	}
	var best, second float64
	// The weight each phrasing shares with the question, found from the
	// question's terms rather than by reading every phrasing.
	shared, sharedQ := buf.take(len(e.phrasings))
	for i, t := range q.terms {
		w := m.index.weight(t)
		for _, k := range e.byTerm[t] {
			shared[k] += w
			sharedQ[k] += q.weights[i]
		}
	}
	for k := range e.phrasings {
		p := &e.phrasings[k]
		if p == skip || shared[k] == 0 || p.norm == 0 {
			continue
		}
		recall := shared[k] / p.norm     // how much of the phrasing the question says
		precision := sharedQ[k] / q.norm // how much of the question the phrasing explains
		f := 2 * precision * recall / (precision + recall)
		switch {
		case f > best:
			second, best = best, f
			s.recall, s.precision = recall, precision
		case f > second:
			second = f
		}
	}
	// A second phrasing that also fits confirms the first.
	best = (1-m.tuning.Second)*best + m.tuning.Second*second
	// The entry as a whole: a term counts more the more of the entry's
	// phrasings use it, and less when only its answer does.
	var covered float64
	floor := m.tuning.Centrality
	for i, t := range q.terms {
		if share, ok := e.asked[t]; ok {
			covered += q.weights[i] * (floor + (1-floor)*share)
		} else if e.answered[t] {
			covered += m.tuning.AnswerField * q.weights[i]
		}
	}
	s.cover = covered / q.norm
	mix := m.tuning.Phrasing
	s.score = clamp01(mix*best + (1-mix)*s.cover)
	return s
}
