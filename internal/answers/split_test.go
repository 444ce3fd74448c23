package answers

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSegmentsCutBetweenQuestions(t *testing.T) {
	cases := map[string][]string{
		"Quel est le salaire ? Et le télétravail ?":                           {"Quel est le salaire", "le télétravail"},
		"1) combien de jours de télétravail 2) le contrat est renouvelable ?": {"combien de jours de télétravail", "le contrat est renouvelable"},
		"- salaire ?\n- télétravail ?":                                        {"salaire", "télétravail"},
		"deadline + lien du formulaire stp":                                   {"deadline", "lien du formulaire stp"},
		"C'est quoi la BIN, pis vous cherchez quels profils?":                 {"C'est quoi la BIN", "vous cherchez quels profils"},
		"Je suis dev à Lyon. Combien on est payé ?":                           {"Je suis dev à Lyon", "Combien on est payé"},
	}
	for in, want := range cases {
		var got []string
		for _, s := range segments(in) {
			got = append(got, s.text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("segments(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAPieceBeforeAJoinMustAskAlone(t *testing.T) {
	joined := func(text string) []bool {
		var out []bool
		for _, s := range segments(text) {
			out = append(out, s.joined)
		}
		return out
	}
	if got := joined("la BIN et le programme intrapreneurs c'est pas la même chose ?"); !reflect.DeepEqual(got, []bool{true, false}) {
		t.Fatalf("joined = %v", got)
	}
	if got := joined("- salaire ?\n- télétravail ?"); !reflect.DeepEqual(got, []bool{false, false}) {
		t.Fatalf("a list is not joined by a word: %v", got)
	}
	for text, asks := range map[string]bool{
		"la BIN":                              false,
		"le programme d'intrapreneurs":        false,
		"Faut-il un CV":                       true,
		"Qu'est-ce qu'une commande politique": true,
		"il y a des postes de dev":            true,
		"What roles are open":                 true,
	} {
		if got := asksAlone(words(text)); got != asks {
			t.Errorf("asksAlone(%q) = %v, want %v", text, got, asks)
		}
	}
}

func TestOneWordPartsOfAListAreAnswered(t *testing.T) {
	m := realMatcher(t, dayOpen)
	r := m.Match("- salaire ?\n- télétravail ?")
	got := r.answered()
	if len(got) != 2 || !contains(got, "salaire") || !contains(got, "teletravail") {
		t.Fatalf("answered %v (%s), want salaire and teletravail", got, r.Decision)
	}
	if r := m.Match("la BIN et le programme d'intrapreneurs c'est pas la même chose ?"); len(r.Parts) > 0 {
		t.Fatalf("one question read as parts: %v", r.Parts)
	}
}

// TestAStatementGivesTheNextQuestionItsSubject: "Vous en recrutez ?" asks
// about the job the sentence before names; read alone it names nothing.
func TestAStatementGivesTheNextQuestionItsSubject(t *testing.T) {
	m := realMatcher(t, dayOpen)
	for q, want := range map[string][]string{
		"Je suis coach agile. Vous en recrutez ? Et le salaire ?":                   {"poste-coach", "salaire"},
		"Je suis UX designer depuis 5 ans. Vous en cherchez ? C'est payé combien ?": {"poste-ux", "salaire"},
	} {
		if got := m.Match(q).answered(); !slices.Equal(got, want) {
			t.Errorf("%q: answered %v, want %v", q, got, want)
		}
	}
}

// TestExplainShowsThePieces: staff fixing a half-answered message see
// each piece, what it read as and whether it was answered.
func TestExplainShowsThePieces(t *testing.T) {
	out := realMatcher(t, dayOpen).Explain("Quel est le salaire ? Et le télétravail ?", 3)
	for _, want := range []string{"pieces (answered in parts: true)", `"Quel est le salaire": salaire`, "(answered: true)"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
}

// TestAFragmentAfterAQuestionSaysMoreOfIt: "de l'expérience ?" after a
// question about pay asks about pay still; "Et le télétravail ?" and
// "salaire pour ce poste ?" ask another thing, and so does each subject of
// a list.
func TestAFragmentAfterAQuestionSaysMoreOfIt(t *testing.T) {
	m := realMatcher(t, dayOpen)
	for q, want := range map[string][]string{
		"le salaire dépend de quoi ? de l'expérience ?":             {"salaire"},
		"le salaire dépend de quoi ? d'expérience ?":                {"salaire"},
		"Vous cherchez des coachs agiles ? salaire pour ce poste ?": {"poste-coach", "salaire"},
		"Quel est le salaire proposé ? Et le télétravail ?":         {"salaire", "teletravail"},
		"Salaire ? Télétravail possible ?":                          {"salaire", "teletravail"},
	} {
		if got := m.Match(q).answered(); !slices.Equal(got, want) {
			t.Errorf("%q: answered %v, want %v", q, got, want)
		}
	}
}

// TestACommaBetweenTwoQuestionsCuts: "c'est quoi la date limite, comment
// on postule ?" asks twice; "Bonjour, quel est le salaire ?" once.
func TestACommaBetweenTwoQuestionsCuts(t *testing.T) {
	for piece, want := range map[string]int{
		"c'est quoi la date limite, comment on postule": 2,
		"Bonjour, quel est le salaire":                  1,
		"le salaire, le contrat et le télétravail":      1,
		"C'est quoi le salaire, CDD ou CDI":             1,
		"combien pour 2,5 ans ou plus":                  1,
	} {
		if got := askingClauses(piece); len(got) != want {
			t.Errorf("%q: %q, want %d clauses", piece, got, want)
		}
	}
	got := realMatcher(t, dayOpen).Match("C'est quoi la date limite, comment on postule ?").answered()
	if want := []string{"date-limite", "candidater"}; !slices.Equal(got, want) {
		t.Errorf("answered %v, want %v", got, want)
	}
}

// TestASecondTermIsNotASecondQuestion: "en dev et en UX" names two terms
// of one question (applying to both), not two questions.
func TestASecondTermIsNotASecondQuestion(t *testing.T) {
	m := realMatcher(t, dayOpen)
	for _, q := range []string{
		"Je peux postuler à la fois en dev et en UX ?",
		"je peux candidater comme coach et comme chargée de déploiement ?",
	} {
		if got := m.Match(q).answered(); !slices.Equal(got, []string{"plusieurs-postes"}) {
			t.Errorf("%q: answered %v, want [plusieurs-postes]", q, got)
		}
	}
	if !parallelPreposition(words("je peux postuler en dev"), words("en UX")) || parallelPreposition(words("quel est le salaire"), words("en UX")) {
		t.Error("parallelPreposition: want a match on the preposition just used, and only then")
	}
}

// TestAPieceTheWholeAgreesWithIsAnswered: a piece under the answer
// threshold is answered when it is sure enough and the whole message gives
// its entry a share of its probability; not otherwise.
func TestAPieceTheWholeAgreesWithIsAnswered(t *testing.T) {
	m := realMatcher(t, dayOpen)
	c := m.memory.classOf["missions-transverses"]
	piece := m.classify(m.read("entre deux sprints on fait quoi", true))
	piece.top = c
	whole := verdict{probs: make([]float64, len(m.memory.classes))}
	for _, tc := range []struct {
		conf, share float64
		want        bool
	}{{0.6, 0.2, true}, {0.6, 0.05, false}, {0.4, 0.5, false}} {
		piece.conf, whole.probs[c] = tc.conf, tc.share
		if got := m.agreedPart(piece, whole); got != tc.want {
			t.Errorf("piece at %.2f, whole's share %.2f: answered %v, want %v", tc.conf, tc.share, got, tc.want)
		}
	}
	piece.top = m.oos()
	piece.conf, whole.probs[m.oos()] = 0.9, 0.9
	if m.agreedPart(piece, whole) {
		t.Error("a piece read as out of scope answered")
	}
}
