package answers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionBytes caps the text read from one message: a question never
// needs more, and the cap keeps a 1 MB paste as cheap as a long message.
const MaxQuestionBytes = 2048

// Normalise returns the words of a chat message in the form the matcher
// compares: Slack markup and emoji removed, lower case, no accents, French
// elisions (l', qu', j'...) cut, punctuation gone, words joined by spaces.
func Normalise(text string) string {
	return strings.Join(words(text), " ")
}

// words does the work of Normalise and returns the words.
func words(text string) []string {
	return tokenize(prepare(text))
}

// prepare caps the text and removes Slack markup, keeping punctuation.
func prepare(text string) string {
	return stripSlackMarkup(truncate(text, MaxQuestionBytes))
}

// whereWord is "où" once accents are gone: "ou" would be "or", a word
// that says nothing, where "où" asks for a place.
const whereWord = "ou_"

// tokenize splits prepared text into normalised words.
func tokenize(text string) []string {
	out := make([]string, 0, len(text)/5+1) // about a word every five bytes
	var b strings.Builder
	grave := false // the word has a ù: "où" (where) is not "ou" (or)
	flush := func() {
		if b.Len() == 0 {
			return
		}
		n := len(out)
		out = appendElided(out, b.String())
		if grave && len(out) > n && out[len(out)-1] == "ou" {
			out[len(out)-1] = whereWord
		}
		b.Reset()
		grave = false
	}
	for _, r := range text {
		grave = grave || r == 'ù' || r == 'Ù'
		switch {
		case isApostrophe(r):
			b.WriteByte('\'')
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteByte(byte(r))
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			b.WriteByte(byte(r) + 'a' - 'A')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(fold(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == '`' || r == '´' || r == 'ʼ'
}

// elisions are the French words that lose their vowel before another word.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "lorsqu": true, "puisqu": true, "quoiqu": true, "presqu": true,
}

// englishClitics are endings like what's, don't, i'm that carry no meaning here.
var englishClitics = map[string]bool{"s": true, "t": true, "m": true, "re": true, "ve": true, "ll": true, "d": true}

// appendElided appends a word, split at its apostrophes: "qu'est" gives
// "est", "aujourd'hui" stays one word, "what's" gives "what".
func appendElided(out []string, w string) []string {
	if !strings.Contains(w, "'") {
		return append(out, w)
	}
	if w == "aujourd'hui" {
		return append(out, "aujourdhui")
	}
	parts := strings.Split(w, "'")
	for i, p := range parts {
		// English "isn't", "doesn't": the n belongs to the "not".
		if i+1 < len(parts) && parts[i+1] == "t" && len(p) >= 3 && p != "can" && strings.HasSuffix(p, "n") {
			p = p[:len(p)-1]
		}
		switch {
		case p == "":
		case i < len(parts)-1 && elisions[p]:
		case i > 0 && englishClitics[p]:
		default:
			out = append(out, p)
		}
	}
	return out
}

// fold lowers a rune and removes its accent; ligatures become two letters.
func fold(r rune) string {
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'â', 'ä', 'á', 'ã', 'å':
		return "a"
	case 'ç', 'ć':
		return "c"
	case 'é', 'è', 'ê', 'ë':
		return "e"
	case 'î', 'ï', 'í', 'ì':
		return "i"
	case 'ô', 'ö', 'ó', 'ò', 'õ':
		return "o"
	case 'ù', 'û', 'ü', 'ú':
		return "u"
	case 'ÿ', 'ý':
		return "y"
	case 'ñ':
		return "n"
	case 'œ':
		return "oe"
	case 'æ':
		return "ae"
	case 'ß':
		return "ss"
	}
	return string(r)
}

// stripSlackMarkup removes what Slack adds around words: <@U123> mentions,
// <!here>, <#C1|name> channels (kept as name), <https://x|label> links (kept
// as label), :emoji: codes, and *bold* _italic_ ~strike~ `code` markers.
func stripSlackMarkup(s string) string {
	if !strings.ContainsAny(s, "<:*_~`") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				b.WriteByte(' ')
				i++
				continue
			}
			inner := s[i+1 : i+end]
			if bar := strings.IndexByte(inner, '|'); bar >= 0 && !strings.HasPrefix(inner, "@") && !strings.HasPrefix(inner, "!") {
				b.WriteString(" " + inner[bar+1:] + " ")
			} else {
				b.WriteByte(' ')
			}
			i += end + 1
		case ':':
			if n := emojiLen(s[i:]); n > 0 {
				b.WriteByte(' ')
				i += n
				continue
			}
			b.WriteByte(' ')
			i++
		case '*', '_', '~', '`':
			b.WriteByte(' ')
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// emojiLen is the length of a :short_code: at the start of s, or 0.
func emojiLen(s string) int {
	for j := 1; j < len(s) && j < 64; j++ {
		c := s[j]
		switch {
		case c == ':':
			if j == 1 {
				return 0
			}
			return j + 1
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '+', c == '-', c >= 'A' && c <= 'Z':
		default:
			return 0
		}
	}
	return 0
}

// sentence is a piece of a message and whether it asks something.
type sentence struct {
	text     string
	question bool
}

// sentences splits prepared text at ? ! newlines and full stops followed by
// a space, so that the context around a question can weigh less than it.
func sentences(text string) []sentence {
	var out []sentence
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		end := c == '?' || c == '!' || c == '\n' || (c == '.' && (i+1 == len(text) || text[i+1] == ' '))
		if !end {
			continue
		}
		if piece := text[start:i]; strings.TrimSpace(piece) != "" {
			out = append(out, sentence{text: piece, question: c == '?'})
		}
		start = i + 1
	}
	if piece := text[start:]; strings.TrimSpace(piece) != "" {
		out = append(out, sentence{text: piece})
	}
	return out
}
