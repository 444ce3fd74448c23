package answers

import (
	"fmt"
	"testing"
)

func TestRankDbg(t *testing.T) {
	if !*tune {
		t.Skip()
	}
	m, _ := Load("../../data/faq.yaml")
	for _, f := range []string{"testdata/eval.yaml", "testdata/holdout.yaml"} {
		cases, _ := LoadEvalFile(f)
		r1, r3, n := 0, 0, 0
		for _, c := range cases {
			if c.Entry == OutOfScope {
				continue
			}
			n++
			an := m.analyser.analyse(c.Question, true)
			if len(an.terms) == 0 {
				continue
			}
			rk := m.rank(an)
			if rk[0].entry.entry.ID == c.Entry {
				r1++
			}
			for _, s := range rk[:3] {
				if s.entry.entry.ID == c.Entry {
					r3++
				}
			}
		}
		fmt.Printf("%s rank1 %.3f rank3 %.3f\n", f, float64(r1)/float64(n), float64(r3)/float64(n))
	}
}

func TestRankMiss(t *testing.T) {
	if !*tune {
		t.Skip()
	}
	m, _ := Load("../../data/faq.yaml")
	cases, _ := LoadEvalFile("testdata/eval.yaml")
	for _, c := range cases {
		if c.Entry == OutOfScope {
			continue
		}
		an := m.analyser.analyse(c.Question, true)
		if len(an.terms) == 0 {
			fmt.Printf("NOTERMS want %s  %q\n", c.Entry, c.Question)
			continue
		}
		rk := m.rank(an)
		if rk[0].entry.entry.ID != c.Entry {
			fmt.Printf("want %-20s got %-20s %.2f  %q %v\n", c.Entry, rk[0].entry.entry.ID, rk[0].score, c.Question, an.terms)
		}
	}
}
