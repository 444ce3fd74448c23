package answers

import (
	"strings"
	"testing"
)

// Questions any candidate could ask, as the shipped FAQ and training data
// answer them: sure answers, no answer where the subject is another, and
// no answer to a single word.
func TestMatchDecisions(t *testing.T) {
	m := realMatcher(t, dayEnded)
	cases := []struct {
		question string
		want     Decision
		entryID  string
	}{
		{"Quel est le salaire ?", Answer, "salaire"},
		{"combien on est payé à la BIN ?", Answer, "salaire"},
		{"<@U024BE7LH> what is the salary?", Answer, "salaire"},
		{"est-ce qu'on peut faire du télétravail ?", Answer, "teletravail"},
		{"Qu'est-ce que le programme EIG ?", Answer, "eig"},
		{"Est-ce que je peux encore candidater à la BIN ?", Answer, "recrute-encore"},
		{"Are you still recruiting?", Answer, "recrute-encore"},
		{"How much is the pay?", Answer, "salaire"},
		{"salaire", Fallback, ""},
		{"CDD ?", Fallback, ""},
		{"c'est combien le SMIC en ce moment ?", Fallback, ""},
		{"il pleut à Brest ?", Fallback, ""},
		{"quelle est la recette de la tarte tatin ?", Fallback, ""},
		{"", Fallback, ""},
		{"???", Fallback, ""},
	}
	for _, c := range cases {
		t.Run(c.question, func(t *testing.T) {
			got := m.Match(c.question)
			if got.Decision != c.want || got.EntryID != c.entryID {
				t.Errorf("Match(%q) = %v/%q (score %.2f), want %v/%q\n%s", c.question, got.Decision, got.EntryID, got.Score, c.want, c.entryID, m.Explain(c.question, 3))
			}
		})
	}
}

// TestAOneWordMessageIsToldTheQuestionToAsk: "salaire ?" is not answered,
// but the fallback names the question the bot would answer; a word that
// names no subject gets the plain fallback.
func TestAOneWordMessageIsToldTheQuestionToAsk(t *testing.T) {
	m := realMatcher(t, dayEnded)
	plain := m.Fallback().Answer
	for q, want := range map[string]string{"salaire ?": "« Quel est le salaire ? »", "télétravail": "« Peut-on télétravailler ? »",
		"salary?": `"What is the salary?"`} {
		r := m.Match(q)
		if r.Decision != Fallback || !strings.Contains(r.Answer, want) || !strings.Contains(want, r.Question) || r.Question == "" {
			t.Errorf("Match(%q) = %v %q, want the fallback naming %s", q, r.Decision, r.Answer, want)
		}
	}
	if r := m.Match("pizza ?"); r.Decision != Fallback || r.Answer != plain || r.Question != "" {
		t.Errorf("Match(\"pizza ?\") = %v %q, want the plain fallback", r.Decision, r.Answer)
	}
}

func TestEnglishQuestionsGetEnglishAnswers(t *testing.T) {
	m := realMatcher(t, dayEnded)
	r := m.Match("Is remote work possible?")
	if r.Decision != Answer || r.EntryID != "teletravail" || r.Lang != English {
		t.Fatalf("Match = %v/%q lang %s", r.Decision, r.EntryID, r.Lang)
	}
	if r.Link.Label != "See the announcement" || !strings.HasPrefix(r.Source, "Source:") {
		t.Errorf("English reply: button %q, source %q", r.Link.Label, r.Source)
	}
	if f := m.Match("what is the weather like in Paris today?"); f.Decision == Answer || f.Lang != English ||
		!strings.Contains(f.Answer, "verified") {
		t.Errorf("English fallback = %v lang %s: %q", f.Decision, f.Lang, f.Answer)
	}
	if r := m.Match("Quel est le salaire ?"); r.Lang != French {
		t.Errorf("a French question got %s", r.Lang)
	}
}

func TestTwoPartMessagesGetBothAnswers(t *testing.T) {
	m := realMatcher(t, dayEnded)
	r := m.Match("Quel est le salaire proposé ? Et est-ce qu'on peut télétravailler ?")
	if r.Decision != Answer || len(r.Parts) != 2 || r.Parts[0].EntryID != "salaire" || r.Parts[1].EntryID != "teletravail" {
		t.Fatalf("Match = %v parts %+v", r.Decision, r.Parts)
	}
	if r.EntryID != "salaire" || !strings.Contains(r.Answer, "3 500") || !strings.Contains(r.Answer, "télétravail") {
		t.Errorf("answer = %q", r.Answer)
	}
}

func TestQuestionsAboutTheBotAreSmallTalk(t *testing.T) {
	m := realMatcher(t, dayEnded)
	for _, q := range []string{"t'es un robot ?", "are you a bot?"} {
		r := m.Match(q)
		if r.Decision == Answer || r.SmallTalk != "bot" {
			t.Errorf("Match(%q) = %v/%q small talk %q", q, r.Decision, r.EntryID, r.SmallTalk)
		}
	}
}

// A FAQ without training files still learns, from its own phrasings cut
// into folds, and answers the questions it was written with.
func TestSmallFAQLearnsFromItsOwnPhrasings(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml", fixedClock(dayOpen))
	for q, id := range map[string]string{"Quel est le salaire ?": "salaire", "Le télétravail est-il possible ?": "teletravail"} {
		if r := m.Match(q); r.Decision != Answer || r.EntryID != id {
			t.Errorf("Match(%q) = %v/%q, want %s\n%s", q, r.Decision, r.EntryID, id, m.Explain(q, 3))
		}
	}
	if r := m.Match("quelle est la recette de la tarte tatin ?"); r.Decision == Answer {
		t.Errorf("tarte tatin answered with %q", r.EntryID)
	}
}

func TestSmallTalkIsNotAnFAQAnswer(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml")
	cases := map[string]string{
		"bonjour":               "greeting",
		"Salut !":               "greeting",
		"merci":                 "thanks",
		"top, merci":            "thanks",
		"bonjour, merci !":      "thanks",
		"merci pour le salaire": "thanks", // thanks for an answer, not a question
	}
	for q, kind := range cases {
		got := m.Match(q)
		if got.SmallTalk != kind || got.Decision != Fallback || got.EntryID != "" {
			t.Errorf("Match(%q) = %v/%q small talk %q, want small talk %q", q, got.Decision, got.EntryID, got.SmallTalk, kind)
		}
		if got.Answer == "" || strings.Contains(got.Answer, "Je ne sais pas") {
			t.Errorf("Match(%q).Answer = %q, want the friendly line", q, got.Answer)
		}
	}
	// A greeting before a question does not hide the question.
	if got := realMatcher(t, dayEnded).Match("Bonjour, quel est le salaire ?"); got.EntryID != "salaire" || got.SmallTalk != "" {
		t.Errorf("greeting + question = %v/%q small talk %q", got.Decision, got.EntryID, got.SmallTalk)
	}
}

func TestEveryResultCarriesTheForm(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml")
	for _, q := range []string{"salaire", "contrat", "il pleut", "merci"} {
		r := m.Match(q)
		if r.FormURL != "https://example.gouv.fr/form" {
			t.Errorf("Match(%q).FormURL = %q", q, r.FormURL)
		}
		if r.Suggestions == nil {
			t.Errorf("Match(%q).Suggestions is nil, want an empty list", q)
		}
	}
}

func TestFallbackRendersFacts(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml")
	if got := m.Fallback().Answer; got != "Je ne sais pas. Le formulaire : https://example.gouv.fr/form" {
		t.Errorf("fallback = %q", got)
	}
}

func TestAnswerForRendersTheEntry(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml")
	r, ok := m.AnswerFor("salaire")
	if !ok || r.Answer != "Le salaire va de 3 500 € à 4 800 €." || r.Decision != Answer || r.Source != "Source : « Conditions »" {
		t.Errorf("AnswerFor(salaire) = %+v, %v", r, ok)
	}
	if _, ok := m.AnswerFor("nope"); ok {
		t.Errorf("AnswerFor(nope) found an entry")
	}
}

func FuzzMatch(f *testing.F) {
	m := realMatcher(f, dayEnded)
	for _, s := range []string{"Quel est le salaire ?", "c koi la paie pr un dev", "<@U1> merci", "\x00\xff", strings.Repeat("salaire ", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r := m.Match(q)
		if r.Score < 0 || r.Score > 1 {
			t.Fatalf("Match(%q).Score = %v", q, r.Score)
		}
		switch r.Decision {
		case Answer:
			if r.EntryID == "" || r.Answer == "" || len(r.Parts) == 1 {
				t.Fatalf("Match(%q) answers without an entry or text, or with one part", q)
			}
		case Suggest:
			if n := len(r.Suggestions); n < 2 || n > 3 || r.EntryID != "" {
				t.Fatalf("Match(%q) suggests %d entries, entry %q", q, n, r.EntryID)
			}
		case Fallback:
			if r.EntryID != "" || r.Answer == "" {
				t.Fatalf("Match(%q) falls back with entry %q, answer %q", q, r.EntryID, r.Answer)
			}
		default:
			t.Fatalf("Match(%q).Decision = %q", q, r.Decision)
		}
	})
}
