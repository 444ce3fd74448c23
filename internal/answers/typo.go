package answers

import (
	"sort"
	"sync"
	"sync/atomic"

	"github.com/sahilm/fuzzy"
)

// speller corrects words the FAQ never uses towards words it does. Two
// tools, because typos are of two kinds: an edit distance (Damerau) sees
// swapped and substituted letters, which subsequence matching cannot; fuzzy
// subsequence matching (sahilm/fuzzy) sees dropped letters and truncations
// ("teletrvail", "remun"), beyond what a small edit distance allows.
type speller struct {
	fillers []string            // filler words of five letters or more
	known   map[string]bool     // every word and stem the FAQ uses
	byFirst map[byte]wordBucket // correction targets, by first letter
	// memo keeps the corrections already found, up to memoSize words:
	// candidates repeat the same words and typos.
	memo     sync.Map // word -> correction ("" for none)
	memoSize atomic.Int64
}

const memoSize = 50000

type wordBucket struct {
	words []string
	freq  []int
}

// fuzzy.Source over a bucket.
func (b wordBucket) String(i int) string { return b.words[i] }
func (b wordBucket) Len() int            { return len(b.words) }

// minCorrectable is the shortest word the speller touches: shorter words
// have too many neighbours to guess right.
const minCorrectable = 4

func newSpeller(vocabulary map[string]int, known map[string]bool) *speller {
	s := &speller{known: known, byFirst: map[byte]wordBucket{}}
	targets := make([]string, 0, len(vocabulary))
	for w := range vocabulary {
		if len(w) >= minCorrectable && !isFiller(w) && isAlpha(w) {
			targets = append(targets, w)
		}
	}
	sort.Strings(targets)
	for _, set := range []map[string]bool{stopwords, politeness, chatter} {
		for w := range set {
			if len(w) >= 4 {
				s.fillers = append(s.fillers, w)
			}
		}
	}
	sort.Strings(s.fillers)
	for _, w := range targets {
		b := s.byFirst[w[0]]
		b.words = append(b.words, w)
		b.freq = append(b.freq, vocabulary[w])
		s.byFirst[w[0]] = b
	}
	return s
}

// correct returns the FAQ word an unknown word most likely meant.
func (s *speller) correct(w string) (string, bool) {
	if c, ok := s.memo.Load(w); ok {
		return c.(string), c.(string) != ""
	}
	c, ok := s.guess(w)
	if s.memoSize.Load() < memoSize {
		if _, loaded := s.memo.LoadOrStore(w, c); !loaded {
			s.memoSize.Add(1)
		}
	}
	return c, ok
}

// guess does correct's work.
func (s *speller) guess(w string) (string, bool) {
	if len(w) < minCorrectable || len(w) > 30 || s.known[w] || s.known[stem(w)] || isFiller(w) || commonWords[w] || !isAlpha(w) {
		return "", false
	}
	maxDist := 1
	if len(w) >= 8 {
		maxDist = 2
	}
	bucket := s.byFirst[w[0]]
	best, bestDist, bestFreq := "", maxDist+1, -1
	for i, cand := range bucket.words {
		if abs(len(cand)-len(w)) > maxDist {
			continue
		}
		d := damerau(w, cand, maxDist)
		if d > maxDist {
			continue
		}
		if d < bestDist || (d == bestDist && bucket.freq[i] > bestFreq) {
			best, bestDist, bestFreq = cand, d, bucket.freq[i]
		}
	}
	if best != "" && bestDist <= 1 {
		return best, true
	}
	// A typo of a filler word ("qeuls", "pourqoui") is filler, not an
	// unknown topic that would make the question look out of scope.
	if len(w) >= 5 {
		for _, f := range s.fillers {
			if abs(len(f)-len(w)) <= 1 && damerau(w, f, 1) <= 1 {
				return f, true
			}
		}
	}
	if best != "" {
		return best, true
	}
	// Dropped letters and truncations: w is a subsequence of the target.
	// Short words are subsequences of too many words to guess.
	if len(w) < 5 {
		return "", false
	}
	for _, m := range fuzzy.FindFrom(w, bucket) {
		cand := bucket.words[m.Index]
		missing := len(cand) - len(w)
		if missing > 0 && (missing <= 2 && len(w) >= 6 || isPrefix(w, cand)) {
			return cand, true
		}
	}
	return "", false
}

func isPrefix(p, s string) bool { return len(p) <= len(s) && s[:len(p)] == p }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// damerau is the optimal string alignment distance between two ASCII words,
// giving up (returning max+1) once it must exceed max.
func damerau(a, b string, max int) int {
	la, lb := len(a), len(b)
	if abs(la-lb) > max {
		return max + 1
	}
	// Three rolling rows: two back for transpositions.
	var buf [3][32]int
	if lb >= 31 {
		return max + 1
	}
	prev2, prev, cur := buf[0][:lb+1], buf[1][:lb+1], buf[2][:lb+1]
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// Words the candidates use: a word that several writers wrote in several
// phrasings is a word ("stage", "moins", "passeport"), not a typo of a FAQ
// word ("state", "mois", "passeront"), though the FAQ never uses it.
const (
	minWordPhrasings = 5
	minWordWriters   = 3
)

// usedWords lists the words of the training phrasings that at least
// minWordPhrasings phrasings of minWordWriters groups use, sorted.
func usedWords(phrasings []Phrasing) []string {
	type use struct {
		phrasings int
		groups    map[string]bool
	}
	// The words of each phrasing on every core; counted after, in order.
	ws := make([][]string, len(phrasings))
	forEach(len(phrasings), func(i int) { ws[i] = unique(words(phrasings[i].Text)) })
	uses := map[string]*use{}
	for i, p := range phrasings {
		for _, w := range ws[i] {
			u := uses[w]
			if u == nil {
				u = &use{groups: map[string]bool{}}
				uses[w] = u
			}
			u.phrasings++
			u.groups[p.Group] = true
		}
	}
	var out []string
	for w, u := range uses {
		if u.phrasings >= minWordPhrasings && len(u.groups) >= minWordWriters {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// know adds words the speller leaves as they are. It is called before the
// speller corrects anything: the memo would keep older corrections.
func (s *speller) know(ws []string) {
	for _, w := range ws {
		s.known[w] = true
	}
}
