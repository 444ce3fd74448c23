package learn

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/betagouv/bin-bot/internal/store"
)

func TestDraftStubsAreEntriesToReview(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	out, err := DraftStubs([]store.Draft{
		{QuestionID: 7, Question: "Peut-on être  accompagné d'un élu ?", Answer: "Oui, *sur demande*.\nÉcrivez-nous.", AddedBy: "USTAFF", AddedAt: at},
		{QuestionID: 8, Question: "Peut-on être accompagné d'un élu ?", Answer: "Oui.", AddedBy: "USTAFF", AddedAt: at},
	})
	if err != nil {
		t.Fatal(err)
	}
	// One YAML list: pasted under entries: as it is.
	var docs []draftEntry
	if err := yaml.Unmarshal(out, &docs); err != nil {
		t.Fatalf("stubs do not parse: %v\n%s", err, out)
	}
	if len(docs) != 2 || docs[0].ID != "peut-etre-accompagne-elu" || docs[1].ID != "peut-etre-accompagne-elu-2" {
		t.Errorf("ids = %+v", docs)
	}
	if docs[0].Question != "Peut-on être accompagné d'un élu ?" || docs[0].Answer != "Oui, *sur demande*.\nÉcrivez-nous.\n" {
		t.Errorf("stub = %+v", docs[0])
	}
	if !strings.Contains(string(out), "# question 7, answered by USTAFF on 2026-12-01") {
		t.Errorf("stubs lack who answered:\n%s", out)
	}
}
