package answers

import (
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// OutOfScope labels a question that no entry answers.
const OutOfScope = "none"

// EvalCase is one labelled question.
type EvalCase struct {
	Question string
	// Entries are the expected entry ids, in the order asked: one, or
	// several for a message that asks several things; or OutOfScope.
	Entries []string
	Line    int
}

// Entry is the expected entry of a one-part question.
func (c EvalCase) Entry() string { return c.Entries[0] }

// LoadEvalFile reads a YAML list of {q, entry}; entry is an id, none, or a
// list of ids for a message that asks several things.
func LoadEvalFile(path string) ([]EvalCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read eval set: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(path, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: no cases", path)
	}
	return evalCases(parser{path: path}, doc.Content[0])
}

// EvalReport holds the accuracy figures of one run over an eval set.
type EvalReport struct {
	Name       string  `json:"name"`
	InScope    int     `json:"in_scope"`
	OutOfScope int     `json:"out_of_scope"`
	Top1       float64 `json:"top1"`      // in-scope answered with the right entry
	Wrong      float64 `json:"wrong"`     // in-scope answered with a wrong entry
	Top3       float64 `json:"top3"`      // top1, or suggested with the right entry among the choices
	OOSFalse   float64 `json:"oos_false"` // out-of-scope questions answered
	Suggested  float64 `json:"suggested"` // in-scope questions given choices
	// Messages that ask several things, counted apart from the rest.
	TwoPart      int     `json:"two_part"`
	TwoPartRight float64 `json:"two_part_right"` // every part answered with its entry, nothing else
	TwoPartWrong float64 `json:"two_part_wrong"` // an entry answered that was not asked
	// StrayParts: one-question messages answered right, but in parts, one
	// of them an entry not asked (counted in top1 too: the answer is there).
	StrayParts float64 `json:"stray_parts"`
	// OneWord: in-scope messages of one word ("salaire ?"), which the scope
	// rule does not answer (the bot reads abbreviations expanded, so it may
	// answer a few); Top1Rest and Top3Rest are top1 and top3 on the other
	// in-scope messages.
	OneWord    int         `json:"one_word"`
	Top1Rest   float64     `json:"top1_rest"`
	Top3Rest   float64     `json:"top3_rest"`
	Misses     []EvalMiss  `json:"misses,omitempty"`
	Calibrated []ScoreBand `json:"calibration,omitempty"`
	// English is the same figures on the messages written in English.
	English *EvalReport `json:"english,omitempty"`
}

// EvalMiss is a question the matcher did not answer right.
type EvalMiss struct {
	Question string   `json:"q"`
	Want     string   `json:"want"`
	Decision Decision `json:"decision"`
	Got      []string `json:"got"` // answered entry, or the choices offered
	Score    float64  `json:"score"`
}

// ScoreBand tells how often answers with a score in [Low, High) were right:
// a calibrated score has Accuracy close to the band.
type ScoreBand struct {
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
	Answered int     `json:"answered"`
	Accuracy float64 `json:"accuracy"`
}

// Evaluate runs every case through match. One-part questions make the
// main figures; messages that ask several things are counted apart.
func Evaluate(name string, cases []EvalCase, match func(string) Result) EvalReport {
	results := make([]Result, len(cases))
	for i, c := range cases {
		results[i] = match(c.Question)
	}
	rep := evaluate(name, cases, results)
	var english []EvalCase
	var englishResults []Result
	for i, c := range cases {
		if detectLang(words(c.Question)) == English {
			english = append(english, c)
			englishResults = append(englishResults, results[i])
		}
	}
	if len(english) > 0 {
		en := evaluate(name, english, englishResults)
		en.Misses = nil
		rep.English = &en
	}
	return rep
}

// evaluate makes the figures of cases answered with results, in the same order.
func evaluate(name string, cases []EvalCase, results []Result) EvalReport {
	rep := EvalReport{Name: name}
	var top1, wrong, top3, oosFalse, suggested, bothRight, partsWrong, stray, oneWordRight, oneWordTop3 int
	bands := make([]ScoreBand, 5)
	right := make([]int, len(bands))
	for i := range bands {
		bands[i].Low, bands[i].High = float64(i)/5, float64(i+1)/5
	}
	for i, c := range cases {
		r := results[i]
		if len(c.Entries) > 1 {
			rep.TwoPart++
			got := r.answered()
			all, extra := true, false
			for _, id := range c.Entries {
				all = all && contains(got, id)
			}
			for _, id := range got {
				extra = extra || !contains(c.Entries, id)
			}
			switch {
			case extra:
				partsWrong++
				rep.Misses = append(rep.Misses, miss(c, r))
			case all:
				bothRight++
			default:
				rep.Misses = append(rep.Misses, miss(c, r))
			}
			continue
		}
		if r.Decision == Answer {
			b := min(int(r.Score*5), 4)
			bands[b].Answered++
			if r.EntryID == c.Entry() {
				right[b]++
			}
		}
		if c.Entry() == OutOfScope {
			rep.OutOfScope++
			if r.Decision == Answer {
				oosFalse++
				rep.Misses = append(rep.Misses, miss(c, r))
			}
			continue
		}
		rep.InScope++
		single := oneWord(words(c.Question))
		if single {
			rep.OneWord++
		}
		switch r.Decision {
		case Answer:
			// Answered in parts, the entry asked may be any of them.
			if got := r.answered(); contains(got, c.Entry()) {
				top1++
				top3++
				if single {
					oneWordRight++
					oneWordTop3++
				}
				if len(got) > 1 {
					stray++
					rep.Misses = append(rep.Misses, miss(c, r))
				}
				continue
			}
			wrong++
		case Suggest:
			suggested++
			for _, s := range r.Suggestions {
				if s.EntryID == c.Entry() {
					top3++
					if single {
						oneWordTop3++
					}
					break
				}
			}
		}
		rep.Misses = append(rep.Misses, miss(c, r))
	}
	rep.Top1 = ratio(top1, rep.InScope)
	rep.Top1Rest = ratio(top1-oneWordRight, rep.InScope-rep.OneWord)
	rep.Top3Rest = ratio(top3-oneWordTop3, rep.InScope-rep.OneWord)
	rep.Wrong = ratio(wrong, rep.InScope)
	rep.Top3 = ratio(top3, rep.InScope)
	rep.Suggested = ratio(suggested, rep.InScope)
	rep.OOSFalse = ratio(oosFalse, rep.OutOfScope)
	rep.TwoPartRight = ratio(bothRight, rep.TwoPart)
	rep.TwoPartWrong = ratio(partsWrong, rep.TwoPart)
	rep.StrayParts = ratio(stray, rep.InScope)
	for i := range bands {
		if bands[i].Answered > 0 {
			bands[i].Accuracy = ratio(right[i], bands[i].Answered)
			rep.Calibrated = append(rep.Calibrated, bands[i])
		}
	}
	return rep
}

// answered lists the entries a result answers: its parts, or its entry.
func (r Result) answered() []string {
	if r.Decision != Answer {
		return nil
	}
	if len(r.Parts) > 0 {
		ids := make([]string, len(r.Parts))
		for i, p := range r.Parts {
			ids[i] = p.EntryID
		}
		return ids
	}
	return []string{r.EntryID}
}

func miss(c EvalCase, r Result) EvalMiss {
	m := EvalMiss{Question: c.Question, Want: strings.Join(c.Entries, "+"), Decision: r.Decision, Score: r.Score, Got: []string{}}
	m.Got = append(m.Got, r.answered()...)
	for _, s := range r.Suggestions {
		m.Got = append(m.Got, s.EntryID)
	}
	return m
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// EvalLimits are the thresholds under which an eval fails.
type EvalLimits struct {
	MinTop1, MaxWrong, MinTop3, MaxOOSFalse float64
}

// Failures lists the limits a report does not meet.
func (r EvalReport) Failures(l EvalLimits) []string {
	var out []string
	if r.Top1 < l.MinTop1 {
		out = append(out, fmt.Sprintf("top1 %.3f < %.3f", r.Top1, l.MinTop1))
	}
	if r.Wrong > l.MaxWrong {
		out = append(out, fmt.Sprintf("wrong %.3f > %.3f", r.Wrong, l.MaxWrong))
	}
	if r.Top3 < l.MinTop3 {
		out = append(out, fmt.Sprintf("top3 %.3f < %.3f", r.Top3, l.MinTop3))
	}
	if r.OOSFalse > l.MaxOOSFalse {
		out = append(out, fmt.Sprintf("oos_false %.3f > %.3f", r.OOSFalse, l.MaxOOSFalse))
	}
	return out
}
