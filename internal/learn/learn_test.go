package learn

import (
	"os"
	"strings"
	"testing"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

func load(t *testing.T) (*answers.FAQ, []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	faq, err := answers.Parse("testdata/faq.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return faq, data
}

func alt(entry, text string) store.Alternate { return store.Alternate{EntryID: entry, Text: text} }

func TestMergeLeavesTheBaseAlone(t *testing.T) {
	faq, _ := load(t)
	merged, added := Merge(faq, []store.Alternate{
		alt("salaire", "  combien on gagne\n par mois "),
		alt("salaire", "Combien suis-je PAYÉ ?"), // already there, once normalised
		alt("gone", "une entrée supprimée depuis"),
		alt("teletravail", "combien on gagne par mois"), // already added above
	})
	if len(added) != 1 {
		t.Fatalf("added %+v, want only the first", added)
	}
	e, _ := merged.Entry("salaire")
	if n := len(e.Alternates); n != 3 || e.Alternates[2].Value != "combien on gagne par mois" {
		t.Errorf("merged alternates = %+v", e.Alternates)
	}
	if base, _ := faq.Entry("salaire"); len(base.Alternates) != 2 {
		t.Errorf("base FAQ changed: %+v", base.Alternates)
	}
}

func TestVet(t *testing.T) {
	faq, _ := load(t)
	if p := Vet(faq, nil, alt("salaire", "c'est payé combien par mois ?")); len(p) != 0 {
		t.Errorf("Vet(a fine wording) = %v", p)
	}
	if p := Vet(faq, nil, alt("salaire", "Quel est le type de contrat ?")); len(p) == 0 {
		t.Error("Vet(another entry's question) found nothing")
	}
	if p := Vet(faq, nil, alt("nope", "bonjour")); len(p) == 0 {
		t.Error("Vet(unknown entry) found nothing")
	}
}

func TestExport(t *testing.T) {
	_, data := load(t)
	alts := []store.Alternate{
		alt("salaire", "c'est payé combien par mois ?"),
		alt("teletravail", "peut-on bosser depuis chez soi : souvent ?"),
		alt("salaire", "Combien suis-je payé ?"), // in the file already
	}
	out, added, err := Export("testdata/faq.yaml", data, alts)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 {
		t.Fatalf("added %+v, want 2", added)
	}
	got := string(out)
	for _, want := range []string{
		"      # the word candidates use most\n      - Quelle est la rémunération ?\n      - c'est payé combien par mois ?\n\n    answer:",
		"      est-il possible ?\n    alternates:\n      - 'peut-on bosser depuis chez soi : souvent ?'\n    answer:",
		"# A small FAQ for the learn tests: comments must survive an export.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("export lacks %q:\n%s", want, got)
		}
	}
	// Only lines were added.
	if strings.Count(got, "\n") != strings.Count(string(data), "\n")+3 {
		t.Errorf("export changed more than 3 lines:\n%s", got)
	}
	// Exporting again adds nothing.
	again, added, err := Export("testdata/faq.yaml", out, alts)
	if err != nil || len(added) != 0 || string(again) != got {
		t.Errorf("second export added %+v, %v", added, err)
	}
	// A flow list is left for a person to edit.
	if _, _, err := Export("testdata/faq.yaml", data, []store.Alternate{alt("contrat", "quel contrat signe-t-on ?")}); err == nil {
		t.Error("export into a flow list succeeded")
	}
}
