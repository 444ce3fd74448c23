package answers

import (
	"regexp"
	"strings"
	"unicode"
)

// strongJoins cut a sentence into clauses that each ask on their own: a
// list, "X + Y", "X / Y", "X ; Y", numbered points.
var strongJoins = regexp.MustCompile(`\s*[;+/|]\s*|\s+-\s+|\n\s*[-•*]+\s*|(^|\s)\(?\d[).]\s+`)

// weakJoins are the words people put between two questions of one
// sentence ("…et on peut télétravailler ?", "Also, when…"); they also join
// two nouns of one question, so a piece before one must show it asks.
var weakJoins = regexp.MustCompile(`(?i),?\s+(et|and|also|aussi|puis|pis|ensuite|sinon|btw|ps|by the way|plus|en plus|et aussi|and also|ainsi que|autre question|autre chose|other question|another question|deuxieme question|deuxième question|second question|par ailleurs|d'ailleurs|au passage)\s*[,:]?\s+`)

// segment is a piece of a message that may ask one thing.
type segment struct {
	text   string
	marked bool // its sentence ends with a question mark
	// joined: a weak join ("et", "sinon") or a comma between two clauses
	// that ask follows it in its clause; next is the piece that follows.
	joined bool
	next   string
	// afterJoin: a join ("et", "sinon", "PS", "/", a list's dash, a comma
	// between two clauses that ask) comes before it.
	afterJoin bool
}

// segments cuts a message at sentence ends, then at the joins between two
// questions.
func segments(text string) []segment {
	var out []segment
	for _, s := range sentences(prepare(text)) {
		for k, clause := range strongJoins.Split(s.text, -1) {
			var pieces []string
			var afterJoin []bool
			for i, piece := range weakJoins.Split(" "+clause, -1) {
				for j, p := range askingClauses(piece) {
					if p = strings.TrimSpace(strings.TrimLeft(p, "-•* \t")); p != "" {
						pieces = append(pieces, p)
						afterJoin = append(afterJoin, k > 0 || i > 0 || j > 0)
					}
				}
			}
			for i, piece := range pieces {
				seg := segment{text: piece, marked: s.question, afterJoin: afterJoin[i]}
				if i+1 < len(pieces) {
					seg.joined, seg.next = true, pieces[i+1]
				}
				out = append(out, seg)
			}
		}
	}
	return out
}

// askingClauses cuts a piece at the commas between two clauses that each
// ask ("combien ça paie, c'est quoi le contrat"); a comma in a question
// ("Bonjour, c'est quoi le salaire") or in a list of nouns stays.
func askingClauses(piece string) []string {
	chunks := strings.Split(piece, ",")
	if len(chunks) < 2 {
		return chunks
	}
	var out []string
	current := chunks[0]
	for _, c := range chunks[1:] {
		if clauseAsks(current) && clauseAsks(c) && !decimalComma(current, c) {
			out = append(out, current)
			current = c
			continue
		}
		current += "," + c
	}
	return append(out, current)
}

// clauseAsks reports a question word in a clause; "ou" is not one here:
// unaccented it is mostly "or" ("le salaire, CDD ou CDI ?").
func clauseAsks(clause string) bool {
	for _, w := range words(clause) {
		if questionCues[w] && w != "ou" {
			return true
		}
	}
	return false
}

// decimalComma reports a comma between two digits: "2,5 ans".
func decimalComma(before, after string) bool {
	return before != "" && after != "" && unicode.IsDigit(rune(before[len(before)-1])) && unicode.IsDigit(rune(after[0]))
}
