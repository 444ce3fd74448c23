package answers

import (
	"math"
)

// scopeModel tells a message about the programme from the rest: a
// logistic regression over hashed word and character n-grams, learned from
// the phrasings (in scope) and the out-of-scope examples. It catches what
// the per-entry scores miss: a question that shares an entry's words but
// asks about another employer, the law in general or the bot itself.
type scopeModel struct {
	weights []float64 // by hashed feature, then the bias last
}

// scopeDims is the size of the hashed feature space.
const scopeDims = 1 << 17

// scopeL2 keeps the many n-gram weights small.
const scopeL2 = 1e-4

// hashed is a message's features in the hashed space, with weights.
type hashed struct {
	ids []int32
	ws  []float32
}

func hashFeatures(f phrasingFeatures, c *counter) hashed {
	add := func(prefix byte, s string) {
		// FNV-1a, inline: a hash.Hash32 a feature would allocate.
		h := uint32(2166136261)
		h = (h ^ uint32(prefix)) * 16777619
		for i := 0; i < len(s); i++ {
			h = (h ^ uint32(s[i])) * 16777619
		}
		c.add(int32(h % scopeDims))
	}
	for _, w := range f.words {
		add('w', w)
	}
	for _, w := range f.raw {
		add('r', w)
	}
	for _, ch := range f.chars {
		add('c', ch)
	}
	out := hashed{ids: append([]int32(nil), c.seen...), ws: make([]float32, 0, len(c.seen))}
	for _, id := range c.seen {
		c.n[id] = 0
	}
	c.seen = c.seen[:0]
	norm := float32(1 / math.Sqrt(float64(max(len(out.ids), 1))))
	for range out.ids {
		out.ws = append(out.ws, norm)
	}
	return out
}

// logit of the chance that the message is out of scope.
func (s *scopeModel) logit(x hashed) float64 {
	if len(s.weights) == 0 {
		return 0
	}
	z := s.weights[scopeDims]
	for k, id := range x.ids {
		z += s.weights[id] * float64(x.ws[k])
	}
	return z
}

// fitScope learns the scope model by L-BFGS (gonum) on the log loss.
func fitScope(xs []hashed, out []bool) *scopeModel {
	n := float64(len(xs))
	if n == 0 {
		return &scopeModel{}
	}
	w, _ := minimize(scopeDims+1, 5, 200, nil, func(w, grad []float64) float64 {
		var sum float64
		for i, x := range xs {
			z := w[scopeDims]
			for k, id := range x.ids {
				z += w[id] * float64(x.ws[k])
			}
			p := 1 / (1 + math.Exp(-z))
			y := b2f(out[i])
			sum -= y*math.Log(max(p, 1e-300)) + (1-y)*math.Log(max(1-p, 1e-300))
			d := (p - y) / n
			grad[scopeDims] += d
			for k, id := range x.ids {
				grad[id] += d * float64(x.ws[k])
			}
		}
		var reg float64
		for j := range scopeDims {
			reg += w[j] * w[j]
			grad[j] += 2 * scopeL2 * w[j]
		}
		return sum/n + scopeL2*reg
	})
	return &scopeModel{weights: w}
}
