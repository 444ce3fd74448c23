package answers

import (
	"errors"
	"math"
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

// fit learns the weights that make the right class most probable, by
// L-BFGS (gonum) on the mean log loss, from start (nil: zero); the loss
// is convex, so start changes only how soon it is found. Deterministic
// for the same data and start.
func fit(examples []example, start []float64) (model, error) {
	// A question whose class no score put forward teaches nothing.
	var usable []example
	var targets []int
	var total float64
	for _, e := range examples {
		if t := e.target(); t >= 0 {
			usable = append(usable, e)
			targets = append(targets, t)
			total += e.weight
		}
	}
	if total == 0 {
		return model{}, errors.New("no training question")
	}
	w, err := minimize(nFeatures, 0, 0, start, func(w, grad []float64) float64 {
		var sum float64
		z := make([]float64, 0, 64)
		for n, e := range usable {
			z = z[:0]
			top := math.Inf(-1)
			for i := range e.features.rows {
				var s float64
				for j := range nFeatures {
					s += w[j] * e.features.rows[i][j]
				}
				z = append(z, s)
				top = max(top, s)
			}
			var norm float64
			for i := range z {
				z[i] = math.Exp(z[i] - top)
				norm += z[i]
			}
			t := targets[n]
			sum -= e.weight * math.Log(max(z[t]/norm, 1e-300))
			for i := range z {
				d := z[i] / norm
				if i == t {
					d--
				}
				for j := range nFeatures {
					grad[j] += e.weight * d * e.features.rows[i][j]
				}
			}
		}
		var reg float64
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
