package answers

// The hand-built lexical score of the previous engine, one of the model's
// features: how well an entry's best phrasing and the entry as a whole
// explain the question's terms, weighted by how specific they are.

// scoreBuffers are lexical's working slices, kept across the questions of
// one worker.
type scoreBuffers struct {
	shared, sharedQ []float64 // by phrasing of every entry (index.phrasingAt)
	covered         []float64 // by entry
}

// lexical scores every entry in [0,1] for q. A phrasing given as skip is
// left out (a training question's own). The question's terms are looked
// up once for all entries (index.uses), in the order a score per entry
// would add them: the same sums.
func (m *Matcher) lexical(q termSet, skip *termSet, buf *scoreBuffers) []float64 {
	ix := m.index
	out := make([]float64, len(ix.entries), len(ix.entries)+1) // room for the out-of-scope class features adds
	if q.norm == 0 {
		return out
	}
	buf.shared = zeroed(buf.shared, ix.phrasingAt[len(ix.entries)])
	buf.sharedQ = zeroed(buf.sharedQ, len(buf.shared))
	buf.covered = zeroed(buf.covered, len(ix.entries))
	// The weight each phrasing shares with the question, and how much of
	// the question each entry as a whole explains: a term counts more the
	// more of the entry's phrasings use it, and less when only its answer
	// does.
	floor := m.tuning.Centrality
	for i, t := range q.terms {
		w := ix.weight(t)
		for _, u := range ix.uses[t] {
			at := ix.phrasingAt[u.entry]
			for _, k := range u.phrasings {
				buf.shared[at+int(k)] += w
				buf.sharedQ[at+int(k)] += q.weights[i]
			}
			if u.asked {
				buf.covered[u.entry] += q.weights[i] * (floor + (1-floor)*u.share)
			} else {
				buf.covered[u.entry] += m.tuning.AnswerField * q.weights[i]
			}
		}
	}
	mix := m.tuning.Phrasing
	for e := range ix.entries {
		entry := &ix.entries[e]
		at := ix.phrasingAt[e]
		var best, second float64
		for k := range entry.phrasings {
			p := &entry.phrasings[k]
			shared := buf.shared[at+k]
			if p == skip || shared == 0 || p.norm == 0 {
				continue
			}
			recall := shared / p.norm               // how much of the phrasing the question says
			precision := buf.sharedQ[at+k] / q.norm // how much of the question the phrasing explains
			f := 2 * precision * recall / (precision + recall)
			switch {
			case f > best:
				second, best = best, f
			case f > second:
				second = f
			}
		}
		// A second phrasing that also fits confirms the first.
		best = (1-m.tuning.Second)*best + m.tuning.Second*second
		out[e] = clamp01(mix*best + (1-mix)*buf.covered[e]/q.norm)
	}
	return out
}

// zeroed is buf at length n, all zero, reallocated only when too small.
func zeroed(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}
