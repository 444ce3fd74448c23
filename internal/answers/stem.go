package answers

import "strings"

// stem reduces a normalised French (or English) word to a light stem, so
// that plural, feminine and common derived forms meet: "candidats" and
// "candidat", "développeuse" and "développeur", "payés" and "payé".
// It is deliberately light: synonyms join the rest, and a stem that cuts too
// deep merges words that mean different things.
func stem(w string) string {
	if len(w) <= 3 || !isAlpha(w) {
		return w
	}
	// Plural.
	switch {
	case strings.HasSuffix(w, "aux") && len(w) > 5:
		w = w[:len(w)-3] + "al"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "x") && !strings.HasSuffix(w, "ux") && len(w) > 4:
		w = w[:len(w)-1]
	}
	// Derivations, longest first; the stem left must keep four letters.
	for _, suf := range derivations {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	return w
}

var derivations = []string{
	"issement", "ement", "ations", "ation", "atrice", "ateur", "euse", "eur",
	"iste", "isme", "ique", "ive", "ee", "er", "ez", "ant", "e", "ing", "ed",
}

func isAlpha(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
