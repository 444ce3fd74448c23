package answers

import "sync"

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
	// groupCounts: the counts of each group are here, so that a group can be
	// left out (a memory learned here, not read from the cache).
	groupCounts bool
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
	m := &memory{classes: classes, classOf: map[string]int{}, groupCounts: true}
	for i, c := range classes {
		m.classOf[c] = i
	}
	m.exact = map[string]int32{}
	m.groups, m.docGroup = groups, docGroup
	var chars [][]gram
	var words, terms [][]string
	// The exact phrasings are keyed as decide looks them up. Two long ones
	// read alike (the same asking sentences) under two classes are an
	// exact match for neither.
	ambiguous := map[string]bool{}
	for i, p := range phrasings {
		f := readings[i].features
		class := int32(m.classOf[p.Class])
		m.docClass = append(m.docClass, class)
		key := readings[i].normalised
		if c, ok := m.exact[key]; ok && c != class {
			ambiguous[key] = true
		}
		m.exact[key] = class
		chars, words, terms = append(chars, f.chars), append(words, f.words), append(terms, f.terms)
	}
	for key := range ambiguous {
		delete(m.exact, key)
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
	t := threeNearest{make([]float32, k), make([]float32, k), make([]float32, k)}
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

// threeNearest are, by class, the three highest similarities (all zero
// to start).
type threeNearest struct{ first, second, third []float32 }

// nearReadingAll is near when most phrasings share a feature with q:
// adding into every one and reading each class's run in order costs less
// than tracking which. A phrasing sharing nothing has 0, never above a
// third nearest.
func (m *memory) nearReadingAll(s *vectors, q sparse, skipGroup int32, sc *scratch, t threeNearest) {
	s.accumulate(q, sc.sims)
	for _, r := range m.runs {
		sims, groups := sc.sims[r.start:r.end], m.docGroup[r.start:r.end]
		a, b, c := t.first[r.class], t.second[r.class], t.third[r.class]
		for d, sim := range sims {
			if sim > c && groups[d] != skipGroup {
				a, b, c = keepThree(a, b, c, sim)
			}
		}
		t.first[r.class], t.second[r.class], t.third[r.class] = a, b, c
	}
	clear(sc.sims)
}

// nearReadingTouched is near reading only the phrasings that share a
// feature with q.
func (m *memory) nearReadingTouched(s *vectors, q sparse, skipGroup int32, sc *scratch, t threeNearest) {
	sc.touched = s.similarities(q, sc.sims, sc.touched[:0])
	for _, d := range sc.touched {
		sim := sc.sims[d]
		sc.sims[d] = 0
		if c := m.docClass[d]; sim > t.third[c] && m.docGroup[d] != skipGroup {
			t.first[c], t.second[c], t.third[c] = keepThree(t.first[c], t.second[c], t.third[c], sim)
		}
	}
}

// keepThree puts sim, above c, in its place among the three highest
// a ≥ b ≥ c, and returns the three highest.
func keepThree(a, b, c, sim float32) (float32, float32, float32) {
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
