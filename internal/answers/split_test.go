package answers

import (
	"reflect"
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
