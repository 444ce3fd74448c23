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
	runs     []classRun // docClass cut in runs of one class
	chars    *space[gram]
	words    *space[string]
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
	chars []gram   // character n-grams
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
	var chars [][]gram
	var words, terms [][]string
	for i, p := range phrasings {
		f := readings[i].features
		m.docClass = append(m.docClass, int32(m.classOf[p.Class]))
		m.exact[readings[i].normalised] = int32(m.classOf[p.Class]) // as decide looks it up
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
		m.charScope = newScopeRatio(&m.chars.vectors, isOut, m.docGroup, len(m.groups))
	})
	m.words = newSpace(words)
	m.bayes = newBayes(len(classes), len(m.groups), m.docClass, m.docGroup, terms)
	m.wordScope = newScopeRatio(&m.words.vectors, isOut, m.docGroup, len(m.groups))
	wg.Wait()
	m.prepare()
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
	lexical scoreBuffers
}

func (m *memory) scratch() *scratch {
	return &scratch{sims: make([]float32, len(m.docClass)), chars: newCounter(len(m.chars.idf)),
		words: newCounter(len(m.words.idf)), scope: newCounter(scopeDims)}
}

// prepare computes what matching needs beyond the counts: after learning,
// and after a memory is read from the cache.
func (m *memory) prepare() {
	m.bayes.prepare()
	m.wordScope.prepare()
	m.charScope.prepare()
	m.runs = classRuns(m.docClass)
	m.pool.New = func() any { return m.scratch() }
}

// neighbours is, for each class, how close its nearest phrasings are.
type neighbours struct {
	best []float32 // the nearest phrasing of each class
	top3 []float32 // the mean of its three nearest
}

// near finds, class by class, the phrasings nearest q, leaving out one
// group (-1 for none).
func (m *memory) near(s *vectors, q sparse, skipGroup int32, sc *scratch) neighbours {
	k := len(m.classes)
	t := top3s{make([]float32, k), make([]float32, k), make([]float32, k)}
	if s.touchesMost(q, len(sc.sims)) {
		m.nearReadingAll(s, q, skipGroup, sc, t)
	} else {
		m.nearReadingTouched(s, q, skipGroup, sc, t)
	}
	n := neighbours{best: t.first, top3: make([]float32, k)}
	for c := range k {
		n.top3[c] = (t.first[c] + t.second[c] + t.third[c]) / 3
	}
	return n
}

// top3s are, by class, the three highest similarities (all zero to start).
type top3s struct{ first, second, third []float32 }

// nearReadingAll is near when most phrasings share a feature with q:
// adding into every one and reading each class's run in order costs less
// than tracking which. A phrasing sharing nothing has 0, never above a
// third nearest.
func (m *memory) nearReadingAll(s *vectors, q sparse, skipGroup int32, sc *scratch, t top3s) {
	s.accumulate(q, sc.sims)
	for _, r := range m.runs {
		sims, groups := sc.sims[r.start:r.end], m.docGroup[r.start:r.end]
		a, b, c := t.first[r.class], t.second[r.class], t.third[r.class]
		for d, sim := range sims {
			if sim > c && groups[d] != skipGroup {
				a, b, c = top3(a, b, c, sim)
			}
		}
		t.first[r.class], t.second[r.class], t.third[r.class] = a, b, c
	}
	clear(sc.sims)
}

// nearReadingTouched is near reading only the phrasings that share a
// feature with q.
func (m *memory) nearReadingTouched(s *vectors, q sparse, skipGroup int32, sc *scratch, t top3s) {
	sc.touched = s.similarities(q, sc.sims, sc.touched[:0])
	for _, d := range sc.touched {
		sim := sc.sims[d]
		sc.sims[d] = 0
		if c := m.docClass[d]; sim > t.third[c] && m.docGroup[d] != skipGroup {
			t.first[c], t.second[c], t.third[c] = top3(t.first[c], t.second[c], t.third[c], sim)
		}
	}
}

// top3 puts sim, above c, in its place among the three highest a ≥ b ≥ c.
func top3(a, b, c, sim float32) (float32, float32, float32) {
	switch {
	case sim > a:
		return sim, a, b
	case sim > b:
		return a, sim, b
	default:
		return a, b, sim
	}
}

// classRun is a run of phrasings of one class, in the memory's order.
type classRun struct {
	class      int32
	start, end int
}

// classRuns cuts the phrasings into runs of one class: one per class, as
// the training set is in class order.
func classRuns(docClass []int32) []classRun {
	var runs []classRun
	for d, c := range docClass {
		if len(runs) == 0 || runs[len(runs)-1].class != c {
			runs = append(runs, classRun{class: c, start: d})
		}
		runs[len(runs)-1].end = d + 1
	}
	return runs
}

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
	// logCounts is log(count + smoothing) by class and term: what a
	// question leaving no group out needs, computed once.
	logCounts [][]float64
	// logOf[n] is log(n + smoothing), for the counts left when a group is
	// taken away (whole numbers). Learning only.
	logOf []float64
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
	var most float32
	for i, d := range docs {
		c, g := docClass[i], docGroup[i]
		for _, t := range d {
			id := b.terms[t]
			b.counts[c][id]++
			most = max(most, b.counts[c][id])
			b.totals[c]++
			b.byGroup[g][id] = addCount(b.byGroup[g][id], c)
			b.gTotals[g][c]++
		}
	}
	b.logOf = logTable(int(most))
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

// prepare computes the counts' logarithms (memory.prepare).
func (b *bayes) prepare() {
	b.logCounts = make([][]float64, len(b.counts))
	for c, counts := range b.counts {
		b.logCounts[c] = make([]float64, len(counts))
		for id, n := range counts {
			b.logCounts[c][id] = math.Log(float64(n) + bayesSmoothing)
		}
	}
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

// left is what each term's count keeps, class by class, once the group is
// left out: by term then class (len(ids) rows of k).
func (b *bayes) left(ids []int32, skipGroup int32) []float32 {
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
		left = b.left(ids, skipGroup)
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
			if skipGroup < 0 {
				logp[c] += b.logCounts[c][id]
				continue
			}
			logp[c] += b.logOf[int(left[j*k+c])]
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
	// logOf[n] is log(n + smoothing) for every count the features have.
	logOf []float64
}

// newScopeRatio counts, feature by feature of a space, the phrasings in
// and out of scope that have it.
func newScopeRatio(sp *vectors, isOut []bool, docGroup []int32, nGroups int) *scopeRatio {
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

// prepare tabulates the logarithms score needs (memory.prepare).
func (s *scopeRatio) prepare() {
	var most float32
	for id := range s.in {
		most = max(most, s.in[id], s.out[id])
	}
	s.logOf = logTable(int(most))
}

// logTable is log(n + smoothing) for every whole n up to most: the
// counts' logarithms, looked up rather than computed again and again.
func logTable(most int) []float64 {
	out := make([]float64, most+1)
	for n := range out {
		out[n] = math.Log(float64(n) + bayesSmoothing)
	}
	return out
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
	// log((out+α)/(totOut+v)) - log((in+α)/(totIn+v)), summed: the
	// counts' logarithms from the table, the totals' once.
	var sum float64
	n := 0
	for _, id := range ids {
		in, out := s.in[id], s.out[id]
		if skipGroup >= 0 {
			in -= s.gIn[skipGroup][id]
			out -= s.gOut[skipGroup][id]
		}
		if in+out == 0 {
			continue
		}
		sum += s.logOf[int(out)] - s.logOf[int(in)]
		n++
	}
	if n == 0 {
		return 0
	}
	return sum/float64(n) + math.Log(totIn+v) - math.Log(totOut+v)
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
	ids := b.ids(terms)
	var left []float32
	if skipGroup >= 0 {
		left = b.left(ids, skipGroup)
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
