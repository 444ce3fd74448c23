package answers

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// markTop marks what the first n of argsort are, ties included.
func TestMarkTopIsTheStableSortsFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		x := make([]float64, 1+rng.IntN(12))
		for i := range x {
			x[i] = float64(rng.IntN(4)) // many ties
		}
		n := 1 + rng.IntN(5)
		got := make([]bool, len(x))
		markTop(x, n, got)
		want := make([]bool, len(x))
		for _, i := range argsort(x)[:min(n, len(x))] {
			want[i] = true
		}
		if !slices.Equal(got, want) {
			t.Fatalf("markTop(%v, %d) = %v, want %v", x, n, got, want)
		}
	}
}
