package answers

import (
	"math"
	"math/rand/v2"
	"runtime"
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
	examples, groups := syntheticExamples(6000, 12)
	full, err := fit(examples, nil)
	if err != nil {
		t.Fatal(err)
	}
	folds := []int32{0, 3, 5}
	approx := leaveGroupsOut(full, examples, groups, folds)
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

// A group without which no question is left gets no model.
func TestLeaveGroupsOutOfEverything(t *testing.T) {
	examples, groups := syntheticExamples(50, 1)
	full, err := fit(examples, nil)
	if err != nil {
		t.Fatal(err)
	}
	if approx := leaveGroupsOut(full, examples, groups, []int32{0}); approx[0] != nil {
		t.Fatalf("leaving out the only group: %v, want no model", approx[0])
	}
}

// A group too big for one step to stand for the model without it gets no
// model: it is refitted.
func TestLeaveGroupsOutRefusesABigGroup(t *testing.T) {
	examples, groups := syntheticExamples(600, 4) // a quarter each
	full, err := fit(examples, nil)
	if err != nil {
		t.Fatal(err)
	}
	if approx := leaveGroupsOut(full, examples, groups, []int32{1}); approx[0] != nil {
		t.Fatal("a group of a quarter of the examples got a Newton step, want none (a refit)")
	}
}

// The weights learned are the same, to the bit, on one core or several:
// the sums are cut into the same slices whatever the machine.
func TestFitIsTheSameOnAnyNumberOfCores(t *testing.T) {
	examples, _ := syntheticExamples(2000, 1)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var models []model
	for _, cores := range []int{1, 2, 3} {
		runtime.GOMAXPROCS(cores)
		md, err := fit(examples, nil)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, md)
	}
	for i := 1; i < len(models); i++ {
		if models[i].weights != models[0].weights {
			t.Errorf("weights on %d cores differ from those on 1", i+1)
		}
	}
}
