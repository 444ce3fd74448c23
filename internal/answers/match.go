package answers

import (
	"fmt"
	"sort"
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
	faq        *FAQ
	analyser   *analyser
	index      *index
	render     *renderer
	now        func() time.Time
	tuning     Tuning
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
	m.index = buildIndex(faq, m.analyser, r, m.tuning.Unknown)
	m.analyser.typos = newSpeller(m.vocabulary())
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

// vocabulary lists the words of the FAQ (with counts) and every known word and stem.
func (m *Matcher) vocabulary() (map[string]int, map[string]bool) {
	counts := map[string]int{}
	add := func(text string) {
		for _, w := range words(text) {
			counts[w]++
		}
	}
	for _, e := range m.faq.Entries {
		add(e.Question.Value)
		for _, alt := range e.Alternates {
			add(alt.Value)
		}
		add(m.render.render(e.Answer.Value, time.Time{}))
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

type scored struct {
	entry *indexedEntry
	score float64
}

// Match reads a question and decides how to answer it.
func (m *Matcher) Match(question string) Result {
	an := m.analyser.analyse(question, true)
	if len(an.terms) == 0 {
		if kind := dominantSmallTalk(an.smallTalk); kind != "" {
			return m.smallTalk(kind)
		}
		return m.fallback(0, "")
	}
	return m.decide(m.rank(an))
}

// decide applies the thresholds and the margin rule to a ranking.
func (m *Matcher) decide(ranked []scored) Result {
	if len(ranked) == 0 {
		return m.fallback(0, "")
	}
	now := m.now()
	best := ranked[0]
	second := 0.0
	if len(ranked) > 1 {
		second = ranked[1].score
	}
	t := m.tuning.Thresholds
	switch {
	case best.score >= t.Answer && best.score-second >= t.Margin:
		e := best.entry.entry
		return Result{
			Decision: Answer, EntryID: e.ID, Question: e.Question.Value, Score: best.score,
			Answer: m.render.render(strings.TrimSpace(e.Answer.Value), now), FormURL: m.faq.FormURL.Value,
			Suggestions: []Suggestion{},
		}
	case best.score >= t.Suggest:
		if sugs := m.suggestions(ranked, now); len(sugs) >= 2 {
			return m.suggest(best.score, sugs)
		}
	}
	return m.fallback(best.score, best.entry.entry.Question.Value)
}

// rank scores every entry, best first.
func (m *Matcher) rank(an analysis) []scored {
	q := m.index.query(an, m.tuning.Context)
	out := make([]scored, len(m.index.entries))
	for i := range m.index.entries {
		e := &m.index.entries[i]
		out[i] = scored{e, m.score(q, e)}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// score in [0,1]: how well the entry's best phrasing and the entry as a
// whole explain the question's terms, weighted by how specific they are.
func (m *Matcher) score(q termSet, e *indexedEntry) float64 {
	if q.norm == 0 {
		return 0
	}
	var best float64
	for _, p := range e.phrasings {
		var shared, sharedQ float64
		for i, t := range q.terms {
			if contains(p.terms, t) {
				shared += m.index.weight(t)
				sharedQ += q.weights[i]
			}
		}
		if shared == 0 || p.norm == 0 {
			continue
		}
		recall := shared / p.norm     // how much of the phrasing the question says
		precision := sharedQ / q.norm // how much of the question the phrasing explains
		if f := 2 * precision * recall / (precision + recall); f > best {
			best = f
		}
	}
	var covered float64
	for i, t := range q.terms {
		switch {
		case e.asked[t]:
			covered += q.weights[i]
		case e.answered[t]:
			covered += m.tuning.AnswerField * q.weights[i]
		}
	}
	mix := m.tuning.Phrasing
	return clamp01(mix*best + (1-mix)*covered/q.norm)
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
