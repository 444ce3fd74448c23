package answers

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalise(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Quel est le SALAIRE ?", "quel est le salaire"},
		{"Télétravail, déménagement, Île-de-France", "teletravail demenagement ile de france"},
		{"l'équipe d'État qu'est-ce j'habite", "equipe etat est ce habite"},
		{"L’annonce (apostrophe courbe)", "annonce apostrophe courbe"},
		{"<@U024BE7LH> salut <!here>", "salut"},
		{"voir <#C0123|recrutement> et <https://beta.gouv.fr|le site> <https://x.fr>", "voir recrutement et le site"},
		{":wave: *bonjour* _toi_ ~non~ `code`", "bonjour toi non code"},
		{"what's the pay? I'm asking", "what the pay i asking"},
		{"it isn't listed, don't worry, can't say", "it is listed do worry can say"},
		{"œuvre cœur", "oeuvre coeur"},
		{"aujourd'hui", "aujourdhui"},
		{"heure: 10:30 :: fin", "heure 10 30 fin"},
		{"", ""},
	}
	for _, c := range cases {
		if got := Normalise(c.in); got != c.want {
			t.Errorf("Normalise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSentencesMarkQuestions(t *testing.T) {
	got := sentences("Bonjour ! Je suis dev à beta.gouv.fr. Combien c'est payé ? Merci")
	want := []sentence{{"Bonjour ", false}, {" Je suis dev à beta.gouv.fr", false}, {" Combien c'est payé ", true}, {" Merci", false}}
	if len(got) != len(want) {
		t.Fatalf("sentences = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestTruncateKeepsRunes(t *testing.T) {
	s := strings.Repeat("é", MaxQuestionBytes) // two bytes each
	got := truncate(s, MaxQuestionBytes+1)
	if !utf8.ValidString(got) || len(got) > MaxQuestionBytes+1 {
		t.Fatalf("truncate cut a rune or kept too much: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestStem(t *testing.T) {
	same := [][]string{
		{"candidats", "candidat"},
		{"développeuse", "développeur", "développeurs"},
		{"postes", "poste"},
		{"politiques", "politique"},
		{"ministères", "ministère"},
		{"principaux", "principal"},
	}
	for _, group := range same {
		want := stem(Normalise(group[0]))
		for _, w := range group[1:] {
			if got := stem(Normalise(w)); got != want {
				t.Errorf("stem(%q) = %q, want %q like %q", w, got, want, group[0])
			}
		}
	}
	if stem("salaire") == stem("salade") {
		t.Errorf("salaire and salade must not share a stem")
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"Quel est le salaire ?", "<@U1> <#C1|x> <https://a.b|c> :x:", "l'état d'âme", "\xff\xfe", strings.Repeat("a'", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Normalise(s)
		if strings.ContainsAny(out, "<>*_~`'?!.,") {
			t.Errorf("Normalise(%q) = %q keeps markup or punctuation", s, out)
		}
		if out != strings.ToLower(out) {
			t.Errorf("Normalise(%q) = %q is not lower case", s, out)
		}
		if len(out) > 2*MaxQuestionBytes {
			t.Errorf("Normalise(%q) is %d bytes: the cap did not hold", s, len(out))
		}
	})
}

// TestWhereIsNotOr: "où" asks for a place, "ou" joins two choices; once
// the accents are gone they must still differ.
func TestWhereIsNotOr(t *testing.T) {
	for in, want := range map[string]string{
		"Où est le poste ?":       whereWord + " est le poste",
		"OÙ est le poste ?":       whereWord + " est le poste",
		"dev ou designer ?":       "dev ou designer",
		"d'où vient le nom BIN ?": whereWord + " vient le nom bin",
	} {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}
