package answers

import (
	"slices"
	"sort"
	"strings"
)

// analyser turns text into the terms the index compares: words are
// normalised, chat spellings expanded, typos corrected (questions only),
// synonyms read as their group's first term, filler dropped, the rest stemmed.
type analyser struct {
	abbreviations map[string][]string
	// phrases maps stem sequences ("date limit") to terms; an empty term
	// marks filler or small talk, dropped from questions.
	phrases map[string][]phraseRule // by the phrase's first stem, longest first
	// qualifiers are the terms that narrow rather than ask.
	qualifiers map[string]bool
	typos      *speller // nil until the lexicon is known
	// seen, while the index is built, is told every word read.
	seen func(word string)
}

type phrase struct {
	term      string // canonical term, or "" for filler
	smallTalk string // kind of small talk, when filler
}

// phraseRule is a phrase's stems and what they are read as.
type phraseRule struct {
	stems []string
	phrase
}

func newAnalyser(faq *FAQ) *analyser {
	a := &analyser{abbreviations: map[string][]string{}, phrases: map[string][]phraseRule{}}
	for _, ab := range faq.Abbreviations {
		a.abbreviations[Normalise(ab.From)] = words(ab.To)
	}
	for _, f := range fillerPhrases {
		a.addPhrase(f, phrase{})
	}
	// Small talk first, so that a synonym sharing a word wins.
	for _, st := range faq.SmallTalk {
		for _, w := range st.Words {
			a.addPhrase(w, phrase{smallTalk: st.Kind})
		}
	}
	for _, g := range faq.Synonyms {
		if len(g.Terms) == 0 {
			continue
		}
		term := canonicalTerm(g.Terms[0])
		for _, t := range g.Terms {
			a.addPhrase(t, phrase{term: term})
		}
	}
	// Off-topic subjects last: their words win over a synonym's.
	for _, g := range faq.OffTopic {
		if len(g.Terms) > 0 {
			term := offTopicPrefix + canonicalTerm(g.Terms[0])
			for _, t := range g.Terms {
				a.addPhrase(t, phrase{term: term})
			}
		}
	}
	// After the synonyms: a qualifier is read as its group's term.
	a.qualifiers = map[string]bool{}
	for _, q := range faq.Qualifiers {
		a.qualifiers[a.term(q.Value)] = true
	}
	return a
}

// canonicalTerm names a synonym group: its first term, normalised, with
// underscores between words so that it is one token never stemmed again.
func canonicalTerm(s string) string {
	return strings.Join(words(s), "_")
}

func (a *analyser) addPhrase(text string, p phrase) {
	ws := a.expand(words(text))
	// A lone stopword ("a" of "a+") would swallow that word everywhere.
	if len(ws) == 0 || (len(ws) == 1 && stopwords[ws[0]]) {
		return
	}
	stems := make([]string, len(ws))
	for i, w := range ws {
		stems[i] = stem(w)
	}
	rules := a.phrases[stems[0]]
	for i, r := range rules {
		if slices.Equal(r.stems, stems) { // a later definition wins
			rules[i].phrase = p
			return
		}
	}
	rules = append(rules, phraseRule{stems, p})
	sort.SliceStable(rules, func(i, j int) bool { return len(rules[i].stems) > len(rules[j].stems) })
	a.phrases[stems[0]] = rules
}

func stemKey(ws []string) string {
	st := make([]string, len(ws))
	for i, w := range ws {
		st[i] = stem(w)
	}
	return strings.Join(st, " ")
}

// expand replaces chat spellings by the words they stand for.
func (a *analyser) expand(ws []string) []string {
	var out []string
	for i, w := range ws {
		if exp, ok := a.abbreviations[w]; ok {
			if out == nil {
				out = append(make([]string, 0, len(ws)+4), ws[:i]...)
			}
			out = append(out, exp...)
			continue
		}
		if out != nil {
			out = append(out, w)
		}
	}
	if out == nil {
		return ws
	}
	return out
}

// analysis is what the analyser read in a text.
type analysis struct {
	terms []string // topic terms, in order, with repeats
	kinds []termKind
	// smallTalk counts the words of each small-talk kind seen.
	smallTalk map[string]int
	asks      bool // a sentence ends with a question mark
}

// termKind says how sure the analyser is that a term is what was meant.
type termKind uint8

const (
	// inContext marks a term from a sentence around the question ("Je suis
	// dev à Lyon.") rather than the question itself.
	inContext termKind = 1 << iota
	// corrected marks a term reached by typo correction: a guess.
	corrected
	// qualifier marks a term that usually narrows a question rather than
	// makes it: "salaire" asks, "chargé de déploiement" narrows.
	qualifier
	// offTopic marks a subject the FAQ says nothing about (faq.yaml's off_topic).
	offTopic
)

// analyse reads a text; correct turns on typo correction (for questions).
func (a *analyser) analyse(text string, correct bool) analysis {
	var res analysis
	parts := sentences(prepare(text))
	marked := false
	for _, s := range parts {
		marked = marked || s.question
	}
	if !marked {
		// No question mark: the sentences with a question word ask.
		for i := range parts {
			parts[i].question = hasQuestionCue(tokenize(parts[i].text))
		}
	}
	for _, s := range parts {
		res.asks = res.asks || s.question
	}
	for _, s := range parts {
		var kind termKind
		if res.asks && !s.question {
			kind = inContext
		}
		a.analyseWords(a.expand(tokenize(s.text)), correct, kind, &res)
	}
	a.markQualifiers(&res)
	return res
}

// markQualifiers flags the qualifier terms; the index decides whether
// another topic makes them weigh less.
func (a *analyser) markQualifiers(res *analysis) {
	for i, t := range res.terms {
		if a.qualifiers[t] {
			res.kinds[i] |= qualifier
		}
		if strings.HasPrefix(t, offTopicPrefix) {
			res.kinds[i] |= offTopic
		}
	}
}

// offTopicPrefix marks the terms of off-topic subjects, which no entry has.
const offTopicPrefix = "offtopic:"

// term is how the analyser reads a word or phrase on its own: a synonym
// group's term, or its stem.
func (a *analyser) term(text string) string {
	ws := a.expand(words(text))
	if len(ws) == 0 {
		return ""
	}
	stems := make([]string, len(ws))
	for i, w := range ws {
		stems[i] = stem(w)
	}
	if n, p, ok := a.longestPhrase(stems); ok && n == len(stems) && p.term != "" {
		return p.term
	}
	return strings.Join(stems, " ")
}

// maxCorrections is how many distinct words of one message the speller tries.
const maxCorrections = 12

func (a *analyser) analyseWords(ws []string, correct bool, kind termKind, res *analysis) {
	if a.seen != nil {
		for _, w := range ws {
			a.seen(w)
		}
	}
	guessed := make([]bool, len(ws))
	if correct && a.typos != nil {
		// Each distinct word is looked up once, and a message of unknown
		// words (a paste, another language) stops being corrected after
		// maxCorrections of them: guesses that many are noise anyway.
		seen := map[string]string{}
		for i, w := range ws {
			c, done := seen[w]
			if !done {
				if len(seen) == maxCorrections {
					break
				}
				c, _ = a.typos.correct(w)
				seen[w] = c
			}
			if c != "" {
				ws[i], guessed[i] = c, true
			}
		}
	}
	stems := make([]string, len(ws))
	for i, w := range ws {
		stems[i] = stem(w)
	}
	for i := 0; i < len(ws); {
		n, p, ok := a.longestPhrase(stems[i:])
		switch {
		case ok && p.term != "":
			res.add(p.term, kind, guessed[i:i+n])
		case ok && p.smallTalk != "":
			if res.smallTalk == nil {
				res.smallTalk = map[string]int{}
			}
			res.smallTalk[p.smallTalk] += n
		case ok:
			// A filler phrase: nothing to keep.
		default:
			n = 1
			if !isFiller(ws[i]) && !isNumber(ws[i]) {
				res.add(stems[i], kind, guessed[i:i+1])
			}
		}
		i += n
	}
}

func (res *analysis) add(term string, kind termKind, guessed []bool) {
	for _, g := range guessed {
		if g {
			kind |= corrected
		}
	}
	res.terms = append(res.terms, term)
	res.kinds = append(res.kinds, kind)
}

func (a *analyser) longestPhrase(stems []string) (int, phrase, bool) {
	for _, r := range a.phrases[stems[0]] {
		if len(r.stems) <= len(stems) && slices.Equal(r.stems, stems[:len(r.stems)]) {
			return len(r.stems), r.phrase, true
		}
	}
	return 0, phrase{}, false
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}
