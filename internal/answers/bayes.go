package answers

import "math"

// bayes is a multinomial naive Bayes model over terms, class by class,
// that can leave one group's counts out.
type bayes struct {
	terms  map[string]int32
	counts [][]float32 // by class, by term
	totals []float32   // by class
	// byGroup is each group's counts, by term then class: what leaving
	// the group out takes away. Learning only.
	byGroup []map[int32][]classCount
	gTotals [][]float32 // by group, by class
	// logOf is log(count + smoothing) for the counts the terms have, with a
	// group left out or not.
	logOf logTable
}

// classCount is how often a term appears in one class's phrasings.
type classCount struct {
	class int32
	n     float32
}

const bayesSmoothing = 0.1

func newBayes(nClasses, nGroups int, docClass, docGroup []int32, docs [][]string) *bayes {
	b := &bayes{terms: map[string]int32{}, totals: make([]float32, nClasses), byGroup: make([]map[int32][]classCount, nGroups),
		gTotals: make([][]float32, nGroups)}
	for g := range nGroups {
		b.byGroup[g] = map[int32][]classCount{}
		b.gTotals[g] = make([]float32, nClasses)
	}
	for _, d := range docs {
		for _, t := range d {
			if _, ok := b.terms[t]; !ok {
				b.terms[t] = int32(len(b.terms))
			}
		}
	}
	b.counts = make([][]float32, nClasses)
	for c := range b.counts {
		b.counts[c] = make([]float32, len(b.terms))
	}
	for i, d := range docs {
		c, g := docClass[i], docGroup[i]
		for _, t := range d {
			id := b.terms[t]
			b.counts[c][id]++
			b.totals[c]++
			b.byGroup[g][id] = addCount(b.byGroup[g][id], c)
			b.gTotals[g][c]++
		}
	}
	return b
}

// addCount counts one more of class c in a term's counts.
func addCount(counts []classCount, c int32) []classCount {
	for i := range counts {
		if counts[i].class == c {
			counts[i].n++
			return counts
		}
	}
	return append(counts, classCount{class: c, n: 1})
}

// prepare tabulates the counts' logarithms (memory.prepare).
func (b *bayes) prepare() {
	var most float32
	for _, counts := range b.counts {
		for _, n := range counts {
			most = max(most, n)
		}
	}
	b.logOf = newLogTable(most)
}

// ids are the terms' ids, those the model knows.
func (b *bayes) ids(terms []string) []int32 {
	ids := make([]int32, 0, len(terms))
	for _, t := range terms {
		if id, ok := b.terms[t]; ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// countsWithout is each term's count, class by class, without one group's:
// by term then class (len(ids) rows of k).
func (b *bayes) countsWithout(ids []int32, skipGroup int32) []float32 {
	k := len(b.counts)
	out := make([]float32, len(ids)*k)
	for j, id := range ids {
		row := out[j*k : (j+1)*k]
		for c := range k {
			row[c] = b.counts[c][id]
		}
		for _, cc := range b.byGroup[skipGroup][id] {
			row[cc.class] -= cc.n
		}
	}
	return out
}

// posterior is P(class | terms) with uniform priors, leaving out a group (-1: none).
func (b *bayes) posterior(terms []string, skipGroup int32) []float64 {
	k := len(b.counts)
	logp := make([]float64, k)
	v := float64(len(b.terms)) * bayesSmoothing
	ids := b.ids(terms)
	var left []float32
	if skipGroup >= 0 {
		left = b.countsWithout(ids, skipGroup)
	}
	for c := range k {
		total := float64(b.totals[c])
		if skipGroup >= 0 {
			total -= float64(b.gTotals[skipGroup][c])
		}
		if total <= 0 {
			logp[c] = math.Inf(-1)
			continue
		}
		for j, id := range ids {
			n := b.counts[c][id]
			if skipGroup >= 0 {
				n = left[j*k+c]
			}
			logp[c] += b.logOf.of(n)
		}
		logp[c] -= float64(len(ids)) * math.Log(total+v)
	}
	return softmax(logp)
}

// logTable is log(n + smoothing) for the whole numbers n up to the most a
// count reaches (at most maxLogTable): counts' logarithms looked up rather
// than computed again and again.
type logTable []float64

const maxLogTable = 1 << 16

func newLogTable(most float32) logTable {
	out := make(logTable, int(min(max(most, 0), maxLogTable))+1)
	for n := range out {
		out[n] = math.Log(float64(n) + bayesSmoothing)
	}
	return out
}

// of is log(n + smoothing): from the table for a whole n it holds, else
// computed (the same value).
func (t logTable) of(n float32) float64 {
	if n >= 0 && n < float32(len(t)) && n == float32(int(n)) {
		return t[int(n)]
	}
	return math.Log(float64(n) + bayesSmoothing)
}

// cover is, for each class, the share of the terms that its phrasings use
// (one group left out, -1 for none): how much of a question the class explains.
func (b *bayes) cover(terms []string, skipGroup int32) []float64 {
	k := len(b.counts)
	out := make([]float64, k)
	if len(terms) == 0 {
		return out
	}
	ids := b.ids(terms)
	var left []float32
	if skipGroup >= 0 {
		left = b.countsWithout(ids, skipGroup)
	}
	for j, id := range ids {
		for c := range k {
			n := b.counts[c][id]
			if skipGroup >= 0 {
				n = left[j*k+c]
			}
			if n > 0 {
				out[c]++
			}
		}
	}
	for c := range out {
		out[c] /= float64(len(terms))
	}
	return out
}
