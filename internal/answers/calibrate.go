package answers

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// The calibrator turns what the model says about a question into the
// chance that its best entry is the right answer: a logistic regression
// fitted on held-out predictions of the labelled sets, so that "answer"
// can be held to a rate of mistakes.
const (
	cTopLogit    = iota // the best class's probability, as a logit
	cSecondLogit        // the second's
	cOOSLogit           // the out-of-scope class's
	cCharBest           // how near the best entry's nearest phrasing is
	cLexical            // the best entry's lexical score
	cOOSChars           // how much the message reads like those no entry answers
	cShort              // at most one topic term
	cEnglish            // written in English
	cCover              // share of the question the best entry's phrasings explain
	cScope              // the scope model's logit that no entry answers it
	nCalibration
)

var calibrationNames = [nCalibration]string{"top_logit", "second_logit", "oos_logit", "char_best", "lexical", "oos_chars", "short", "english", "cover", "scope"}

type calibrator struct {
	bias    float64
	weights [nCalibration]float64
}

func (c calibrator) of(x [nCalibration]float64) float64 {
	z := c.bias
	for j, w := range c.weights {
		z += w * x[j]
	}
	return 1 / (1 + math.Exp(-z))
}

// logLoss is the log loss of probability p for the outcome y (0 or 1):
// one logarithm, the other term being naught.
func logLoss(p, y float64) float64 {
	if y == 1 {
		return -math.Log(max(p, 1e-300))
	}
	return -math.Log(max(1-p, 1e-300))
}

func logit(p float64) float64 {
	p = min(max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

// calibration reads the calibrator's inputs off the model's verdict.
func calibration(probs []float64, order []int, oos int, f pairFeatures, r reading) [nCalibration]float64 {
	var x [nCalibration]float64
	top := order[0]
	second := 0.0
	if len(order) > 1 {
		second = probs[order[1]]
	}
	x[cTopLogit], x[cSecondLogit], x[cOOSLogit] = logit(probs[top]), logit(second), logit(probs[oos])
	for i, c := range f.classes {
		switch c {
		case top:
			x[cCharBest], x[cLexical], x[cCover] = f.rows[i][fCharBest], f.rows[i][fLexical], f.rows[i][fCover]
		case oos:
			x[cOOSChars], x[cScope] = f.rows[i][fOutChars], f.rows[i][fOutScope]
		}
	}
	x[cShort] = b2f(r.content <= 1)
	x[cEnglish] = b2f(r.lang == English)
	return x
}

// fitCalibrator learns P(right | inputs) by Newton's method on the log
// loss, from start's weights (nil: zero).
func fitCalibrator(xs [][nCalibration]float64, right []bool, start *calibrator) calibrator {
	n := float64(len(xs))
	if n == 0 {
		return calibrator{}
	}
	var w0 []float64
	if start != nil {
		w0 = append([]float64{start.bias}, start.weights[:]...)
	}
	const dim = nCalibration + 1
	w, _ := minimizeNewton(dim, w0, func(w, grad []float64, hess *mat.SymDense) float64 {
		var sum float64
		var h [dim * (dim + 1) / 2]float64 // the Hessian's upper triangle, row by row
		var x1 [dim]float64
		x1[0] = 1
		for i, x := range xs {
			copy(x1[1:], x[:])
			z := 0.0
			for j := range dim {
				z += w[j] * x1[j]
			}
			p := 1 / (1 + math.Exp(-z))
			y := b2f(right[i])
			sum += logLoss(p, y)
			v := p * (1 - p)
			k := 0
			for j := range dim {
				grad[j] += (p - y) * x1[j]
				vj := v * x1[j]
				for l := j; l < dim; l++ {
					h[k] += vj * x1[l]
					k++
				}
			}
		}
		var reg float64
		k := 0
		for j := range dim {
			grad[j] /= n
			ridge := 0.0
			if j > 0 {
				reg += w[j] * w[j]
				grad[j] += 2 * l2 * w[j]
				ridge = 2 * l2
			}
			for l := j; l < dim; l++ {
				d := h[k] / n
				if l == j {
					d += ridge
				}
				hess.SetSym(j, l, d)
				k++
			}
		}
		return sum/n + l2*reg
	})
	var c calibrator
	if w == nil {
		return c
	}
	c.bias = w[0]
	copy(c.weights[:], w[1:])
	return c
}
