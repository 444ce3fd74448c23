package answers

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// trained is what the model learned from the FAQ and the training files.
type trained struct {
	model      model
	calibrator calibrator
	calibrated bool // false when there was too little data: see minCalibration
	thresholds Thresholds
	// crossValidated are the held-out predictions the thresholds were chosen
	// on, one per message of the labelled sets and per piece of their
	// multi-part messages, for `bot tune`.
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
	x     [nCalibration]float64
	conf  float64 // the calibrated chance that top is right
}

// trainingSet gathers the phrasings, each text once, class by class: in
// each, faq.yaml's questions and alternates first, then the training files'.
func trainingSet(faq *FAQ, extra []Phrasing) ([]Phrasing, []string) {
	classes := make([]string, 0, len(faq.Entries)+1)
	known := map[string]bool{OutOfScope: true}
	for _, e := range faq.Entries {
		classes = append(classes, e.ID)
		known[e.ID] = true
	}
	classes = append(classes, OutOfScope)
	var all []Phrasing
	for _, e := range faq.Entries {
		all = append(all, Phrasing{Text: e.Question.Value, Class: e.ID, Group: faqGroup, Line: e.Question.Line})
		for _, a := range e.Alternates {
			all = append(all, Phrasing{Text: a.Value, Class: e.ID, Group: faqGroup, Line: a.Line})
		}
		if e.QuestionEN.Value != "" {
			all = append(all, Phrasing{Text: e.QuestionEN.Value, Class: e.ID, Group: faqGroup, Line: e.QuestionEN.Line})
		}
	}
	all = append(all, extra...)
	keys := make([]string, len(all)) // normalised on every core
	forEach(len(all), func(i int) { keys[i] = Normalise(all[i].Text) })
	var out []Phrasing
	seen := map[string]bool{}
	for i, p := range all {
		if keys[i] == "" || seen[keys[i]] || !known[p.Class] {
			continue
		}
		seen[keys[i]] = true
		out = append(out, p)
	}
	// Each class's phrasings side by side: the memory finds a class's
	// nearest phrasings in one run (classRuns).
	rank := map[string]int{}
	for i, c := range classes {
		rank[c] = i
	}
	slices.SortStableFunc(out, func(a, b Phrasing) int { return rank[a.Class] - rank[b.Class] })
	// With faq.yaml alone, its phrasings are cut into folds, so that each
	// can still be asked of the others.
	if len(extra) == 0 {
		for i := range out {
			out[i].Group = fmt.Sprintf("%s#%d", faqGroup, i%smallFolds)
		}
	}
	return out, classes
}

// piecePhrasings are the questions of the training's messages that ask
// several things, each labelled with its entry, when the message's pieces,
// read as matching reads them, ask as many things as it is labelled with
// (in that order). A part is answered from its piece alone, so the model
// learns from pieces as they come: "et c'est à distance ?" after a
// question on interviews. Cross-validation over eleven sets: multi-part
// all right 0.892 → 0.910, an entry not asked 0.020 → 0.018, top3 0.984
// → 0.986.
func (m *Matcher) piecePhrasings() []Phrasing {
	if m.training == nil {
		return nil
	}
	// Each message is cut on every core; the pieces are put together in
	// the messages' order.
	messages := m.training.TwoParts
	pieces := make([][]Phrasing, len(messages))
	forEach(len(messages), func(i int) { pieces[i] = m.pieces(messages[i]) })
	var out []Phrasing
	for _, p := range pieces {
		out = append(out, p...)
	}
	return out
}

// pieces are one multi-part message's pieces, labelled, when it has as
// many as it is labelled with (else none).
func (m *Matcher) pieces(tp TwoPart) []Phrasing {
	if tp.Group == m.heldOut || len(tp.Text) > maxPartsBytes {
		return nil
	}
	segs := segments(tp.Text)
	pr := newPieceReader(segs)
	var asked []string
	for _, s := range segs {
		if len(asked) == maxParts {
			break
		}
		_, statement, skipped := pr.next(m, s)
		switch {
		case skipped != "":
		case statement != "":
			// "Vous en recrutez ?" asks about the job the statement
			// before names: alone it would teach a wrong sense.
			asked = append(asked, "")
		default:
			asked = append(asked, s.text)
		}
	}
	if len(asked) != len(tp.Classes) {
		return nil
	}
	var out []Phrasing
	for i, text := range asked {
		if text != "" {
			out = append(out, Phrasing{Text: text, Class: tp.Classes[i], Group: tp.Group, Labelled: tp.Labelled})
		}
	}
	return out
}

// smallFolds is how many folds faq.yaml's phrasings make when there is no
// training file.
const smallFolds = 5

// minCalibration is how many held-out predictions calibration needs; with
// fewer, the model's own probability decides, at defaults a small FAQ
// (tests, a first draft) can live with.
const minCalibration = 200

var smallDataThresholds = Thresholds{Answer: 0.6, Suggest: 0.3}

// faqGroup names the phrasings written in faq.yaml.
const faqGroup = "faq.yaml"

// readAll reads every phrasing, on every core.
func (m *Matcher) readAll(phrasings []Phrasing) []reading {
	out := make([]reading, len(phrasings))
	forEach(len(phrasings), func(i int) { out[i] = m.read(phrasings[i].Text, true) })
	return out
}

// teacher is a phrasing the model learns its weights from, and how much
// it counts.
type teacher struct {
	phrasing int
	weight   float64
}

// listStride: the model learns from one in listStride of each writer's
// list of phrasings, each counted listStride times. It has few weights and
// the lists many phrasings alike, so a quarter of them teach it as much as
// all (cross-validation over fifteen sets, a half then a quarter: top1,
// wrong and top3 unchanged to 0.001, multi-part all right 0.910 → 0.909)
// at a quarter of the cost of their features. Without them the model is
// worse (top1 0.952, an entry not asked 0.039). The labelled sets are all
// kept: the thresholds are chosen on their held-out predictions. The
// memory and the scope model still learn from every phrasing.
const listStride = 4

// teachers are the phrasings the model learns from: all but a share of
// the writers' lists (see listStride).
func teachers(phrasings []Phrasing) []teacher {
	var out []teacher
	inGroup := map[string]int{}
	for i, p := range phrasings {
		if p.Path == "" || p.Labelled { // faq.yaml's, staff's, a labelled set's, a piece
			out = append(out, teacher{i, 1})
			continue
		}
		inGroup[p.Group]++
		if inGroup[p.Group]%listStride == 0 {
			out = append(out, teacher{i, listStride})
		}
	}
	return out
}

// examples computes the teachers' features as a new question would get
// them: without its own group's phrasings in memory, and without itself in
// the lexical index; and each example's group. The scope model's logit is
// left for setScope: it is learned meanwhile.
func (m *Matcher) examples(phrasings []Phrasing, readings []reading, teach []teacher) ([]example, []int32) {
	out := make([]example, len(teach))
	groups := make([]int32, len(teach))
	lexical := m.lexicalPhrasings()
	var later float64 // the scope logit, set by setScope
	forEachWorker(len(teach), func() func(int) {
		sc := m.memory.scratch()
		return func(k int) {
			i := teach[k].phrasing
			groups[k] = m.memory.docGroup[i]
			lo := leaveOut{group: m.memory.docGroup[i], lexical: lexical[phrasings[i].Text], scope: &later, doc: int32(i)}
			out[k] = example{features: m.features(readings[i], lo, sc), class: m.memory.classOf[phrasings[i].Class],
				weight: teach[k].weight, reading: readings[i]}
		}
	})
	return out, groups
}

// scopeFolds is how many folds the scope model is learned in, so that
// each phrasing's scope logit comes from a model that never saw its group.
const scopeFolds = 3

// learnScope fits the scope model on every phrasing, and returns with it
// each phrasing's held-out logit.
func learnScope(phrasings []Phrasing, readings []reading, groups []int32) (*scopeModel, []float64) {
	xs := make([]hashed, len(phrasings))
	out := make([]bool, len(phrasings))
	anyOut := false
	c := newCounter(scopeDims)
	for i := range phrasings {
		xs[i] = hashFeatures(readings[i].features, c)
		out[i] = phrasings[i].Class == OutOfScope
		anyOut = anyOut || out[i]
	}
	logits := make([]float64, len(phrasings))
	if !anyOut {
		// Nothing to tell the programme's questions from: no scope model.
		return &scopeModel{}, logits
	}
	// A hashed feature fewer than two phrasings have keeps a zero weight
	// (one phrasing's own words teach nothing another can use): the fits
	// run over the others, renumbered, and the weights go back to the
	// hashed space after. Cross-validation over fifteen sets: top1 0.959 →
	// 0.959, multi-part all right 0.909 → 0.910, and fewer weights to fit.
	df := make([]int32, scopeDims)
	for _, x := range xs {
		for _, id := range x.ids {
			df[id]++
		}
	}
	compact := make([]int32, scopeDims) // a feature's new number, plus one
	var used []int32
	cxs := make([]hashed, len(xs))
	for i, x := range xs {
		ids := make([]int32, 0, len(x.ids))
		for _, id := range x.ids {
			if df[id] < 2 {
				continue
			}
			if compact[id] == 0 {
				used = append(used, id)
				compact[id] = int32(len(used))
			}
			ids = append(ids, compact[id]-1)
		}
		cxs[i] = hashed{ids: ids, w: x.w}
	}
	dims := len(used)
	// The model on every phrasing first: each fold's fit starts from its
	// weights, near its own optimum.
	full := fitScope(cxs, out, dims, nil)
	if full == nil {
		return &scopeModel{}, logits
	}
	for k := range scopeFolds {
		var fx []hashed
		var fy []bool
		// The fold starts from the full model's weights, but not from those
		// only its held-out phrasings taught (features it does not have).
		start := make([]float64, dims+1)
		start[dims] = full[dims]
		for i := range cxs {
			if int(groups[i])%scopeFolds != k {
				fx = append(fx, cxs[i])
				fy = append(fy, out[i])
				for _, id := range cxs[i].ids {
					start[id] = full[id]
				}
			}
		}
		w := fitScope(fx, fy, dims, start)
		if w == nil {
			continue // nothing outside the fold: its logits stay 0
		}
		for i, x := range cxs {
			if int(groups[i])%scopeFolds == k {
				logits[i] = linearLogit(w, dims, x)
			}
		}
	}
	weights := make([]float64, scopeDims+1)
	for c, id := range used {
		weights[id] = full[c]
	}
	weights[scopeDims] = full[dims]
	return &scopeModel{weights: weights}, logits
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
// held-out predictions: each group in turn is left out of the model (see
// leaveGroupsOut) and predicted, as a new writer's questions would be.
func train(examples []example, groups []int32, nGroups int, oos int, calibrateOn func(int32) bool) (trained, error) {
	var t trained
	// The groups held out in turn: the labelled sets when there are two or
	// more, else every group.
	var folds []int32
	for g := range int32(nGroups) {
		if calibrateOn(g) {
			folds = append(folds, g)
		}
	}
	if len(folds) < 2 {
		folds = folds[:0]
		for g := range int32(nGroups) {
			folds = append(folds, g)
		}
	}
	full, err := fit(examples, nil)
	if err != nil {
		return t, fmt.Errorf("fit: %w", err)
	}
	t.model = full
	without := leaveGroupsOut(full, examples, groups, folds)
	for k, g := range folds {
		if without[k] == nil {
			// A group too big for one step stands for: refit without it.
			var rest []example
			for i, e := range examples {
				if groups[i] != g {
					rest = append(rest, e)
				}
			}
			md, err := fit(rest, full.weights[:])
			if err != nil {
				continue // nothing left to learn from without it
			}
			without[k] = &md
		}
		for i, e := range examples {
			// The pieces of the group's multi-part messages are among them:
			// a part is answered under the same threshold as a message.
			if groups[i] == g {
				t.crossValidated = append(t.crossValidated, predict(*without[k], e, g, oos))
			}
		}
	}
	held := t.crossValidated
	if len(held) < minCalibration {
		t.thresholds = smallDataThresholds
		return t, nil
	}
	// The calibrator too is judged on groups it was not fitted on; the
	// thresholds are chosen on those judgements.
	var groupsHeld []int32
	for _, p := range held {
		if !slices.Contains(groupsHeld, p.group) {
			groupsHeld = append(groupsHeld, p.group)
		}
	}
	// The calibrator on all, then one without each group, on every core:
	// each starts from the one on all, near its own optimum.
	xs, right := calibrationSet(held, func(int32) bool { return true }, oos)
	all := fitCalibrator(xs, right, nil)
	calibrators := make([]calibrator, len(groupsHeld))
	forEach(len(calibrators), func(k int) {
		xs, right := calibrationSet(held, func(h int32) bool { return h != groupsHeld[k] }, oos)
		calibrators[k] = fitCalibrator(xs, right, &all)
	})
	for k, g := range groupsHeld {
		for i := range held {
			if held[i].group == g {
				held[i].conf = calibrators[k].of(held[i].x)
			}
		}
	}
	t.calibrator = all
	t.calibrated = true
	t.thresholds = chooseThresholds(held, oos)
	t.crossValidated = held
	return t, nil
}

// calibrationSet is the calibrator's inputs and whether the best class was
// right, for the predictions of some groups.
func calibrationSet(preds []prediction, use func(int32) bool, oos int) ([][nCalibration]float64, []bool) {
	var xs [][nCalibration]float64
	var right []bool
	for _, p := range preds {
		if use(p.group) && p.top != oos {
			xs = append(xs, p.x)
			right = append(right, p.top == p.class)
		}
	}
	return xs, right
}

func predict(md model, e example, g int32, oos int) prediction {
	nClasses := oos + 1
	p := md.probabilities(e.features, nClasses)
	order := argsort(p)
	pr := prediction{group: g, class: e.class, top: order[0], p: p[order[0]], x: calibration(p, order, oos, e.features, e.reading)}
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

// The answer threshold is the lowest at which, on held-out questions, an
// answer is right at least Precision of the time (an out-of-scope message
// answered counts as wrong), answers to in-scope questions are wrong at
// most MaxWrong of the time, and out-of-scope messages are answered at
// most MaxOOSFalse of the time.
const (
	Precision   = 0.98
	MaxWrong    = 0.015
	MaxOOSFalse = 0.025
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
	sort.Slice(answerable, func(i, j int) bool { return answerable[i].conf > answerable[j].conf })
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
		if i+1 < len(answerable) && answerable[i+1].conf == p.conf {
			continue
		}
		if float64(wrong) > MaxWrong*float64(in) || float64(oosFalse) > MaxOOSFalse*float64(out) ||
			float64(wrong+oosFalse) > (1-Precision)*float64(i+1) {
			break
		}
		th.Answer = p.conf
	}
	// Missing the right entry costs more than offering choices to a message
	// no entry answers: the choices say the bot is unsure, and staff still see it.
	bestCost := math.Inf(1)
	for _, s := range []float64{0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5} {
		cost := 0.0
		for _, p := range preds {
			if p.top != oos && p.conf >= th.Answer {
				continue
			}
			offered := p.pIn >= s
			switch {
			case p.class == oos && offered:
				cost += 0.5
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
