package answers

import (
	"math"
)

// scopeModel tells a message about the programme from the rest: a
// logistic regression over hashed words and pairs of words (terms, and as
// written), learned from the phrasings (in scope) and the out-of-scope
// examples. It catches what the per-entry scores miss: a question that
// shares an entry's words but asks about another employer, the law in
// general or the bot itself. Characters are left to the memory's scope
// ratio (oos_chars): with them too, the model is five times the cost and
// no better (cross-validation over fifteen sets: top1 0.958 → 0.959,
// multi-part all right 0.907 → 0.909).
type scopeModel struct {
	weights []float64 // by hashed feature, then the bias last
}

// scopeDims is the size of the hashed feature space.
const scopeDims = 1 << 17

// scopeL2 keeps the many n-gram weights small.
const scopeL2 = 1e-4

// hashed is a message's features in the hashed space, each once and all
// of the same weight (the message's vector has unit length).
type hashed struct {
	ids []int32
	w   float64
}

// hashFeatures hashes a reading's words for the scope model.
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
	out := hashed{ids: append([]int32(nil), c.seen...), w: 1 / math.Sqrt(float64(max(len(c.seen), 1)))}
	for _, id := range c.seen {
		c.n[id] = 0
	}
	c.seen = c.seen[:0]
	return out
}

// logit of the chance that the message is out of scope.
func (s *scopeModel) logit(x hashed) float64 {
	if len(s.weights) == 0 {
		return 0
	}
	return linearLogit(s.weights, scopeDims, x)
}

// linearLogit is x's logit under weights w over dims features, the bias
// last (at dims).
func linearLogit(w []float64, dims int, x hashed) float64 {
	return w[dims] + x.w*sumAt(w, x.ids)
}

// sumAt adds up w at ids, in four sums: one would wait on each addition
// before the next (the scope model's fits spend most of their time here).
func sumAt(w []float64, ids []int32) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(ids); i += 4 {
		s0 += w[ids[i]]
		s1 += w[ids[i+1]]
		s2 += w[ids[i+2]]
		s3 += w[ids[i+3]]
	}
	for ; i < len(ids); i++ {
		s0 += w[ids[i]]
	}
	return (s0 + s1) + (s2 + s3)
}

// warmIterations bound a fit that starts from the full model's weights: a
// fold's held-out logits need them near its optimum, not at it
// (cross-validation: 20 as good as 200, 10 a little worse on scope).
const warmIterations = 20

// fitScope learns a scope model's weights over dims features (then the
// bias) by L-BFGS (gonum) on the log loss, from start (nil: zero). Each
// evaluation is cut into evalChunks slices added in order: deterministic
// for the same data and start, on any number of cores.
func fitScope(xs []hashed, out []bool, dims int, start []float64) []float64 {
	n := float64(len(xs))
	if n == 0 {
		return nil
	}
	// Chunk 0 adds into the gradient itself, the others into their own.
	var grads [evalChunks][]float64
	var sums [evalChunks]float64
	for k := 1; k < evalChunks; k++ {
		grads[k] = make([]float64, dims+1)
	}
	iters := 200
	if start != nil {
		iters = warmIterations
	}
	w, _ := minimize(dims+1, 5, iters, start, func(w, grad []float64) float64 {
		grads[0] = grad
		inChunks(len(xs), func(k, lo, hi int) {
			g := grads[k]
			if k > 0 {
				clear(g)
			}
			var sum float64
			for i := lo; i < hi; i++ {
				x := &xs[i]
				z := linearLogit(w, dims, *x)
				p := 1 / (1 + math.Exp(-z))
				y := b2f(out[i])
				sum += logLoss(p, y)
				d := (p - y) / n
				g[dims] += d
				dw := d * x.w
				for _, id := range x.ids {
					g[id] += dw
				}
			}
			sums[k] = sum
		})
		sum := sums[0]
		for k := 1; k < evalChunks; k++ {
			sum += sums[k]
			for j, v := range grads[k] {
				grad[j] += v
			}
		}
		var reg float64
		for j := range dims {
			reg += w[j] * w[j]
			grad[j] += 2 * scopeL2 * w[j]
		}
		return sum/n + scopeL2*reg
	})
	return w
}
