package answers

import (
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// objective computes a loss and, into grad (zeroed), its gradient at w.
type objective func(w, grad []float64) float64

// hessianObjective computes a loss and, into grad and hess (zeroed), its
// gradient and Hessian at w.
type hessianObjective func(w, grad []float64, hess *mat.SymDense) float64

// minimize runs gonum's L-BFGS from start (nil: zero). store is L-BFGS's
// memory (0: gonum's default); maxIter 0 leaves the iterations unbounded.
func minimize(dim, store, maxIter int, start []float64, f objective) ([]float64, error) {
	last := lastPoint{grad: make([]float64, dim), f: func(w, grad []float64, _ *mat.SymDense) float64 { return f(w, grad) }}
	p := optimize.Problem{Func: last.loss, Grad: last.gradient}
	settings := &optimize.Settings{GradientThreshold: 1e-5, MajorIterations: maxIter}
	return run(p, dim, start, settings, &optimize.LBFGS{Store: store})
}

// minimizeNewton runs gonum's Newton method from start (nil: zero), for
// the few weights whose Hessian is cheap: it converges in a handful of
// steps where L-BFGS takes dozens.
func minimizeNewton(dim int, start []float64, f hessianObjective) ([]float64, error) {
	last := lastPoint{grad: make([]float64, dim), hess: mat.NewSymDense(dim, nil), f: f}
	p := optimize.Problem{Func: last.loss, Grad: last.gradient, Hess: last.hessian}
	return run(p, dim, start, &optimize.Settings{GradientThreshold: 1e-5}, &optimize.Newton{})
}

func run(p optimize.Problem, dim int, start []float64, settings *optimize.Settings, method optimize.Method) ([]float64, error) {
	x0 := make([]float64, dim)
	copy(x0, start)
	res, err := optimize.Minimize(p, x0, settings, method)
	if res == nil || res.X == nil {
		return nil, err
	}
	return res.X, nil
}

// lastPoint computes an objective's loss, gradient and Hessian in one pass
// and keeps them: gonum asks for them apart, at the same point.
type lastPoint struct {
	x    []float64
	f    hessianObjective
	val  float64
	grad []float64
	hess *mat.SymDense // nil: no Hessian asked for
}

func (l *lastPoint) at(w []float64) {
	if l.x != nil && slices.Equal(l.x, w) {
		return
	}
	l.x = append(l.x[:0], w...)
	clear(l.grad)
	if l.hess != nil {
		l.hess.Zero()
	}
	l.val = l.f(w, l.grad, l.hess)
}

func (l *lastPoint) loss(w []float64) float64                { l.at(w); return l.val }
func (l *lastPoint) gradient(grad, w []float64)              { l.at(w); copy(grad, l.grad) }
func (l *lastPoint) hessian(hess *mat.SymDense, w []float64) { l.at(w); hess.CopySym(l.hess) }
