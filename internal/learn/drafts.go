package learn

import (
	"fmt"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/betagouv/bin-bot/internal/store"
)

// draftEntry is one draft as a faq.yaml entry stub.
type draftEntry struct {
	ID       string `yaml:"id"`
	Question string `yaml:"question"`
	Answer   string `yaml:"answer"`
}

// DraftStubs writes the drafts staff kept from the Répondre modal as
// faq.yaml entry stubs, to review and paste under entries: the id is a
// guess from the question, the question the candidate's words, the answer
// the staff member's; a comment names who answered, when.
func DraftStubs(drafts []store.Draft) ([]byte, error) {
	var b strings.Builder
	b.WriteString("# Draft entries kept from staff answers in Slack (bot learn --drafts).\n")
	b.WriteString("# Review each: rewrite the question as candidates ask it, check the answer's facts,\n")
	b.WriteString("# then move it under entries: in faq.yaml and run bot check.\n")
	seen := map[string]int{}
	for _, d := range drafts {
		id := slug(d.Question)
		if seen[id]++; seen[id] > 1 {
			id = fmt.Sprintf("%s-%d", id, seen[id])
		}
		out, err := yaml.Marshal([]draftEntry{{ID: id, Question: Clean(d.Question), Answer: strings.TrimSpace(d.Answer) + "\n"}})
		if err != nil {
			return nil, fmt.Errorf("draft of question %d: %w", d.QuestionID, err)
		}
		fmt.Fprintf(&b, "\n# question %d, answered by %s on %s\n", d.QuestionID, d.AddedBy, d.AddedAt.In(store.Paris).Format("2006-01-02"))
		b.Write(out)
	}
	return []byte(b.String()), nil
}

// unaccent takes the accents of French off their letters.
var unaccent = strings.NewReplacer("à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y", "œ", "oe", "æ", "ae")

// slug makes a kebab-case id from the first words of a question.
func slug(question string) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 2 && len(words) < 5 {
			words = append(words, w.String())
		}
		w.Reset()
	}
	for _, r := range unaccent.Replace(strings.ToLower(question)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			w.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	if len(words) == 0 {
		return "brouillon"
	}
	return strings.Join(words, "-")
}
