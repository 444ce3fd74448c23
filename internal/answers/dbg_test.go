package answers

import (
	"fmt"
	"testing"
)

func TestDbgSep(t *testing.T) {
	if !*tune {
		t.Skip()
	}
	m := mustLoad(t, "../../data/faq.yaml")
	cases, _ := LoadEvalFile("testdata/" + *tuneSet + ".yaml")
	for i, r := range rankAll(m, cases) {
		if r == nil {
			continue
		}
		c := cases[i]
		x := r.features()
		lab := "RIGHT"
		if c.Entry == OutOfScope {
			lab = "OOS"
		} else if r.entries[0].entry.entry.ID != c.Entry {
			lab = "WRONG"
		}
		fmt.Printf("%s conf %.2f s1 %.2f gap %.3f known %.2f cover %.2f recall %.2f  %-18s %.50q\n", lab, m.tuning.Confidence.of(x), x[0], x[1], x[3], x[4], x[5], r.entries[0].entry.entry.ID, c.Question)
	}
}
