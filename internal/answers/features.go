package answers

import (
	"strings"
)

// reading is a question as the later stages see it: its words, terms and
// n-grams, its language, and whether it asks anything.
type reading struct {
	text string
	// normalised is the text as Normalise writes it: the key of exact phrasings.
	normalised string
	lang       Lang
	analysis   analysis
	features   phrasingFeatures
	content    int // distinct topic terms
	// single is a message of one word (politeness aside): "salaire ?" names
	// a subject but asks nothing the bot can be sure of.
	single bool
}

// read normalises a text and extracts everything the model scores.
func (m *Matcher) read(text string, correct bool) reading {
	if len(text) > maxReadText {
		text = askingText(text, maxReadText)
	}
	plain := words(text)
	ws := m.analyser.expand(plain)
	an := m.analyser.analyse(text, correct)
	r := reading{text: text, normalised: strings.Join(plain, " "), lang: detectLang(plain), analysis: an, content: len(unique(an.terms))}
	r.single = oneWord(ws)
	r.features = phrasingFeatures{chars: charGrams(ws), terms: an.terms, words: termPairs(an.terms), raw: termPairs(ws)}
	return r
}

// maxReadText bounds what is read of a long message: the sentences that
// ask, up to this many bytes. The story around a question adds cost, and
// noise, more than sense.
const maxReadText = 300

// oneWord reports whether words, expanded, say one thing at most,
// politeness aside: "salaire ?", "merci, le salaire".
func oneWord(expanded []string) bool {
	n := 0
	for _, w := range expanded {
		if !politeness[w] {
			n++
		}
	}
	return n <= 1
}

// askingText keeps the sentences that ask, in order, up to max bytes; a
// message where none asks keeps its start.
func askingText(text string, max int) string {
	var b strings.Builder
	for _, s := range sentences(prepare(text)) {
		if s.question || hasQuestionCue(tokenize(s.text)) {
			if b.Len()+len(s.text) > max {
				break
			}
			b.WriteString(s.text)
			b.WriteString(". ")
		}
	}
	if b.Len() == 0 {
		return truncate(text, max)
	}
	return b.String()
}

// charGrams are the 3- to 5-letter pieces of the words, across word
// boundaries: they survive typos, missing accents and inflections.
func charGrams(ws []string) []gram {
	s := " " + strings.Join(ws, " ") + " "
	out := make([]gram, 0, 3*len(s))
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(s); i++ {
			out = append(out, packGram(s[i:i+n]))
		}
	}
	return out
}

// gram is a character n-gram of up to 8 bytes packed in an integer, its
// bytes in order: no text has a zero byte, so n-grams of different lengths
// never meet. An integer key costs the spaces' maps less than a string,
// and the garbage collector nothing to scan.
type gram uint64

func packGram(s string) gram {
	var g gram
	for i := 0; i < len(s); i++ {
		g = g<<8 | gram(s[i])
	}
	return g
}

// termPairs are the terms and each pair of neighbouring terms.
func termPairs(terms []string) []string {
	out := append([]string(nil), terms...)
	for i := 0; i+1 < len(terms); i++ {
		out = append(out, terms[i]+"+"+terms[i+1])
	}
	return out
}

// The features of one (question, class) pair, the model's input. Every
// class gets the same features, so that one weight vector scores them all.
const (
	fCharBest = iota // cosine with the class's nearest phrasing, characters
	fCharTop3        // mean cosine with its three nearest, characters
	fCharLead        // lead of fCharBest over the best other class
	fWordBest        // the same with words
	fWordTop3
	fWordLead
	fBayes      // naive Bayes posterior
	fCover      // share of the question's terms the class's phrasings use
	fLexical    // the hand-built lexical score (entries only)
	fLexLead    // its lead over the best other entry
	fTopChar    // the class is the nearest by characters
	fTopWord    // ... by words
	fTopBayes   // ... by naive Bayes
	fTopLex     // ... by the lexical score
	fOutBias    // the out-of-scope class: always 1
	fOutShort   // ... the question has at most one topic term
	fOutKnown   // ... share of the question the FAQ's words explain
	fOutOff     // ... the question names an off-topic subject
	fOutNoAsk   // ... the question asks nothing
	fOutWords   // ... its words read like messages no entry answers
	fOutChars   // ... and so do its characters
	fOutUnseen  // ... share of its terms no in-scope phrasing uses
	fOutFitChar // ... how near the nearest in-scope phrasing is, characters
	fOutFitLex  // ... the best entry's lexical score
	fOutScope   // ... the scope model's logit that no entry answers it
	nFeatures
)

// featureNames, for --explain and the README.
var featureNames = [nFeatures]string{"char_best", "char_top3", "char_lead", "word_best", "word_top3", "word_lead",
	"bayes", "cover", "lexical", "lexical_lead", "top_char", "top_word", "top_bayes", "top_lexical",
	"oos_bias", "oos_short", "oos_known", "oos_offtopic", "oos_no_ask", "oos_words", "oos_chars", "oos_unseen", "oos_fit_char", "oos_fit_lexical", "oos_scope"}

// pairFeatures is one row of features per candidate class: the few
// classes any of the scores ranks high, and the out-of-scope class. The
// others are taken as improbable, which keeps learning and matching fast.
type pairFeatures struct {
	classes []int
	rows    [][nFeatures]float64
}

// candidatesPerScore is how many classes each score puts forward.
const candidatesPerScore = 4

// leaveOut says which of the memory's phrasings a training question must
// not see: its own group, and its own phrasing in the lexical index.
type leaveOut struct {
	group   int32 // -1: none
	lexical *termSet
	// scope, when set, is the scope model's logit from a model that did not
	// learn from this question's group.
	scope *float64
	// doc is the question's own place among the memory's phrasings (-1: a
	// new question): its vectors are there already.
	doc int32
}

var keepAll = leaveOut{group: -1, doc: -1}

// features scores every class for one reading.
func (m *Matcher) features(r reading, out leaveOut, sc *scratch) pairFeatures {
	mem := m.memory
	k := len(mem.classes)
	var qChars, qWords sparse
	if out.doc >= 0 {
		qChars, qWords = mem.chars.docs[out.doc], mem.words.docs[out.doc]
	} else {
		qChars, qWords = mem.chars.vector(r.features.chars, sc.chars), mem.words.vector(r.features.words, sc.words)
	}
	chars := mem.near(&mem.chars.vectors, qChars, out.group, sc)
	wordsN := mem.near(&mem.words.vectors, qWords, out.group, sc)
	post := mem.bayes.posterior(r.features.terms, out.group)
	cover := mem.bayes.cover(r.features.terms, out.group)
	q := m.index.query(r.analysis, m.tuning)
	lex := append(m.lexical(q, out.lexical, &sc.lexical), 0) // the out-of-scope class last
	known := 0.0
	if q.norm > 0 {
		for i, t := range q.terms {
			if _, ok := m.index.idf[t]; ok {
				known += q.weights[i]
			}
		}
		known /= q.norm
	}
	offSubject := false
	for _, kind := range r.analysis.kinds {
		offSubject = offSubject || kind&offTopic != 0
	}
	charBest, wordBest := toFloat64(chars.best), toFloat64(wordsN.best)
	charLead, wordLead, lexLead := leads(charBest), leads(wordBest), leads(lex[:k-1])
	topChar, topWord, topBayes, topLex := argmax(charBest), argmax(wordBest), argmax(post), argmax(lex[:k-1])
	var f pairFeatures
	inSet := make([]bool, k)
	for _, score := range [][]float64{charBest, wordBest, post, lex[:k-1]} {
		markTop(score, candidatesPerScore, inSet)
	}
	inSet[k-1] = true
	for c := range k {
		if inSet[c] {
			f.classes = append(f.classes, c)
		}
	}
	f.rows = make([][nFeatures]float64, len(f.classes))
	for i, c := range f.classes {
		row := &f.rows[i]
		row[fCharBest], row[fCharTop3], row[fCharLead] = charBest[c], float64(chars.top3[c]), charLead[c]
		row[fWordBest], row[fWordTop3], row[fWordLead] = wordBest[c], float64(wordsN.top3[c]), wordLead[c]
		row[fBayes] = post[c]
		row[fCover] = cover[c]
		row[fTopChar], row[fTopWord], row[fTopBayes] = b2f(c == topChar), b2f(c == topWord), b2f(c == topBayes)
		if c < k-1 {
			row[fLexical], row[fLexLead], row[fTopLex] = lex[c], lexLead[c], b2f(c == topLex && lex[c] > 0)
			continue
		}
		row[fOutBias] = 1
		row[fOutShort] = b2f(r.content <= 1)
		row[fOutKnown] = known
		row[fOutOff] = b2f(offSubject)
		row[fOutNoAsk] = b2f(!r.analysis.asks)
		row[fOutWords] = mem.wordScope.score(qWords.ids, out.group)
		row[fOutChars] = mem.charScope.score(qChars.ids, out.group)
		row[fOutUnseen] = mem.wordScope.unseen(mem.words.lookup(r.features.terms), out.group)
		row[fOutFitChar] = charBest[topIn(charBest)]
		row[fOutFitLex] = lex[topLex]
		if out.scope != nil {
			row[fOutScope] = *out.scope
		} else {
			row[fOutScope] = m.scope.logit(hashFeatures(r.features, sc.scope))
		}
	}
	return f
}

// setScope sets the scope model's logit on the out-of-scope class's row.
func (f *pairFeatures) setScope(logit float64, oos int) {
	for i, c := range f.classes {
		if c == oos {
			f.rows[i][fOutScope] = logit
		}
	}
}

// markTop marks in set the n highest of x, a tie going to the lower index
// (the first n of a stable sort, without sorting the rest).
func markTop(x []float64, n int, set []bool) {
	taken := make([]bool, len(x))
	for range min(n, len(x)) {
		best := -1
		for i, v := range x {
			if !taken[i] && (best < 0 || v > x[best]) {
				best = i
			}
		}
		taken[best] = true
		set[best] = true
	}
}

// leads is each value's lead over the best of the others.
func leads(x []float64) []float64 {
	out := make([]float64, len(x)+1)
	best, second := -1.0, -1.0
	for _, v := range x {
		switch {
		case v > best:
			best, second = v, best
		case v > second:
			second = v
		}
	}
	for i, v := range x {
		if v == best {
			out[i] = v - second
		} else {
			out[i] = v - best
		}
	}
	return out
}

// topIn is the best entry, the out-of-scope class (last) aside.
func topIn(x []float64) int { return argmax(x[:len(x)-1]) }

func argmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

func toFloat64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
