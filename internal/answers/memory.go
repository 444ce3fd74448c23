package answers

import (
	"math"
	"sort"
	"sync"
)

// memory is every phrasing the model learned from, indexed two ways (the
// characters and the words), with per-class word counts for naive Bayes.
// Each phrasing keeps its class and its group, so that the model can be
// shown how the memory answers a group it has never seen.
type memory struct {
	classes  []string // entry ids, then OutOfScope
	classOf  map[string]int
	groups   []string
	docClass []int32
	docGroup []int32
	chars    *space
	words    *space
	bayes    *bayes
	// scope tells messages about the programme from the rest, by words and
	// by characters.
	wordScope, charScope *scopeRatio
	// pool holds scratch space for questions matched concurrently.
	pool sync.Pool
	// exact maps a phrasing, normalised, to its class: a question asked
	// word for word as a vetted phrasing gets that phrasing's answer.
	exact map[string]int32
}

// phrasingFeatures is how one text is read by the memory.
type phrasingFeatures struct {
	chars []string // character n-grams
	raw   []string // the words as written, and pairs of them, stopwords kept
	words []string // terms and pairs of neighbouring terms
	terms []string // terms alone, for naive Bayes
}

// newMemory indexes the phrasings; groups and docGroup are their groups'
// names and each phrasing's group (numberGroups).
func newMemory(classes []string, phrasings []Phrasing, readings []reading, groups []string, docGroup []int32) *memory {
	m := &memory{classes: classes, classOf: map[string]int{}}
	for i, c := range classes {
		m.classOf[c] = i
	}
	m.exact = map[string]int32{}
	m.groups, m.docGroup = groups, docGroup
	var chars, words, terms [][]string
	for i, p := range phrasings {
		f := readings[i].features
		m.docClass = append(m.docClass, int32(m.classOf[p.Class]))
		m.exact[Normalise(p.Text)] = int32(m.classOf[p.Class])
		chars, words, terms = append(chars, f.chars), append(words, f.words), append(terms, f.terms)
	}
	isOut := make([]bool, len(phrasings))
	for i, p := range phrasings {
		isOut[i] = p.Class == OutOfScope
	}
	// The characters on one core, the words on the other.
	var wg sync.WaitGroup
	wg.Go(func() {
		m.chars = newSpace(chars)
		m.charScope = newScopeRatio(m.chars, isOut, m.docGroup, len(m.groups))
	})
	m.words = newSpace(words)
	m.bayes = newBayes(len(classes), len(m.groups), m.docClass, m.docGroup, terms)
	m.wordScope = newScopeRatio(m.words, isOut, m.docGroup, len(m.groups))
	wg.Wait()
	m.initPool()
	return m
}

// numberGroups numbers the phrasings' groups in the order first met: the
// names, and each phrasing's number.
func numberGroups(phrasings []Phrasing) ([]string, []int32) {
	var names []string
	ids := make([]int32, len(phrasings))
	number := map[string]int32{}
	for i, p := range phrasings {
		g, ok := number[p.Group]
		if !ok {
			g = int32(len(names))
			number[p.Group] = g
			names = append(names, p.Group)
		}
		ids[i] = g
	}
	return names, ids
}

// scratch is one goroutine's working memory for neighbour searches.
type scratch struct {
	sims    []float32 // one per phrasing, zero between searches
	touched []int32
	chars   *counter // a question's character n-grams, counted
	words   *counter // and its words
	scope   *counter // its hashed features, for the scope model
}

func (m *memory) scratch() *scratch {
	return &scratch{sims: make([]float32, len(m.docClass)), chars: newCounter(len(m.chars.idf)),
		words: newCounter(len(m.words.idf)), scope: newCounter(scopeDims)}
}

func (m *memory) initPool() { m.pool.New = func() any { return m.scratch() } }

// neighbours is, for each class, how close its nearest phrasings are.
type neighbours struct {
	best []float32 // the nearest phrasing of each class
	top3 []float32 // the mean of its three nearest
}

// near finds, class by class, the phrasings nearest q, leaving out one
// group (-1 for none).
func (m *memory) near(s *space, q sparse, skipGroup int32, sc *scratch) neighbours {
	sc.touched = s.similarities(q, sc.sims, sc.touched[:0])
	k := len(m.classes)
	first, second, third := make([]float32, k), make([]float32, k), make([]float32, k)
	for _, d := range sc.touched {
		sim := sc.sims[d]
		sc.sims[d] = 0
		if m.docGroup[d] == skipGroup {
			continue
		}
		c := m.docClass[d]
		switch {
		case sim > first[c]:
			first[c], second[c], third[c] = sim, first[c], second[c]
		case sim > second[c]:
			second[c], third[c] = sim, second[c]
		case sim > third[c]:
			third[c] = sim
		}
	}
	n := neighbours{best: first, top3: make([]float32, k)}
	for c := range k {
		n.top3[c] = (first[c] + second[c] + third[c]) / 3
	}
	return n
}

// bayes is a multinomial naive Bayes model over terms, class by class,
// that can leave one group's counts out.
type bayes struct {
	terms   map[string]int32
	counts  [][]float32 // by class, by term
	totals  []float32   // by class
	byGroup []map[int64]float32
	gTotals [][]float32 // by group, by class
	// logCounts is log(count + smoothing) by class and term: what a
	// question leaving no group out needs, computed once.
	logCounts [][]float64
}

const bayesSmoothing = 0.1

func newBayes(nClasses, nGroups int, docClass, docGroup []int32, docs [][]string) *bayes {
	b := &bayes{terms: map[string]int32{}, totals: make([]float32, nClasses), byGroup: make([]map[int64]float32, nGroups),
		gTotals: make([][]float32, nGroups)}
	for g := range nGroups {
		b.byGroup[g] = map[int64]float32{}
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
			b.byGroup[g][int64(c)<<32|int64(id)]++
			b.gTotals[g][c]++
		}
	}
	b.prepare()
	return b
}

// prepare computes what matching needs from the counts: after learning,
// and after a model is read from the cache.
func (b *bayes) prepare() {
	b.logCounts = make([][]float64, len(b.counts))
	for c, counts := range b.counts {
		b.logCounts[c] = make([]float64, len(counts))
		for id, n := range counts {
			b.logCounts[c][id] = math.Log(float64(n) + bayesSmoothing)
		}
	}
}

// posterior is P(class | terms) with uniform priors, leaving out a group (-1: none).
func (b *bayes) posterior(terms []string, skipGroup int32) []float64 {
	k := len(b.counts)
	logp := make([]float64, k)
	v := float64(len(b.terms)) * bayesSmoothing
	ids := make([]int32, 0, len(terms))
	for _, t := range terms {
		if id, ok := b.terms[t]; ok {
			ids = append(ids, id)
		}
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
		for _, id := range ids {
			if skipGroup < 0 {
				logp[c] += b.logCounts[c][id]
				continue
			}
			n := float64(b.counts[c][id]) - float64(b.byGroup[skipGroup][int64(c)<<32|int64(id)])
			logp[c] += math.Log(n + bayesSmoothing)
		}
		logp[c] -= float64(len(ids)) * math.Log(total+v)
	}
	return softmax(logp)
}

// softmax turns scores into probabilities; -Inf scores get 0.
func softmax(z []float64) []float64 {
	top := math.Inf(-1)
	for _, x := range z {
		top = max(top, x)
	}
	out := make([]float64, len(z))
	if math.IsInf(top, -1) {
		return out
	}
	var sum float64
	for i, x := range z {
		out[i] = math.Exp(x - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// argsort returns indices by decreasing value.
func argsort(x []float64) []int {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] > x[idx[b]] })
	return idx
}

// scopeRatio weighs each feature by how much more often it appears in
// messages no entry answers than in questions the FAQ answers (pooled
// over every entry, so that rare features are still well counted), with
// one group's counts left out on demand.
type scopeRatio struct {
	in, out       []float32 // by feature id of the space
	gIn, gOut     [][]float32
	totIn, totOut float64
	gTotIn        []float64
	gTotOut       []float64
}

// newScopeRatio counts, feature by feature of a space, the phrasings in
// and out of scope that have it.
func newScopeRatio(sp *space, isOut []bool, docGroup []int32, nGroups int) *scopeRatio {
	n := len(sp.idf)
	s := &scopeRatio{in: make([]float32, n), out: make([]float32, n), gIn: make([][]float32, nGroups), gOut: make([][]float32, nGroups),
		gTotIn: make([]float64, nGroups), gTotOut: make([]float64, nGroups)}
	for g := range nGroups {
		s.gIn[g], s.gOut[g] = make([]float32, n), make([]float32, n)
	}
	for i, d := range sp.docs {
		g := docGroup[i]
		for _, id := range d.ids {
			if isOut[i] {
				s.out[id]++
				s.gOut[g][id]++
				s.totOut++
				s.gTotOut[g]++
			} else {
				s.in[id]++
				s.gIn[g][id]++
				s.totIn++
				s.gTotIn[g]++
			}
		}
	}
	return s
}

// score is the mean log ratio of the features' out-of-scope and in-scope
// frequencies: above 0 the message reads like those no entry answers.
func (s *scopeRatio) score(ids []int32, skipGroup int32) float64 {
	totIn, totOut := s.totIn, s.totOut
	if skipGroup >= 0 {
		totIn -= s.gTotIn[skipGroup]
		totOut -= s.gTotOut[skipGroup]
	}
	if totIn <= 0 || totOut <= 0 {
		return 0
	}
	v := float64(len(s.in)) * bayesSmoothing
	var sum float64
	n := 0
	for _, id := range ids {
		in, out := float64(s.in[id]), float64(s.out[id])
		if skipGroup >= 0 {
			in -= float64(s.gIn[skipGroup][id])
			out -= float64(s.gOut[skipGroup][id])
		}
		if in+out == 0 {
			continue
		}
		sum += math.Log((out+bayesSmoothing)/(totOut+v)) - math.Log((in+bayesSmoothing)/(totIn+v))
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// unseen is the share of the features (ids in the space, -1 when the
// space does not have them) that no in-scope phrasing has.
func (s *scopeRatio) unseen(ids []int32, skipGroup int32) float64 {
	if len(ids) == 0 {
		return 0
	}
	n := 0
	for _, id := range ids {
		in := float32(0)
		if id >= 0 {
			in = s.in[id]
			if skipGroup >= 0 {
				in -= s.gIn[skipGroup][id]
			}
		}
		if in <= 0 {
			n++
		}
	}
	return float64(n) / float64(len(ids))
}

// cover is, for each class, the share of the terms that its phrasings use
// (one group left out, -1 for none): how much of a question the class explains.
func (b *bayes) cover(terms []string, skipGroup int32) []float64 {
	k := len(b.counts)
	out := make([]float64, k)
	if len(terms) == 0 {
		return out
	}
	for _, t := range terms {
		id, ok := b.terms[t]
		if !ok {
			continue
		}
		for c := range k {
			n := b.counts[c][id]
			if skipGroup >= 0 {
				n -= b.byGroup[skipGroup][int64(c)<<32|int64(id)]
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
