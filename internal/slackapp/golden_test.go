package slackapp

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestReplyGolden pins the Block Kit of each kind of reply; refresh with
// go test ./internal/slackapp -run Golden -update, and read the diff.
func TestReplyGolden(t *testing.T) {
	m := mustLoad(t)
	// Results written out, so that matching changes in package answers do
	// not move these files.
	fallback := answers.Result{Decision: answers.Fallback, FormURL: formURL,
		Answer: "Je n'ai pas de réponse vérifiée à cette question.\nLe formulaire de candidature est ici : " + formURL}
	cases := []struct {
		name string
		q    store.Question
		r    answers.Result
	}{
		{"answer", store.Question{ID: 1, ChannelType: "channel"}, answers.Result{Decision: answers.Answer, EntryID: "salaire",
			Question: "Quel est le salaire ?", Score: 0.9, Answer: "Le salaire est *de 3 500 € à 4 800 €*.", FormURL: formURL,
			Source: "Source : annonce du programme, « Conditions »",
			Link:   answers.Link{Label: "Voir l'annonce", URL: "https://example.gouv.fr/annonce"}}},
		{"answer_en", store.Question{ID: 6, ChannelType: "channel"}, answers.Result{Decision: answers.Answer, EntryID: "salaire",
			Question: "What is the salary?", Score: 0.9, Answer: "The salary ranges *from €3,500 to €4,800*.", FormURL: formURL,
			Lang: answers.English, Source: "Source: programme announcement, “Conditions”",
			Link: answers.Link{Label: "See the announcement", URL: "https://example.gouv.fr/annonce"}}},
		{"suggest", store.Question{ID: 2, ChannelType: "channel"}, answers.Result{Decision: answers.Suggest, Score: 0.4,
			Answer:  "Votre question porte-t-elle sur l'un de ces points ?\n• Quel est le salaire ?\n• Quel est le type de contrat ?",
			FormURL: formURL, Suggestions: []answers.Suggestion{
				{EntryID: "salaire", Question: "Quel est le salaire ?", Score: 0.4},
				{EntryID: "contrat", Question: "Quel est le type de contrat ?", Score: 0.35}}}},
		{"fallback_channel", store.Question{ID: 3, ChannelType: "channel"}, fallback},
		{"fallback_im", store.Question{ID: 4, ChannelType: "im"}, fallback},
		// "salaire ?" in a channel: the question to ask in full, not the discreet line.
		{"fallback_one_word", store.Question{ID: 7, ChannelType: "channel"}, answers.Result{Decision: answers.Fallback,
			Question: "Quel est le salaire ?", FormURL: formURL,
			Answer: "Votre message tient en un mot. Si c'est « Quel est le salaire ? », posez-la en entier et je vous réponds."}},
		{"small_talk", store.Question{ID: 5, ChannelType: "im"}, answers.Result{Decision: answers.Fallback, SmallTalk: "greeting",
			Answer: "Bonjour ! Posez-moi votre question sur la BIN.", FormURL: formURL}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := compose(c.q, c.r, m)
			got, err := json.MarshalIndent(map[string]any{"text": msg.text, "blocks": msg.blocks}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if string(want) != string(got)+"\n" {
				t.Errorf("%s differs:\n%s", path, got)
			}
		})
	}
}
