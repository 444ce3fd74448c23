package answers

import (
	"fmt"
	"strings"
	"time"
)

// Decision is what the bot does with a question.
type Decision string

// The three decisions of the contract.
const (
	Answer   Decision = "answer"   // one entry, confidently
	Suggest  Decision = "suggest"  // 2 to 3 likely entries, the asker picks
	Fallback Decision = "fallback" // nothing fits: say so, point to staff
)

// Result is the matcher's verdict on one question.
type Result struct {
	Decision    Decision
	EntryID     string // the answered entry; "" unless Decision is Answer
	Question    string // the entry's canonical question, or the best guess's
	Score       float64
	Answer      string // the text to post
	FormURL     string
	Suggestions []Suggestion
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

// Matcher answers questions from one FAQ. It is safe for concurrent use.
type Matcher struct {
	faq      *FAQ
	analyser *analyser
	index    *index
	render   *renderer
	now      func() time.Time
	tuning   Tuning
}

// Option configures a Matcher.
type Option func(*Matcher)

// WithClock sets the clock used for time-aware answers (days left).
func WithClock(now func() time.Time) Option { return func(m *Matcher) { m.now = now } }

// WithTuning replaces DefaultTuning.
func WithTuning(t Tuning) Option { return func(m *Matcher) { m.tuning = t } }

// NewMatcher indexes the FAQ.
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
	return m, nil
}

// Load reads faq.yaml and builds its matcher.
func Load(path string, opts ...Option) (*Matcher, error) {
	faq, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	return NewMatcher(faq, opts...)
}

// FAQ returns the knowledge the matcher answers from.
func (m *Matcher) FAQ() *FAQ { return m.faq }

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

// Match reads a question and decides how to answer it.
func (m *Matcher) Match(question string) Result {
	an := m.analyser.analyse(question, true)
	if isSmallTalk(an) {
		return m.smallTalk(dominantSmallTalk(an.smallTalk))
	}
	if len(an.terms) == 0 {
		return m.fallback(0, "")
	}
	return m.decide(m.rank(an))
}

// decide applies the confidence model, the margin rule and the thresholds.
func (m *Matcher) decide(r ranking) Result {
	now := m.now()
	best := r.entries[0]
	second := 0.0
	if len(r.entries) > 1 {
		second = r.entries[1].score
	}
	conf := m.tuning.Confidence.of(r.features())
	t := m.tuning.Thresholds
	switch {
	case conf >= t.Answer && best.score-second >= t.Margin:
		e := best.entry.entry
		return Result{
			Decision: Answer, EntryID: e.ID, Question: e.Question.Value, Score: conf,
			Answer: m.render.render(strings.TrimSpace(e.Answer.Value), now), FormURL: m.faq.FormURL.Value,
			Suggestions: []Suggestion{},
		}
	case best.score >= t.Suggest && !r.offTopic:
		if sugs := m.suggestions(r.entries, now); len(sugs) >= 2 {
			// Torn between entries, the best is right about half the time at most.
			return m.suggest(min(conf, 0.5), sugs)
		}
	}
	return m.fallback(conf, "")
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

// suggestions keeps the 2 or 3 entries worth offering.
func (m *Matcher) suggestions(ranked []scored, now time.Time) []Suggestion {
	floor := ranked[0].score * 0.5
	var out []Suggestion
	for _, s := range ranked {
		if len(out) == 3 || s.score <= 0 || (len(out) >= 2 && s.score < floor) {
			break
		}
		e := s.entry.entry
		out = append(out, Suggestion{EntryID: e.ID, Question: e.Question.Value, Score: s.score,
			Answer: m.render.render(strings.TrimSpace(e.Answer.Value), now)})
	}
	return out
}

func (m *Matcher) suggest(score float64, sugs []Suggestion) Result {
	var b strings.Builder
	b.WriteString(m.render.message("suggest_intro", nil))
	for _, s := range sugs {
		b.WriteString("\n• " + s.Question)
	}
	return Result{Decision: Suggest, Question: sugs[0].Question, Score: score, Answer: b.String(),
		FormURL: m.faq.FormURL.Value, Suggestions: sugs}
}

func (m *Matcher) fallback(score float64, guess string) Result {
	return Result{Decision: Fallback, Question: guess, Score: score, Answer: m.render.message("fallback", nil),
		FormURL: m.faq.FormURL.Value, Suggestions: []Suggestion{}}
}

func (m *Matcher) smallTalk(kind string) Result {
	r := m.fallback(0, "")
	r.SmallTalk = kind
	for _, st := range m.faq.SmallTalk {
		if st.Kind == kind {
			r.Answer = m.render.render(strings.TrimSpace(st.Reply.Value), m.now())
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
func (m *Matcher) Fallback() Result { return m.fallback(0, "") }

// Message renders one of the bot's own sentences (messages in faq.yaml).
func (m *Matcher) Message(name string) string { return m.render.message(name, nil) }

// AnswerFor renders an entry's answer now, for a suggestion picked later.
func (m *Matcher) AnswerFor(id string) (Result, bool) {
	e, ok := m.faq.Entry(id)
	if !ok {
		return Result{}, false
	}
	return Result{Decision: Answer, EntryID: e.ID, Question: e.Question.Value, Score: 1,
		Answer: m.render.render(strings.TrimSpace(e.Answer.Value), m.now()), FormURL: m.faq.FormURL.Value,
		Suggestions: []Suggestion{}}, true
}
