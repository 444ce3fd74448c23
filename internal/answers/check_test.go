package answers

import (
	"os"
	"strings"
	"testing"
)

func TestCheckRealFAQIsClean(t *testing.T) {
	faq, err := LoadFile("../../data/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	training, err := LoadTraining(faq.TrainingDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Check(faq, training) {
		t.Errorf("%s", p)
	}
}

// breakFAQ applies edits to the test FAQ and returns its problems.
func breakFAQ(t *testing.T, edits ...[2]string) []Problem {
	t.Helper()
	data, err := os.ReadFile("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, e := range edits {
		if !strings.Contains(text, e[0]) {
			t.Fatalf("test FAQ has no %q", e[0])
		}
		text = strings.Replace(text, e[0], e[1], 1)
	}
	faq, err := Parse("testdata/broken.yaml", []byte(text))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := faq.LoadAnnouncement(); err != nil {
		t.Fatal(err)
	}
	return Check(faq)
}

func TestCheckFindsProblemsWithLines(t *testing.T) {
	cases := []struct {
		name string
		edit [2]string
		line int
		msg  string
	}{
		{"duplicate id", [2]string{"id: teletravail", "id: salaire"}, 41, `duplicate id "salaire"`},
		{"not kebab", [2]string{"id: teletravail", "id: Tele_Travail"}, 41, "kebab-case"},
		{"empty answer", [2]string{"answer: Oui, en partie.", `answer: " "`}, 45, "empty answer"},
		{"bad form url", [2]string{"form_url: https://example.gouv.fr/form", "form_url: example.gouv.fr/form"}, 2, "form_url"},
		{"bad link", [2]string{"answer: Oui, en partie.", "answer: Voir <htps//x|ici>."}, 45, "link"},
		{"unclosed link", [2]string{"answer: Oui, en partie.", "answer: Voir <https://x.fr ici."}, 45, "never closed"},
		{"unknown fact", [2]string{"answer: Un CDD de 2 ans.", "answer: Un {{contrat}} de 2 ans."}, 61, "unknown fact {{contrat}}"},
		{"bad deadline", [2]string{`deadline: "2021-12-09"`, `deadline: "9 décembre"`}, 7, "not a date"},
		{"missing message", [2]string{`  fallback_short: "Je ne sais pas."`, ""}, 0, `"fallback_short" is missing`},
		{"quote not in the announcement", [2]string{`quote: "Le droit de télétravailler"`, `quote: "Le droit de télétravailler 5 jours"`}, 0, `quote "Le droit de télétravailler 5 jours" is not in section "Conditions"`},
		{"section not a heading", [2]string{"      - section: Candidater", "      - section: Postuler"}, 0, `section "Postuler" is not a heading`},
		{"no source", [2]string{"    sources:\n      - section: Conditions\n        quote: \"Le droit de télétravailler\"\n", ""}, 0, `entry "teletravail" has no sources`},
		{"url source without title", [2]string{"      - section: Candidater\n        quote: \"avant le 9 décembre\"", "      - url: https://www.etalab.gouv.fr/"}, 0, "needs a title"},
		{"placeholder shown", [2]string{"answer: L'annonce ne le dit pas.", "answer: L'annonce dit X jour par semaine."}, 0, "shows a placeholder"},
		{"lower-case start", [2]string{"answer: L'annonce ne le dit pas.", "answer: l'annonce ne le dit pas."}, 0, "starts in lower case"},
		{"two colons", [2]string{"answer: L'annonce ne le dit pas.", "answer: \"L'annonce : rien : voilà.\""}, 0, "two colons"},
		{"apply after the deadline", [2]string{"closed: Les candidatures étaient reçues jusqu'au {{deadline}}.", "closed: Postulez avant le {{deadline}} !"}, 0, "invites to apply"},
		{"synonym in two groups", [2]string{"[candidater, postuler, apply]", "[candidater, postuler, apply, paie]"}, 0, `synonym "paie" is also in the group`},
		{"duplicate phrasing", [2]string{"      - Le télétravail est-il possible ?", "      - Quel est le SALAIRE ?"}, 44, "already appears"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			problems := breakFAQ(t, c.edit)
			for _, p := range problems {
				if strings.Contains(p.Msg, c.msg) && (c.line == 0 || p.Line == c.line) {
					if !strings.HasPrefix(p.String(), "testdata/broken.yaml:") {
						t.Errorf("problem %q does not name the file", p)
					}
					return
				}
			}
			t.Errorf("no problem with %q at line %d; got %v", c.msg, c.line, problems)
		})
	}
}
