package answers

import "strings"

// The pieces of a message that ask on their own: what parts answers one
// by one, and what the model learns the pieces of multi-part messages from
// (piecePhrasings), so both read a message the same way.

// partCues are words that show a piece of a sentence asks on its own
// ("faut-il un CV, et…", "il y a des postes de dev et…"), beside the
// question words.
var partCues = makeSet(`est faut peut peux peuvent pouvez pourriez puis dois doit existe y vs am will should may need possible`)

// asksAlone reports whether a piece cut before a join asks something.
func asksAlone(ws []string) bool {
	if hasQuestionCue(ws) {
		return true
	}
	for _, w := range ws {
		if partCues[w] {
			return true
		}
	}
	return false
}

// clarifying are the prepositions that open a precision of the question
// before ("de l'expérience ?", "à l'ancienneté ?", "par ministère ?").
var clarifying = makeSet(`de du des a au aux par selon`)

// opensWithPreposition reports a piece that opens with one of them; the
// words have lost an elided "d'" ("d'expérience ?"), so the text is read.
func opensWithPreposition(text string, ws []string) bool {
	first := strings.ToLower(strings.TrimLeft(text, " \t-•*"))
	return clarifying[ws[0]] || strings.HasPrefix(first, "d'") || strings.HasPrefix(first, "d’")
}

// coordinating are the prepositions a question repeats before each term it
// coordinates ("en dev et en UX", "comme coach et comme chargé de
// déploiement").
var coordinating = makeSet(`en comme pour sur a au aux as for in`)

// parallelPreposition reports a piece that opens with a preposition found
// among the last words of the piece before.
func parallelPreposition(before, ws []string) bool {
	if len(ws) == 0 || !coordinating[ws[0]] {
		return false
	}
	for _, w := range before[max(0, len(before)-4):] {
		if w == ws[0] {
			return true
		}
	}
	return false
}

// pieceReader walks a message's pieces in order and tells which ask on
// their own; it remembers what the pieces before said.
type pieceReader struct {
	anyMarked bool // some piece ends with a question mark
	// context is a statement just before a question ("Je suis dev. Vous en
	// cherchez ?"): it may say what the question is about, so a question
	// that alone is not understood is read again with it.
	context    string
	fullBefore bool     // the piece asked before was a question of its own
	listed     bool     // a piece of a few words was asked before, as in a list
	lastWords  []string // the words of the piece before (a question or not)
}

// next reads a piece; it returns the statement before it, or why it does
// not ask on its own.
func (p *pieceReader) next(m *Matcher, s segment) (r reading, statement, skipped string) {
	ws := words(s.text)
	before := p.lastWords
	p.lastWords = ws
	if p.anyMarked && !s.marked && !hasQuestionCue(ws) {
		p.context = s.text
		return r, "", "no question mark nor question word, beside pieces that have one"
	}
	statement, p.context = p.context, ""
	r = m.read(s.text, true)
	if r.content == 0 {
		return r, "", "no topic word"
	}
	// "la BIN et le programme d'intrapreneurs, c'est pareil ?" is one
	// question: before a join, a piece must ask on its own, unless it is
	// one word of a list of words ("salaire et télétravail ?").
	if s.joined && !asksAlone(ws) && !(r.single && oneWord(m.analyser.expand(words(s.next)))) {
		return r, "", "joined to the next piece, and does not ask alone"
	}
	// "le salaire dépend de quoi ? de l'xp ?": a few words after a
	// question, opening with a preposition and with no question word nor
	// join of their own, say more of that question rather than ask another
	// ("le salaire pour ce poste ?", "en remote ?" name a new subject);
	// unless a piece of a few words was asked before, as in a list of
	// subjects ("Télétravail ? Éligible hors Paris ? Lieu ?").
	fragment := r.content <= 2 && !asksAlone(ws)
	if fragment && p.fullBefore && !p.listed && !s.afterJoin && opensWithPreposition(s.text, ws) {
		return r, "", "a fragment that says more of the question before"
	}
	// "je peux postuler en dev et en UX ?": a few words after a join that
	// open with the preposition the question before just used are a second
	// term of that question, not a question of their own.
	if fragment && s.afterJoin && parallelPreposition(before, ws) {
		return r, "", "a second term of the question before"
	}
	p.fullBefore = !fragment
	p.listed = p.listed || fragment
	return r, statement, ""
}

// newPieceReader reads the pieces segs of one message.
func newPieceReader(segs []segment) *pieceReader {
	pr := &pieceReader{}
	for _, s := range segs {
		pr.anyMarked = pr.anyMarked || s.marked
	}
	return pr
}
