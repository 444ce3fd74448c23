package answers

import (
	"regexp"
	"strings"
)

// partJoins are the words and signs people put between two questions of
// one message ("…et on peut télétravailler ?", "Also, when…").
var partJoins = regexp.MustCompile(`(?i)(,?\s+(et|and|also|aussi|puis|pis|ensuite|sinon|btw|ps|by the way|plus|en plus|et aussi|and also|ainsi que|autre question|autre chose|other question|another question|deuxieme question|deuxième question|second question|par ailleurs|d'ailleurs|au passage)\s*[,:]?\s+|\s*[;+/|]\s*|\s+-\s+|\n\s*[-•*]+\s*|(^|\s)\(?\d[).]\s+)`)

// segment is a piece of a message that may ask one thing.
type segment struct {
	text   string
	marked bool // its sentence ends with a question mark
}

// segments cuts a message at sentence ends, then at the joins between two
// questions.
func segments(text string) []segment {
	var out []segment
	for _, s := range sentences(prepare(text)) {
		for _, piece := range partJoins.Split(s.text, -1) {
			if piece = strings.TrimSpace(strings.TrimLeft(piece, "-•* \t")); piece != "" {
				out = append(out, segment{text: piece, marked: s.question})
			}
		}
	}
	return out
}
