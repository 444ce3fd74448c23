package answers

import (
	"math"
	"slices"
	"testing"
)

// Both ways of finding a question's nearest phrasings give the same
// neighbours, to the bit, with its own group left out or not.
func TestNearReadsAllOrOnlyTheTouchedAlike(t *testing.T) {
	mem := realMatcher(t, dayEnded).memory
	sc := mem.scratch()
	k := len(mem.classes)
	fresh := func() threeNearest { return threeNearest{make([]float32, k), make([]float32, k), make([]float32, k)} }
	for _, sp := range []*vectors{&mem.chars.vectors, &mem.words.vectors} {
		for d := 0; d < len(sp.docs); d += 97 {
			for _, skip := range []int32{-1, mem.docGroup[d]} {
				all, touched := fresh(), fresh()
				mem.nearReadingAll(sp, sp.docs[d], skip, sc, all)
				mem.nearReadingTouched(sp, sp.docs[d], skip, sc, touched)
				if !slices.Equal(all.first, touched.first) || !slices.Equal(all.second, touched.second) || !slices.Equal(all.third, touched.third) {
					t.Fatalf("phrasing %d, group %d left out: reading all %v, reading the touched %v", d, skip, all, touched)
				}
				if slices.ContainsFunc(sc.sims, func(x float32) bool { return x != 0 }) {
					t.Fatalf("phrasing %d: the similarities are not left at zero", d)
				}
			}
		}
	}
}

// Leaving a group out of the counts is counting without it: naive Bayes
// and the scope ratio give what a memory that never had the group gives.
func TestLeavingAGroupOutIsCountingWithoutIt(t *testing.T) {
	// Two groups; every term of group 1 is in group 0 too, so that the
	// vocabulary is the same with it or without; but group 1 uses "python"
	// in class 0, which group 0 never does: leaving it out changes what
	// class 0 covers.
	docs := [][]string{{"salaire", "brut"}, {"teletravail", "jours"}, {"salaire", "net", "net"}, {"code", "python"},
		{"salaire", "net", "python"}, {"jours", "teletravail", "teletravail"}, {"python"}}
	class := []int32{0, 1, 0, 2, 0, 1, 2}
	group := []int32{0, 0, 0, 0, 1, 1, 1}
	isOut := []bool{false, false, false, true, false, false, true}
	both := newBayes(3, 2, class, group, docs)
	both.prepare()
	alone := newBayes(3, 1, class[:4], group[:4], docs[:4])
	alone.prepare()
	query := []string{"salaire", "net", "teletravail", "python"}
	near := func(a, b []float64) bool {
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12 {
				return false
			}
		}
		return len(a) == len(b)
	}
	if got, want := both.posterior(query, 1), alone.posterior(query, -1); !near(got, want) {
		t.Errorf("posterior leaving group 1 out %v, without it %v", got, want)
	}
	if got, want := both.cover(query, 1), alone.cover(query, -1); !near(got, want) {
		t.Errorf("cover leaving group 1 out %v, without it %v", got, want)
	}
	if near(both.cover(query, -1), alone.cover(query, -1)) {
		t.Error("cover with group 1 is cover without it: the test shows nothing")
	}
	sp := newSpace(docs)
	ratioBoth := newScopeRatio(&sp.vectors, isOut, group, 2)
	ratioBoth.prepare()
	ratioAlone := newScopeRatio(&vectors{idf: sp.idf, docs: sp.docs[:4]}, isOut[:4], group[:4], 1)
	ratioAlone.prepare()
	ids := sp.docs[2].ids
	if got, want := ratioBoth.score(ids, 1), ratioAlone.score(ids, -1); math.Abs(got-want) > 1e-12 {
		t.Errorf("scope ratio leaving group 1 out %v, without it %v", got, want)
	}
	if got := ratioBoth.score(ids, -1); math.Abs(got-ratioAlone.score(ids, -1)) < 1e-6 {
		t.Errorf("scope ratio with group 1 %v: the group makes no difference, so the test shows nothing", got)
	}
	// And the score is its definition: the mean, over the features some
	// phrasing has, of log((out+α)/(totOut+v)) - log((in+α)/(totIn+v)).
	r := ratioAlone
	v := float64(len(r.in)) * bayesSmoothing
	var sum float64
	n := 0
	for _, id := range ids {
		in, out := float64(r.in[id]), float64(r.out[id])
		if in+out > 0 {
			sum += math.Log((out+bayesSmoothing)/(r.totOut+v)) - math.Log((in+bayesSmoothing)/(r.totIn+v))
			n++
		}
	}
	if got, want := ratioAlone.score(ids, -1), sum/float64(n); math.Abs(got-want) > 1e-12 {
		t.Errorf("scope ratio %v, by its definition %v", got, want)
	}
}
