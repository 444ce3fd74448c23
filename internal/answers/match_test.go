package answers

import (
	"strings"
	"testing"
)

func TestMatchDecisions(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml")
	cases := []struct {
		question string
		want     Decision
		entryID  string
	}{
		{"Quel est le salaire ?", Answer, "salaire"},
		{"combien suis-je payé ?", Answer, "salaire"},
		{"c koi la paie ?", Answer, "salaire"},
		{"SALAIRE", Answer, "salaire"},
		{"slaire ?", Answer, "salaire"},
		{"<@U024BE7LH> what is the salary?", Answer, "salaire"},
		{"remote possible ?", Answer, "teletravail"},
		{"jusqu'à quand peut-on postuler ?", Answer, "date-limite"},
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

func TestMatchSuggestsWhenTorn(t *testing.T) {
	m := mustLoad(t, "testdata/faq.yaml")
	// "contrat" alone fits both contract entries equally.
	got := m.Match("contrat ?")
	if got.Decision != Suggest {
		t.Fatalf("Match(contrat) = %v/%q, want suggest\n%s", got.Decision, got.EntryID, m.Explain("contrat ?", 3))
	}
	if n := len(got.Suggestions); n < 2 || n > 3 {
		t.Fatalf("got %d suggestions, want 2 or 3", n)
	}
	ids := map[string]bool{}
	for _, s := range got.Suggestions {
		ids[s.EntryID] = true
		if s.Answer == "" || s.Question == "" {
			t.Errorf("suggestion %q lacks its question or answer", s.EntryID)
		}
	}
	if !ids["contrat-type"] || !ids["contrat-renouvellement"] {
		t.Errorf("suggestions %v miss a contract entry", ids)
	}
	if got.EntryID != "" {
		t.Errorf("EntryID = %q on suggest, want empty", got.EntryID)
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
	if got := m.Match("Bonjour, quel est le salaire ?"); got.EntryID != "salaire" || got.SmallTalk != "" {
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
	if !ok || r.Answer != "Le salaire va de 3 500 € à 4 800 €." || r.Decision != Answer {
		t.Errorf("AnswerFor(salaire) = %+v, %v", r, ok)
	}
	if _, ok := m.AnswerFor("nope"); ok {
		t.Errorf("AnswerFor(nope) found an entry")
	}
}

func FuzzMatch(f *testing.F) {
	m := mustLoad(f, "../../data/faq.yaml")
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
			if r.EntryID == "" || r.Answer == "" {
				t.Fatalf("Match(%q) answers without an entry or text", q)
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
