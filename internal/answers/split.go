package answers

import (
	"regexp"
	"strings"
)

// partJoins are the words and signs people put between two questions of
// one message ("…et on peut télétravailler ?", "Also, when…").
var partJoins = regexp.MustCompile(`(?i)(\s+(et|and|also|aussi|puis|ensuite|sinon|btw|ps|autre question|deuxieme question|deuxième question|par ailleurs|d'ailleurs|au passage|plus)\s*[,:]?\s+|\s*[;+/]\s+|\s+-\s+|\n\s*[-•*\d.)]+\s*)`)

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
			if piece = strings.TrimSpace(piece); piece != "" {
				out = append(out, segment{text: piece, marked: s.question})
			}
		}
	}
	return out
}
