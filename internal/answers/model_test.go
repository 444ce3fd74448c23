package answers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// syntheticExamples are questions with a few candidate rows each, whose
// right row is the one a hidden weight vector scores highest most of the
// time, spread over groups.
func syntheticExamples(n, nGroups int) ([]example, []int32) {
	rng := rand.New(rand.NewPCG(1, 2))
	var hidden [nFeatures]float64
	for j := range hidden {
		hidden[j] = rng.NormFloat64()
	}
	examples := make([]example, n)
	groups := make([]int32, n)
	for i := range examples {
		rows := 2 + rng.IntN(5)
		f := pairFeatures{classes: make([]int, rows), rows: make([][nFeatures]float64, rows)}
		best, bestScore := 0, math.Inf(-1)
		for r := range rows {
			f.classes[r] = r
			score := rng.NormFloat64() // noise: the data does not fit perfectly
			for j := range nFeatures {
				f.rows[r][j] = rng.Float64()
				score += hidden[j] * f.rows[r][j]
			}
			if score > bestScore {
				best, bestScore = r, score
			}
		}
		examples[i] = example{features: f, class: best, weight: 1}
		groups[i] = int32(i % nGroups)
	}
	return examples, groups
}

// The model left without a group, by one Newton step, is the model refitted
// without it, to a small fraction of how far leaving the group out moves it.
func TestLeaveGroupsOutIsARefit(t *testing.T) {
	examples, groups := syntheticExamples(3000, 6)
	full, err := fit(examples, nil)
	if err != nil {
		t.Fatal(err)
	}
	folds := []int32{0, 3, 5}
	approx, err := leaveGroupsOut(full, examples, groups, folds)
	if err != nil {
		t.Fatal(err)
	}
	for k, g := range folds {
		var without []example
		for i, e := range examples {
			if groups[i] != g {
				without = append(without, e)
			}
		}
		refit, err := fit(without, nil)
		if err != nil {
			t.Fatal(err)
		}
		var moved, missed float64
		for j := range nFeatures {
			moved = max(moved, math.Abs(refit.weights[j]-full.weights[j]))
			missed = max(missed, math.Abs(refit.weights[j]-approx[k].weights[j]))
		}
		if moved == 0 || missed > moved/10 {
			t.Errorf("group %d: leaving it out moves the weights by %.4g, the step misses the refit by %.4g", g, moved, missed)
		}
	}
}

// A group without which no question is left gets no model, and no error.
func TestLeaveGroupsOutOfEverything(t *testing.T) {
	examples, groups := syntheticExamples(50, 1)
	full, err := fit(examples, nil)
	if err != nil {
		t.Fatal(err)
	}
	approx, err := leaveGroupsOut(full, examples, groups, []int32{0})
	if err != nil || approx[0] != nil {
		t.Fatalf("leaving out the only group: %v, %v; want no model and no error", approx[0], err)
	}
}
