package answers

import (
	"errors"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// model is a conditional logit: each class's score is the weights' dot
// product with its features, and a softmax over the classes gives the
// chance that each is the one asked for. The weights are learned from the
// phrasings when the FAQ loads; none is set by hand.
type model struct {
	weights [nFeatures]float64
}

// probabilities returns, for each of nClasses, the chance it is the one
// asked; classes that are not candidates get 0.
func (md *model) probabilities(f pairFeatures, nClasses int) []float64 {
	z := make([]float64, len(f.rows))
	for i := range f.rows {
		for j, w := range md.weights {
			z[i] += w * f.rows[i][j]
		}
	}
	p := softmax(z)
	out := make([]float64, nClasses)
	for i, c := range f.classes {
		out[c] = p[i]
	}
	return out
}

// example is a training question: its features and the right class.
type example struct {
	features pairFeatures
	class    int
	weight   float64
	reading  reading
}

// target is the right class's row among the candidates, or -1.
func (e example) target() int {
	for i, c := range e.features.classes {
		if c == e.class {
			return i
		}
	}
	return -1
}

// l2 keeps the weights small: few features, many examples, so it matters
// little beyond keeping the optimisation well posed.
const l2 = 1e-3

// usable are the examples whose right class a score put forward, with that
// class's row: a question no score led to teaches nothing.
func usable(examples []example) ([]example, []int, float64) {
	var out []example
	var targets []int
	var total float64
	for _, e := range examples {
		if t := e.target(); t >= 0 {
			out = append(out, e)
			targets = append(targets, t)
			total += e.weight
		}
	}
	return out, targets, total
}

// softmaxRows is each row's probability under w, into p (reused), and the
// right row's log probability.
func softmaxRows(e *example, t int, w []float64, p []float64) ([]float64, float64) {
	p = p[:0]
	top := math.Inf(-1)
	for i := range e.features.rows {
		var s float64
		for j := range nFeatures {
			s += w[j] * e.features.rows[i][j]
		}
		p = append(p, s)
		top = max(top, s)
	}
	var norm float64
	for i := range p {
		p[i] = math.Exp(p[i] - top)
		norm += p[i]
	}
	for i := range p {
		p[i] /= norm
	}
	return p, math.Log(max(p[t], 1e-300))
}

// fit learns the weights that make the right class most probable, by
// L-BFGS (gonum) on the mean log loss, from start (nil: zero); the loss
// is convex, so start changes only how soon it is found. Each evaluation
// is cut into evalChunks slices added in order: deterministic for the same
// data and start, on any number of cores.
func fit(examples []example, start []float64) (model, error) {
	use, targets, total := usable(examples)
	if total == 0 {
		return model{}, errors.New("no training question")
	}
	var grads [evalChunks][nFeatures]float64
	var sums [evalChunks]float64
	w, err := minimize(nFeatures, 0, 0, start, func(w, grad []float64) float64 {
		inChunks(len(use), func(k, lo, hi int) {
			var g [nFeatures]float64 // local: the chunks' arrays share cache lines
			sum := 0.0
			p := make([]float64, 0, 64)
			for n := lo; n < hi; n++ {
				e, t := &use[n], targets[n]
				var logP float64
				p, logP = softmaxRows(e, t, w, p)
				sum -= e.weight * logP
				for i := range p {
					d := p[i]
					if i == t {
						d--
					}
					d *= e.weight
					for j := range nFeatures {
						g[j] += d * e.features.rows[i][j]
					}
				}
			}
			grads[k], sums[k] = g, sum
		})
		var sum, reg float64
		for k := range evalChunks {
			sum += sums[k]
			for j := range nFeatures {
				grad[j] += grads[k][j]
			}
		}
		for j := range w {
			reg += w[j] * w[j]
			grad[j] = grad[j]/total + 2*l2*w[j]
		}
		return sum/total + l2*reg
	})
	var md model
	if w == nil {
		return md, err
	}
	copy(md.weights[:], w)
	return md, nil
}

// curvature is the gradient and Hessian of the summed, weighted log loss of
// some examples at one point, and their total weight.
type curvature struct {
	grad   [nFeatures]float64
	hess   [nFeatures][nFeatures]float64 // upper triangle
	weight float64
}

func (c *curvature) add(o *curvature) {
	c.weight += o.weight
	for j := range nFeatures {
		c.grad[j] += o.grad[j]
		for l := j; l < nFeatures; l++ {
			c.hess[j][l] += o.hess[j][l]
		}
	}
}

// leaveGroupsOut returns, for each group of folds, the model learned
// without that group's examples: one Newton step from the full model, on
// the loss without them. Leaving out one group among many moves the
// optimum little, and the loss is smooth, so the step lands next to the
// refitted optimum (approximate leave-group-out cross-validation) at the
// cost of one pass over the examples instead of a fit per group. A group
// the step cannot stand for gets no model (nil), to be refitted: one that
// holds more than maxStepShare of the examples' weight (or all of it).
func leaveGroupsOut(full model, examples []example, groups []int32, folds []int32) []*model {
	slot := map[int32]int{}
	for k, g := range folds {
		slot[g] = k
	}
	// Per chunk: the folds' curvatures, then the rest's.
	var parts [evalChunks][]curvature
	w := full.weights[:]
	inChunks(len(examples), func(k, lo, hi int) {
		parts[k] = make([]curvature, len(folds)+1)
		p := make([]float64, 0, 64)
		var mean [nFeatures]float64
		for n := lo; n < hi; n++ {
			e := &examples[n]
			t := e.target()
			if t < 0 {
				continue
			}
			c := &parts[k][len(folds)]
			if s, ok := slot[groups[n]]; ok {
				c = &parts[k][s]
			}
			p, _ = softmaxRows(e, t, w, p)
			c.weight += e.weight
			mean = [nFeatures]float64{}
			for i, pi := range p {
				row := &e.features.rows[i]
				d := pi
				if i == t {
					d--
				}
				for j := range nFeatures {
					c.grad[j] += e.weight * d * row[j]
					mean[j] += pi * row[j]
					if row[j] == 0 {
						continue
					}
					a := e.weight * pi * row[j]
					for l := j; l < nFeatures; l++ {
						c.hess[j][l] += a * row[l]
					}
				}
			}
			for j := range nFeatures {
				if mean[j] == 0 {
					continue
				}
				a := e.weight * mean[j]
				for l := j; l < nFeatures; l++ {
					c.hess[j][l] -= a * mean[l]
				}
			}
		}
	})
	curv := make([]curvature, len(folds)+1)
	for k := range evalChunks {
		for s := range curv {
			curv[s].add(&parts[k][s])
		}
	}
	var all curvature
	for s := range curv {
		all.add(&curv[s])
	}
	out := make([]*model, len(folds))
	for s := range folds {
		without := all
		without.weight -= curv[s].weight
		if without.weight <= 0 || curv[s].weight > maxStepShare*all.weight {
			continue
		}
		hess := mat.NewSymDense(nFeatures, nil)
		step := mat.NewVecDense(nFeatures, nil)
		for j := range nFeatures {
			step.SetVec(j, (all.grad[j]-curv[s].grad[j])/without.weight+2*l2*w[j])
			for l := j; l < nFeatures; l++ {
				h := (all.hess[j][l] - curv[s].hess[j][l]) / without.weight
				if l == j {
					h += 2 * l2
				}
				hess.SetSym(j, l, h)
			}
		}
		var chol mat.Cholesky
		var d mat.VecDense
		if !chol.Factorize(hess) || chol.SolveVecTo(&d, step) != nil {
			continue // not convex enough here to trust a step: refit
		}
		out[s] = &model{}
		for j := range nFeatures {
			out[s].weights[j] = w[j] - d.AtVec(j)
		}
	}
	return out
}

// maxStepShare is the largest share of the examples' weight a group may
// hold for one Newton step to stand for the model without it; the labelled
// sets hold 2 to 5 % each.
const maxStepShare = 0.1

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
