package answers

import (
	"math"
)

// sparse is a vector of a space: feature ids, each once, and weights.
type sparse struct {
	ids []int32
	ws  []float32
}

type posting struct {
	doc int32
	w   float32
}

// space is a TF-IDF vector space over the phrasings the model remembers,
// its features keyed by K (character n-grams packed in a gram, or word
// terms).
type space[K comparable] struct {
	ids map[K]int32
	vectors
}

// vectors are a space's phrasings as vectors over feature ids, with an
// inverted index to find a question's nearest phrasings.
type vectors struct {
	idf      []float32
	docs     []sparse
	postings [][]posting
	// common features (in more phrasings than this) are left out of the
	// neighbour search: they weigh little and would make it slow.
	maxDF int
}

// newSpace builds the space from each phrasing's features (with repeats).
func newSpace[K comparable](docs [][]K) *space[K] {
	s := &space[K]{ids: map[K]int32{}}
	// Each feature's id, in the order first seen, once: the map is the cost.
	docIDs := make([][]int32, len(docs))
	for i, d := range docs {
		ids := make([]int32, len(d))
		for k, f := range d {
			id, ok := s.ids[f]
			if !ok {
				id = int32(len(s.ids))
				s.ids[f] = id
			}
			ids[k] = id
		}
		docIDs[i] = ids
	}
	c := newCounter(len(s.ids))
	df := make([]int, len(s.ids))
	for _, ids := range docIDs {
		for _, id := range ids {
			c.add(id)
		}
		for _, id := range c.seen {
			df[id]++
			c.n[id] = 0
		}
		c.seen = c.seen[:0]
	}
	n := float64(len(docs))
	s.idf = make([]float32, len(df))
	for id, d := range df {
		s.idf[id] = float32(math.Log((n + 1) / (float64(d) + 1)))
	}
	s.maxDF = max(50, len(docs)/25)
	// Every posting list cut from one array, each at its final size.
	total := 0
	for _, d := range df {
		if d <= s.maxDF {
			total += d
		}
	}
	all := make([]posting, total)
	s.postings = make([][]posting, len(df))
	at := 0
	for id, d := range df {
		if d <= s.maxDF {
			s.postings[id] = all[at : at : at+d]
			at += d
		}
	}
	s.docs = make([]sparse, len(docs))
	for i, ids := range docIDs {
		for _, id := range ids {
			c.add(id)
		}
		v := s.weigh(c)
		s.docs[i] = v
		for k, id := range v.ids {
			if df[id] <= s.maxDF {
				s.postings[id] = append(s.postings[id], posting{int32(i), v.ws[k]})
			}
		}
	}
	return s
}

// vector weighs features by sublinear term frequency and rarity, to unit
// length; features the space has never seen are dropped. c counts the
// repeats (it is left zeroed): a dense count, not a sort, because a long
// message has thousands of n-grams.
func (s *space[K]) vector(features []K, c *counter) sparse {
	c.grow(len(s.idf))
	for _, f := range features {
		if id, ok := s.ids[f]; ok {
			c.add(id)
		}
	}
	return s.weigh(c)
}

// weigh turns the counts in c into a vector, and zeroes c.
func (s *vectors) weigh(c *counter) sparse {
	v := sparse{ids: make([]int32, 0, len(c.seen)), ws: make([]float32, 0, len(c.seen))}
	var norm float64
	for _, id := range c.seen {
		w := sublinear(c.n[id]) * float64(s.idf[id])
		c.n[id] = 0
		v.ids = append(v.ids, id)
		v.ws = append(v.ws, float32(w))
		norm += w * w
	}
	c.seen = c.seen[:0]
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v.ws {
			v.ws[i] *= inv
		}
	}
	return v
}

// sublinear is 1 + log(n), the weight of a feature n times in a text,
// looked up for the counts most texts have.
func sublinear(n uint32) float64 {
	if n < uint32(len(sublinearTable)) {
		return sublinearTable[n]
	}
	return 1 + math.Log(float64(n))
}

var sublinearTable = func() (t [64]float64) {
	for n := 1; n < len(t); n++ {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()

// counter counts feature ids densely; n is zero between uses.
type counter struct {
	n    []uint32
	seen []int32 // the ids counted, in the order first seen
}

func newCounter(size int) *counter { return &counter{n: make([]uint32, size)} }

func (c *counter) grow(size int) {
	if len(c.n) < size {
		c.n = make([]uint32, size)
	}
}

func (c *counter) add(id int32) {
	if c.n[id] == 0 {
		c.seen = append(c.seen, id)
	}
	c.n[id]++
}

// similarities adds up, into sims (one per phrasing, all zero), the cosine
// of q with every phrasing sharing an uncommon feature, and appends those
// phrasings to touched.
func (s *vectors) similarities(q sparse, sims []float32, touched []int32) []int32 {
	for k, id := range q.ids {
		w := q.ws[k]
		for _, p := range s.postings[id] {
			if sims[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			sims[p.doc] += w * p.w
		}
	}
	return touched
}

// touchesMost reports whether q's postings hold more than a quarter as
// many entries as there are phrasings (n): then reading every phrasing
// costs less than tracking those touched (timed on the shipped data).
func (s *vectors) touchesMost(q sparse, n int) bool {
	visits := 0
	for _, id := range q.ids {
		visits += len(s.postings[id])
	}
	return visits > n/4
}

// accumulate adds up into sims (one per phrasing, all zero) the cosine of
// q with every phrasing sharing an uncommon feature.
func (s *vectors) accumulate(q sparse, sims []float32) {
	for k, id := range q.ids {
		w := q.ws[k]
		for _, p := range s.postings[id] {
			sims[p.doc] += w * p.w
		}
	}
}

// lookup is each feature's id, -1 for those the space has never seen.
func (s *space[K]) lookup(features []K) []int32 {
	out := make([]int32, len(features))
	for i, f := range features {
		id, ok := s.ids[f]
		if !ok {
			id = -1
		}
		out[i] = id
	}
	return out
}
