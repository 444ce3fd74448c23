package answers

import (
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// objective computes a loss and, into grad (zeroed), its gradient at w.
type objective func(w, grad []float64) float64

// minimize runs gonum's L-BFGS from start (nil: zero) on an objective that computes its
// loss and gradient in one pass: gonum asks for them apart, at the same
// point, so the gradient is kept for the asking. store is L-BFGS's memory
// (0: gonum's default); maxIter 0 leaves the iterations unbounded.
func minimize(dim, store, maxIter int, start []float64, f objective) ([]float64, error) {
	var lastX []float64
	var lastLoss float64
	lastGrad := make([]float64, dim)
	eval := func(w []float64) {
		if lastX != nil && slices.Equal(lastX, w) {
			return
		}
		lastX = append(lastX[:0], w...)
		clear(lastGrad)
		lastLoss = f(w, lastGrad)
	}
	p := optimize.Problem{
		Func: func(w []float64) float64 { eval(w); return lastLoss },
		Grad: func(grad, w []float64) { eval(w); copy(grad, lastGrad) },
	}
	settings := &optimize.Settings{GradientThreshold: 1e-5, MajorIterations: maxIter}
	x0 := make([]float64, dim)
	copy(x0, start)
	res, err := optimize.Minimize(p, x0, settings, &optimize.LBFGS{Store: store})
	if res == nil || res.X == nil {
		return nil, err
	}
	return res.X, nil
}

// hessianObjective computes a loss and, into grad and hess (zeroed), its
// gradient and Hessian at w.
type hessianObjective func(w, grad []float64, hess *mat.SymDense) float64

// minimizeNewton runs gonum's Newton method from start (nil: zero), for
// the few weights whose Hessian is cheap: it converges in a handful of
// steps where L-BFGS takes dozens. The loss, gradient and Hessian come
// from one pass, kept for gonum's asking apart.
func minimizeNewton(dim int, start []float64, f hessianObjective) ([]float64, error) {
	var lastX []float64
	var lastLoss float64
	lastGrad := make([]float64, dim)
	lastHess := mat.NewSymDense(dim, nil)
	eval := func(w []float64) {
		if lastX != nil && slices.Equal(lastX, w) {
			return
		}
		lastX = append(lastX[:0], w...)
		clear(lastGrad)
		lastHess.Zero()
		lastLoss = f(w, lastGrad, lastHess)
	}
	p := optimize.Problem{
		Func: func(w []float64) float64 { eval(w); return lastLoss },
		Grad: func(grad, w []float64) { eval(w); copy(grad, lastGrad) },
		Hess: func(hess *mat.SymDense, w []float64) { eval(w); hess.CopySym(lastHess) },
	}
	x0 := make([]float64, dim)
	copy(x0, start)
	res, err := optimize.Minimize(p, x0, &optimize.Settings{GradientThreshold: 1e-5}, &optimize.Newton{})
	if res == nil || res.X == nil {
		return nil, err
	}
	return res.X, nil
}
