package answers

import (
	"hash/fnv"
	"math"
	"sort"
)

// LogisticBaseline is a plain multinomial logistic regression over
// character 2-5-grams and word 1-2-grams (hashed), trained on faq.yaml's
// phrasings and the training files, with no tuning at all: it answers its
// most probable entry when that is at least 0.5 probable. It shows what the
// matcher adds beyond a textbook classifier on the same data.
func LogisticBaseline(faq *FAQ, training *Training) func(string) Result {
	var extra []Phrasing
	if training != nil {
		extra = training.Phrasings
	}
	phrasings, classes := trainingSet(faq, extra)
	lr := newPlainLR(len(classes))
	xs := make([][]int32, len(phrasings))
	ys := make([]int, len(phrasings))
	classOf := map[string]int{}
	for i, c := range classes {
		classOf[c] = i
	}
	for i, p := range phrasings {
		xs[i], ys[i] = plainNgrams(p.Text), classOf[p.Class]
	}
	lr.train(xs, ys)
	oos := len(classes) - 1
	return func(q string) Result {
		p := lr.probabilities(plainNgrams(q))
		order := argsort(p)
		r := Result{Decision: Fallback, FormURL: faq.FormURL.Value, Suggestions: []Suggestion{}, Score: p[order[0]]}
		var ranked []*Entry
		for _, c := range order {
			if c != oos && len(ranked) < 3 {
				ranked = append(ranked, &faq.Entries[c])
			}
		}
		for _, e := range ranked {
			r.Suggestions = append(r.Suggestions, Suggestion{EntryID: e.ID, Question: e.Question.Value, Score: p[classOf[e.ID]]})
		}
		if order[0] != oos && p[order[0]] >= 0.5 {
			r.Decision, r.EntryID, r.Question = Answer, classes[order[0]], faq.Entries[order[0]].Question.Value
		}
		return r
	}
}

const plainDims = 1 << 16

// plainNgrams hashes a text's lower-cased character 2-5-grams and word
// 1-2-grams, with no other processing.
func plainNgrams(text string) []int32 {
	ws := plainWords(truncate(text, MaxQuestionBytes))
	seen := map[int32]bool{}
	add := func(s string) {
		h := fnv.New32a()
		h.Write([]byte(s))
		seen[int32(h.Sum32()%plainDims)] = true
	}
	for i, w := range ws {
		add("w " + w)
		if i+1 < len(ws) {
			add("w " + w + " " + ws[i+1])
		}
	}
	s := " "
	for _, w := range ws {
		s += w + " "
	}
	rs := []rune(s)
	for n := 2; n <= 5; n++ {
		for i := 0; i+n <= len(rs); i++ {
			add("c " + string(rs[i:i+n]))
		}
	}
	out := make([]int32, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// plainLR is a softmax regression trained by plain stochastic gradient
// descent: the textbook method, on purpose, for a baseline.
type plainLR struct {
	k int
	w []float32 // by feature, then class
}

func newPlainLR(k int) *plainLR { return &plainLR{k: k, w: make([]float32, plainDims*k)} }

func (lr *plainLR) scores(x []int32) []float64 {
	z := make([]float64, lr.k)
	scale := 1 / math.Sqrt(float64(max(len(x), 1)))
	for _, id := range x {
		row := lr.w[int(id)*lr.k : int(id)*lr.k+lr.k]
		for c, w := range row {
			z[c] += float64(w) * scale
		}
	}
	return z
}

func (lr *plainLR) probabilities(x []int32) []float64 { return softmax(lr.scores(x)) }

// train runs a few epochs over the examples in a fixed order.
func (lr *plainLR) train(xs [][]int32, ys []int) {
	const epochs, rate, l2 = 8, 0.5, 1e-6
	order := make([]int, len(xs))
	for i := range order {
		order[i] = (i * 7919) % len(xs) // a fixed shuffle: deterministic
	}
	for e := range epochs {
		step := rate / (1 + float64(e))
		for _, i := range order {
			x := xs[i]
			p := lr.probabilities(x)
			scale := 1 / math.Sqrt(float64(max(len(x), 1)))
			for _, id := range x {
				row := lr.w[int(id)*lr.k : int(id)*lr.k+lr.k]
				for c := range row {
					g := p[c]
					if c == ys[i] {
						g--
					}
					row[c] -= float32(step * (g*scale + l2*float64(row[c])))
				}
			}
		}
	}
}

// EvaluateAtRates measures a baseline at its best answer threshold among
// those whose wrong and oos_false rates are no worse than the given ones:
// the threshold is chosen on the cases themselves, in the baseline's favour.
func EvaluateAtRates(name string, cases []EvalCase, match func(string) Result, maxWrong, maxOOSFalse float64) EvalReport {
	type scoredCase struct {
		c     EvalCase
		top   string
		score float64
		r     Result
	}
	var all []scoredCase
	for _, c := range cases {
		if len(c.Entries) > 1 {
			continue
		}
		r := match(c.Question)
		top := r.EntryID
		if top == "" && len(r.Suggestions) > 0 {
			top = r.Suggestions[0].EntryID
		}
		all = append(all, scoredCase{c, top, r.Score, r})
	}
	var thresholds []float64
	for _, s := range all {
		thresholds = append(thresholds, s.score)
	}
	thresholds = append(thresholds, math.Inf(1))
	byQuestion := map[string]int{}
	var single []EvalCase
	for i, s := range all {
		byQuestion[s.c.Question] = i
		single = append(single, s.c)
	}
	best := EvalReport{Name: name}
	bestTop1 := -1.0
	for _, th := range thresholds {
		at := func(q string) Result {
			s := all[byQuestion[q]]
			r := s.r
			r.Decision, r.EntryID = Fallback, ""
			if s.top != "" && s.score >= th {
				r.Decision, r.EntryID = Answer, s.top
			}
			return r
		}
		rep := Evaluate(name, single, at)
		if rep.Wrong <= maxWrong && rep.OOSFalse <= maxOOSFalse && rep.Top1 > bestTop1 {
			best, bestTop1 = rep, rep.Top1
		}
	}
	return best
}
