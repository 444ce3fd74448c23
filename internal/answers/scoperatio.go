package answers

import "math"

// scopeRatio weighs each feature by how much more often it appears in
// messages no entry answers than in questions the FAQ answers (pooled
// over every entry, so that rare features are still well counted), with
// one group's counts left out on demand.
type scopeRatio struct {
	in, out       []float32 // by feature id of the space
	gIn, gOut     [][]float32
	totIn, totOut float64
	gTotIn        []float64
	gTotOut       []float64
	// logOf is log(count + smoothing) for the counts the features have.
	logOf logTable
}

// newScopeRatio counts, feature by feature of a space, the phrasings in
// and out of scope that have it.
func newScopeRatio(sp *vectors, isOut []bool, docGroup []int32, nGroups int) *scopeRatio {
	n := len(sp.idf)
	s := &scopeRatio{in: make([]float32, n), out: make([]float32, n), gIn: make([][]float32, nGroups), gOut: make([][]float32, nGroups),
		gTotIn: make([]float64, nGroups), gTotOut: make([]float64, nGroups)}
	for g := range nGroups {
		s.gIn[g], s.gOut[g] = make([]float32, n), make([]float32, n)
	}
	for i, d := range sp.docs {
		g := docGroup[i]
		for _, id := range d.ids {
			if isOut[i] {
				s.out[id]++
				s.gOut[g][id]++
				s.totOut++
				s.gTotOut[g]++
			} else {
				s.in[id]++
				s.gIn[g][id]++
				s.totIn++
				s.gTotIn[g]++
			}
		}
	}
	return s
}

// prepare tabulates the logarithms score needs (memory.prepare).
func (s *scopeRatio) prepare() {
	var most float32
	for id := range s.in {
		most = max(most, s.in[id], s.out[id])
	}
	s.logOf = newLogTable(most)
}

// score is the mean log ratio of the features' out-of-scope and in-scope
// frequencies: above 0 the message reads like those no entry answers.
func (s *scopeRatio) score(ids []int32, skipGroup int32) float64 {
	totIn, totOut := s.totIn, s.totOut
	if skipGroup >= 0 {
		totIn -= s.gTotIn[skipGroup]
		totOut -= s.gTotOut[skipGroup]
	}
	if totIn <= 0 || totOut <= 0 {
		return 0
	}
	v := float64(len(s.in)) * bayesSmoothing
	// log((out+α)/(totOut+v)) - log((in+α)/(totIn+v)), summed: the
	// counts' logarithms from the table, the totals' once.
	var sum float64
	n := 0
	for _, id := range ids {
		in, out := s.in[id], s.out[id]
		if skipGroup >= 0 {
			in -= s.gIn[skipGroup][id]
			out -= s.gOut[skipGroup][id]
		}
		if in+out == 0 {
			continue
		}
		sum += s.logOf.of(out) - s.logOf.of(in)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum/float64(n) + math.Log(totIn+v) - math.Log(totOut+v)
}

// unseen is the share of the features (ids in the space, -1 when the
// space does not have them) that no in-scope phrasing has.
func (s *scopeRatio) unseen(ids []int32, skipGroup int32) float64 {
	if len(ids) == 0 {
		return 0
	}
	n := 0
	for _, id := range ids {
		in := float32(0)
		if id >= 0 {
			in = s.in[id]
			if skipGroup >= 0 {
				in -= s.gIn[skipGroup][id]
			}
		}
		if in <= 0 {
			n++
		}
	}
	return float64(n) / float64(len(ids))
}
