package answers

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
)

// trained is what the model learned from the FAQ and the training files.
type trained struct {
	model      model
	thresholds Thresholds
	// crossValidated are the held-out predictions the thresholds were chosen
	// on, one per training question, for `bot eval --cv`.
	crossValidated []prediction
}

// Thresholds decide between answer, suggest and fallback; they are chosen
// on held-out predictions, never set by hand.
type Thresholds struct {
	Answer  float64 // minimum probability of the best entry to answer
	Suggest float64 // minimum probability of the best entry to offer choices
}

// prediction is one held-out question's outcome.
type prediction struct {
	group int32
	class int // the right class
	top   int // the most probable class
	p     float64
	pIn   float64 // the probability of the most probable entry
	top3  []int   // the three most probable entries
}

// trainingSet gathers the phrasings: faq.yaml's questions and alternates
// first, then the training files, each text once.
func trainingSet(faq *FAQ, extra []Phrasing) ([]Phrasing, []string) {
	classes := make([]string, 0, len(faq.Entries)+1)
	known := map[string]bool{OutOfScope: true}
	for _, e := range faq.Entries {
		classes = append(classes, e.ID)
		known[e.ID] = true
	}
	classes = append(classes, OutOfScope)
	var out []Phrasing
	seen := map[string]bool{}
	add := func(p Phrasing) {
		key := Normalise(p.Text)
		if key == "" || seen[key] || !known[p.Class] {
			return
		}
		seen[key] = true
		out = append(out, p)
	}
	for _, e := range faq.Entries {
		add(Phrasing{Text: e.Question.Value, Class: e.ID, Group: faqGroup, Line: e.Question.Line})
		for _, a := range e.Alternates {
			add(Phrasing{Text: a.Value, Class: e.ID, Group: faqGroup, Line: a.Line})
		}
		if e.QuestionEN.Value != "" {
			add(Phrasing{Text: e.QuestionEN.Value, Class: e.ID, Group: faqGroup, Line: e.QuestionEN.Line})
		}
	}
	for _, p := range extra {
		add(p)
	}
	return out, classes
}

// faqGroup names the phrasings written in faq.yaml.
const faqGroup = "faq.yaml"

// examples computes every phrasing's features as a new question would get
// them: without its own group's phrasings in memory, and without itself in
// the lexical index.
func (m *Matcher) examples(phrasings []Phrasing) []example {
	out := make([]example, len(phrasings))
	lexical := m.lexicalPhrasings()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scratch := make([]float32, len(m.memory.docClass))
			for i := range jobs {
				p := phrasings[i]
				lo := leaveOut{group: m.memory.docGroup[i], lexical: lexical[p.Text]}
				out[i] = example{features: m.features(m.read(p.Text, true), lo, scratch), class: m.memory.classOf[p.Class], weight: 1}
			}
		}()
	}
	for i := range phrasings {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

// lexicalPhrasings maps faq.yaml's texts to their place in the lexical index.
func (m *Matcher) lexicalPhrasings() map[string]*termSet {
	out := map[string]*termSet{}
	for i := range m.index.entries {
		ie := &m.index.entries[i]
		out[ie.entry.Question.Value] = &ie.phrasings[0]
		for j, a := range ie.entry.Alternates {
			out[a.Value] = &ie.phrasings[j+1]
		}
	}
	return out
}

// train learns the weights from every example, and the thresholds from
// held-out predictions: each group in turn is left out of the fit and
// predicted, as a new writer's questions would be.
func train(examples []example, groups []int32, nGroups int, oos int, calibrateOn func(int32) bool) (trained, error) {
	var t trained
	for g := range int32(nGroups) {
		var fitOn []example
		var held []int
		for i, e := range examples {
			if groups[i] == g {
				held = append(held, i)
			} else {
				fitOn = append(fitOn, e)
			}
		}
		if len(held) == 0 || len(fitOn) == 0 {
			continue
		}
		md, err := fit(fitOn)
		if err != nil {
			return t, fmt.Errorf("fit without group %d: %w", g, err)
		}
		for _, i := range held {
			t.crossValidated = append(t.crossValidated, predict(md, examples[i], g, oos))
		}
	}
	md, err := fit(examples)
	if err != nil {
		return t, fmt.Errorf("fit: %w", err)
	}
	t.model = md
	var calibration []prediction
	for _, p := range t.crossValidated {
		if calibrateOn(p.group) {
			calibration = append(calibration, p)
		}
	}
	if len(calibration) < 100 {
		calibration = t.crossValidated
	}
	t.thresholds = chooseThresholds(calibration, oos)
	return t, nil
}

func predict(md model, e example, g int32, oos int) prediction {
	nClasses := oos + 1
	p := md.probabilities(e.features, nClasses)
	order := argsort(p)
	pr := prediction{group: g, class: e.class, top: order[0], p: p[order[0]]}
	for _, c := range order {
		if c != oos && len(pr.top3) < 3 {
			if len(pr.top3) == 0 {
				pr.pIn = p[c]
			}
			pr.top3 = append(pr.top3, c)
		}
	}
	return pr
}

// The answer threshold is the lowest at which, on held-out questions,
// answers to in-scope questions are wrong at most MaxWrong of the time and
// out-of-scope messages are answered at most MaxOOSFalse of the time:
// together, an answer is right about 98 times in 100.
const (
	MaxWrong    = 0.012
	MaxOOSFalse = 0.02
)

// chooseThresholds picks the answer threshold as above, and the suggestion
// threshold that best trades offering the right entry among choices
// against offering choices to what no entry answers.
func chooseThresholds(preds []prediction, oos int) Thresholds {
	var in, out int
	for _, p := range preds {
		if p.class == oos {
			out++
		} else {
			in++
		}
	}
	answerable := make([]prediction, 0, len(preds))
	for _, p := range preds {
		if p.top != oos {
			answerable = append(answerable, p)
		}
	}
	sort.Slice(answerable, func(i, j int) bool { return answerable[i].p > answerable[j].p })
	th := Thresholds{Answer: 1, Suggest: 1}
	wrong, oosFalse := 0, 0
	for i, p := range answerable {
		switch {
		case p.class == oos:
			oosFalse++
		case p.top != p.class:
			wrong++
		}
		// Only a cut between two different probabilities can be a threshold.
		if i+1 < len(answerable) && answerable[i+1].p == p.p {
			continue
		}
		if float64(wrong) > MaxWrong*float64(in) || float64(oosFalse) > MaxOOSFalse*float64(out) {
			break
		}
		th.Answer = p.p
	}
	bestCost := len(preds) + 1
	for _, s := range []float64{0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5} {
		cost := 0
		for _, p := range preds {
			if p.top != oos && p.p >= th.Answer {
				continue
			}
			offered := p.pIn >= s
			switch {
			case p.class == oos && offered:
				cost++
			case p.class != oos && (!offered || !containsInt(p.top3, p.class)):
				cost++
			}
		}
		if cost < bestCost {
			bestCost, th.Suggest = cost, s
		}
	}
	return th
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}
