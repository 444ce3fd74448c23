package answers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The calibrator, fitted on outcomes drawn from a known logistic model,
// finds that model's weights again (a little shrunk by the ridge), and
// the same from zero or from another start.
func TestCalibratorFindsTheWeightsTheOutcomesWereDrawnFrom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	truth := calibrator{bias: -0.5}
	for j := range truth.weights {
		truth.weights[j] = float64(j%3) - 1 // -1, 0, 1, ...
	}
	const n = 40000
	xs := make([][nCalibration]float64, n)
	right := make([]bool, n)
	for i := range xs {
		for j := range xs[i] {
			xs[i][j] = rng.NormFloat64()
		}
		right[i] = rng.Float64() < truth.of(xs[i])
	}
	fromZero := fitCalibrator(xs, right, nil)
	fromElsewhere := fitCalibrator(xs, right, &calibrator{bias: 3, weights: [nCalibration]float64{2, 2, 2}})
	for _, got := range []calibrator{fromZero, fromElsewhere} {
		if math.Abs(got.bias-truth.bias) > 0.1 {
			t.Errorf("bias %.3f, drawn from %.3f", got.bias, truth.bias)
		}
		for j := range got.weights {
			if math.Abs(got.weights[j]-truth.weights[j]) > 0.1 {
				t.Errorf("weight %s %.3f, drawn from %.3f", calibrationNames[j], got.weights[j], truth.weights[j])
			}
			if math.Abs(got.weights[j]-fromZero.weights[j]) > 1e-4 {
				t.Errorf("weight %s: %.5f from another start, %.5f from zero", calibrationNames[j], got.weights[j], fromZero.weights[j])
			}
		}
	}
}
