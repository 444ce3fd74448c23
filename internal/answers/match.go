package answers

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Decision is what the bot does with a question.
type Decision string

// The three decisions of the contract.
const (
	Answer   Decision = "answer"   // one entry (or one per part), confidently
	Suggest  Decision = "suggest"  // 2 to 3 likely entries, the asker picks
	Fallback Decision = "fallback" // nothing fits: say so, point to staff
)

// Result is the matcher's verdict on one question, rendered.
type Result struct {
	Decision    Decision
	EntryID     string // the answered entry (the first part's); "" unless Decision is Answer
	Question    string // the entry's canonical question, or the best guess's (a one-word message's fallback names it)
	Score       float64
	Answer      string // the text to post
	FormURL     string
	Suggestions []Suggestion
	// Parts lists each entry answered when the message asked several things.
	Parts []Part
	// Lang is the language of Answer.
	Lang Lang
	// Source is a discreet line naming the passages the answer rests on.
	Source string
	// Link is the button the reply carries: apply while the call is open,
	// else the announcement.
	Link Link
	// SmallTalk names the kind of small talk (greeting, thanks...) when the
	// message is not a question; Answer then holds the friendly reply.
	SmallTalk string
}

// Suggestion is one of the choices offered when the bot is torn.
type Suggestion struct {
	EntryID  string
	Question string
	Score    float64
	Answer   string
}

// Part is one entry answered in a message that asked several things.
type Part struct {
	EntryID  string
	Question string
	Score    float64
}

// Matcher answers questions from one FAQ. It is safe for concurrent use.
type Matcher struct {
	faq      *FAQ
	analyser *analyser
	index    *index
	render   *renderer
	memory   *memory
	scope    *scopeModel
	trained  trained
	now      func() time.Time
	tuning   Tuning
	training *Training
	// outOfScope are messages staff marked off topic (WithOutOfScope).
	outOfScope []string
	// heldOut names a training group left out of the model, to measure it.
	heldOut string
	// usedWords are the words the training phrasings use, which the
	// speller leaves alone (see usedWords); learned, then cached.
	usedWords []string
	cacheDir  string
	// indexOnly skips learning: for check, which reads the index only.
	indexOnly bool
}

// Option configures a Matcher.
type Option func(*Matcher)

// WithClock sets the clock used for time-aware answers (days left, the call's state).
func WithClock(now func() time.Time) Option { return func(m *Matcher) { m.now = now } }

// WithTuning replaces DefaultTuning, the lexical score's settings.
func WithTuning(t Tuning) Option { return func(m *Matcher) { m.tuning = t } }

// WithTraining adds the phrasings of the training files to faq.yaml's.
func WithTraining(t *Training) Option { return func(m *Matcher) { m.training = t } }

// WithoutGroup leaves one training file (named without .yaml) out, so that
// it can be measured as questions the model has never seen.
func WithoutGroup(name string) Option { return func(m *Matcher) { m.heldOut = name } }

// NewMatcher indexes the FAQ and learns the model from its phrasings and
// the training files (WithTraining, else the folder faq.yaml names).
func NewMatcher(faq *FAQ, opts ...Option) (*Matcher, error) {
	r, err := newRenderer(faq)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", faq.Path, err)
	}
	m := &Matcher{faq: faq, analyser: newAnalyser(faq), render: r, now: time.Now, tuning: DefaultTuning}
	for _, o := range opts {
		o(m)
	}
	counts := map[string]int{}
	m.analyser.seen = func(w string) { counts[w]++ }
	m.index = buildIndex(faq, m.analyser, r, m.tuning.Unknown)
	m.analyser.seen = nil
	m.analyser.typos = newSpeller(m.vocabulary(counts))
	if m.indexOnly || m.loadCached() {
		return m, nil
	}
	if m.training == nil && faq.TrainingDir != "" {
		t, err := LoadTraining(faq.TrainingDir)
		if err != nil {
			return nil, err
		}
		m.training = t
	}
	if err := m.learn(); err != nil {
		return nil, fmt.Errorf("%s: learn: %w", faq.Path, err)
	}
	m.storeCached()
	return m, nil
}

// learn builds the memory of phrasings and fits the model on them.
func (m *Matcher) learn() error {
	var extra []Phrasing
	if m.training != nil {
		for _, p := range m.training.Phrasings {
			if p.Group != m.heldOut {
				extra = append(extra, p)
			}
		}
	}
	extra = append(extra, m.outOfScopePhrasings()...)
	m.usedWords = usedWords(extra)
	m.analyser.typos.know(m.usedWords)
	extra = append(extra, m.piecePhrasings()...)
	phrasings, classes := trainingSet(m.faq, extra)
	readings := m.readAll(phrasings)
	// The scope model learns from the readings alone, while the memory is
	// built and the examples' features computed: its fits fill the cores the
	// others leave idle. Its held-out logits join the examples after.
	groupNames, docGroup := numberGroups(phrasings)
	var scope *scopeModel
	var scopes []float64
	var wg sync.WaitGroup
	wg.Go(func() { scope, scopes = learnScope(phrasings, readings, docGroup) })
	m.memory = newMemory(classes, phrasings, readings, groupNames, docGroup)
	teach := teachers(phrasings)
	examples, groups := m.examples(phrasings, readings, teach)
	wg.Wait()
	m.scope = scope
	for k, t := range teach {
		examples[k].features.setScope(scopes[t.phrasing], m.oos())
	}
	// Thresholds are chosen on the labelled sets (questions written as
	// candidates ask them, with their share of out-of-scope messages), not on
	// the writers' lists of phrasings; the pieces of their multi-part messages
	// count too, as a part is answered under the same threshold.
	labelled := map[string]bool{}
	if m.training != nil {
		for _, p := range m.training.Phrasings {
			labelled[p.Group] = labelled[p.Group] || p.Labelled
		}
	}
	calibrateOn := func(g int32) bool { return labelled[m.memory.groups[g]] }
	t, err := train(examples, groups, len(m.memory.groups), m.oos(), calibrateOn)
	if err != nil {
		return err
	}
	m.trained = t
	return nil
}

// Load reads faq.yaml and the training folder beside it, and builds the matcher.
func Load(path string, opts ...Option) (*Matcher, error) {
	faq, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	return NewMatcher(faq, opts...)
}

// At returns a matcher that answers as of the given clock, sharing what
// this one learned: the same knowledge on another day.
func (m *Matcher) At(now func() time.Time) *Matcher {
	c := *m
	c.now = now
	return &c
}

// FAQ returns the knowledge the matcher answers from.
func (m *Matcher) FAQ() *FAQ { return m.faq }

// Thresholds returns the learned decision thresholds.
func (m *Matcher) Thresholds() Thresholds { return m.trained.thresholds }

// vocabulary completes the counts of the words the entries use (gathered
// while indexing them) with the other words of faq.yaml, and lists every
// known word and stem.
func (m *Matcher) vocabulary(counts map[string]int) (map[string]int, map[string]bool) {
	add := func(text string) {
		for _, w := range words(text) {
			counts[w]++
		}
	}
	for _, g := range m.faq.Synonyms {
		for _, t := range g.Terms {
			add(t)
		}
	}
	for _, st := range m.faq.SmallTalk {
		for _, w := range st.Words {
			add(w)
		}
	}
	for _, g := range m.faq.OffTopic {
		for _, t := range g.Terms {
			add(t)
		}
	}
	known := map[string]bool{}
	for w := range counts {
		known[w] = true
		known[stem(w)] = true
	}
	for _, ab := range m.faq.Abbreviations {
		known[Normalise(ab.From)] = true
	}
	for w := range stopwords {
		known[w] = true
	}
	return counts, known
}

// Match reads a question and decides how to answer it:
// normalise -> features -> model -> decide -> render.
func (m *Matcher) Match(question string) Result {
	r := m.read(question, true)
	if isSmallTalk(r.analysis) {
		return m.smallTalk(dominantSmallTalk(r.analysis.smallTalk), r.lang)
	}
	if r.content == 0 {
		return m.fallback(0, r.lang)
	}
	return m.result(m.decide(m.classify(r), question), r.lang, m.now())
}

// result renders a plan in the asker's language as of now.
func (m *Matcher) result(p plan, lang Lang, now time.Time) Result {
	switch p.decision {
	case Answer:
		if len(p.entries) == 1 && p.unanswered == "" {
			res := m.answerFor(&m.faq.Entries[p.entries[0]], lang, now)
			res.Score = p.score
			return res
		}
		return m.partsResult(p, lang, now)
	case Suggest:
		return m.suggest(p, lang, now)
	}
	res := m.fallback(p.score, lang)
	if p.example != nil && !m.faq.Messages["fallback_one_word"].Empty() {
		res.Question = p.example.question(lang)
		res.Answer = m.render.message("fallback_one_word", now, lang, map[string]string{"question": res.Question})
	}
	return res
}

func (m *Matcher) answerFor(e *Entry, lang Lang, now time.Time) Result {
	text, used := m.render.answer(e, now, lang)
	return Result{Decision: Answer, EntryID: e.ID, Question: e.question(lang), Score: 1, Answer: text,
		FormURL: m.faq.FormURL.Value, Suggestions: []Suggestion{}, Lang: used,
		Source: m.render.sourceLine(e, now, lang), Link: m.render.link(now, lang)}
}

// partsResult answers each part under its question, and names the part
// no entry answers.
func (m *Matcher) partsResult(p plan, lang Lang, now time.Time) Result {
	var b strings.Builder
	res := Result{Decision: Answer, Score: p.score, FormURL: m.faq.FormURL.Value, Suggestions: []Suggestion{},
		Lang: lang, Link: m.render.link(now, lang)}
	var sources []string
	for i, c := range p.entries {
		e := &m.faq.Entries[c]
		text, used := m.render.answer(e, now, lang)
		if used != lang {
			res.Lang = used
		}
		if i > 0 {
			b.WriteString("\n\n")
		}
		if len(p.entries) > 1 || p.unanswered != "" {
			b.WriteString("*" + e.question(lang) + "*\n")
		}
		b.WriteString(text)
		res.Parts = append(res.Parts, Part{EntryID: e.ID, Question: e.question(lang), Score: p.scores[i]})
		if line := m.render.sourceLine(e, now, lang); line != "" && !contains(sources, line) {
			sources = append(sources, line)
		}
	}
	if p.unanswered != "" {
		b.WriteString("\n\n" + m.render.message("part_not_understood", now, lang, map[string]string{"part": p.unanswered}))
	}
	res.EntryID, res.Question = res.Parts[0].EntryID, res.Parts[0].Question
	if len(res.Parts) == 1 {
		res.Parts = nil
	}
	res.Answer = b.String()
	res.Source = strings.Join(sources, "\n")
	return res
}

func (m *Matcher) suggest(p plan, lang Lang, now time.Time) Result {
	var b strings.Builder
	b.WriteString(m.render.message("suggest_intro", now, lang, nil))
	var sugs []Suggestion
	for i, c := range p.entries {
		e := &m.faq.Entries[c]
		text, _ := m.render.answer(e, now, lang)
		sugs = append(sugs, Suggestion{EntryID: e.ID, Question: e.question(lang), Score: p.scores[i], Answer: text})
		b.WriteString("\n• " + e.question(lang))
	}
	if len(sugs) == 1 {
		// One choice is no choice: the bot is not sure, so it says so.
		return m.fallback(p.score, lang)
	}
	return Result{Decision: Suggest, Question: sugs[0].Question, Score: p.score, Answer: b.String(),
		FormURL: m.faq.FormURL.Value, Suggestions: sugs, Lang: lang, Link: m.render.link(now, lang)}
}

func (m *Matcher) fallback(score float64, lang Lang) Result {
	now := m.now()
	return Result{Decision: Fallback, Score: score, Answer: m.render.message("fallback", now, lang, nil),
		FormURL: m.faq.FormURL.Value, Suggestions: []Suggestion{}, Lang: lang, Link: m.render.link(now, lang)}
}

func (m *Matcher) smallTalk(kind string, lang Lang) Result {
	r := m.fallback(0, lang)
	r.SmallTalk = kind
	now := m.now()
	for _, st := range m.faq.SmallTalk {
		if st.Kind != kind {
			continue
		}
		r.Answer = m.render.text(st.Reply, now, French, nil)
		if lang == English && !st.ReplyEN.Empty() {
			r.Answer = m.render.text(st.ReplyEN, now, English, nil)
		} else {
			r.Lang = French
		}
	}
	return r
}

// isSmallTalk: only small-talk words, or thanks and goodbyes around one
// topic word without a question ("merci pour ta réponse", "ok merci je
// postule"), which acknowledge an answer rather than ask.
func isSmallTalk(an analysis) bool {
	if len(an.smallTalk) == 0 {
		return false
	}
	if len(an.terms) == 0 {
		return true
	}
	polite := false
	for kind := range an.smallTalk {
		polite = polite || kind != "greeting"
	}
	return polite && !an.asks && len(unique(an.terms)) <= 1
}

// dominantSmallTalk picks the kind that says most; a greeting only wins
// alone, since "bonjour, merci !" is thanks.
func dominantSmallTalk(kinds map[string]int) string {
	best, bestN := "", -1
	for k, n := range kinds {
		if k == "greeting" {
			n = 0
		}
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return best
}

// Fallback returns the fallback result, as posted when nothing fits.
func (m *Matcher) Fallback() Result { return m.fallback(0, French) }

// Message renders one of the bot's own sentences (messages in faq.yaml) in French.
func (m *Matcher) Message(name string) string { return m.render.message(name, m.now(), French, nil) }

// MessageIn renders one of the bot's own sentences in a language, with
// extra values (a question's text) beside the facts; "" when faq.yaml has
// no such message.
func (m *Matcher) MessageIn(name string, lang Lang, extra map[string]string) string {
	return m.render.message(name, m.now(), lang, extra)
}

// Link is the button of a reply posted now: apply while the call is open,
// else the announcement.
func (m *Matcher) Link(lang Lang) Link { return m.render.link(m.now(), lang) }

// AnswerFor renders an entry's answer now, for a suggestion picked later.
func (m *Matcher) AnswerFor(id string) (Result, bool) { return m.AnswerIn(id, French) }

// AnswerIn renders an entry's answer now in a language.
func (m *Matcher) AnswerIn(id string, lang Lang) (Result, bool) {
	e, ok := m.faq.Entry(id)
	if !ok {
		return Result{}, false
	}
	return m.answerFor(e, lang, m.now()), true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func clamp01(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}
