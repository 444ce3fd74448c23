package slackapp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// bigFAQ has 40 entries in one topic (more than an actions block holds),
// 20 without a topic, and questions longer than a button's text.
func bigFAQ(t *testing.T) *answers.Matcher {
	t.Helper()
	var b strings.Builder
	b.WriteString("form_url: https://example.gouv.fr/candidater\nmessages:\n  fallback: Rien.\n  fallback_short: Rien.\n" +
		"  suggest_intro: Peut-être ?\n  source_line: \"Source : {{sections}}\"\n  button_apply: Postuler\n" +
		"  button_announcement: Voir l'annonce\n  part_not_understood: \"{{part}}\"\nentries:\n")
	for i := range 60 {
		topic := "postes"
		if i >= 40 {
			topic = ""
		}
		fmt.Fprintf(&b, "  - id: entree-%d\n    topic: %q\n    question: \"Question numéro %d sur un sujet %s, posée avec beaucoup de mots pour dépasser la limite ?\"\n"+
			"    answer: \"Réponse %d.\"\n", i, topic, i, strings.Repeat("très ", 5), i)
	}
	faq, err := answers.Parse("big.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := answers.NewMatcher(faq)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A large FAQ and a long queue of long questions stay within Block Kit's
// limits: 100 blocks, 3000 characters a section, 25 buttons a block, 75
// characters a button.
func TestHomeStaysWithinBlockKitLimits(t *testing.T) {
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var mp atomic.Pointer[answers.Matcher]
	mp.Store(bigFAQ(t))
	var waiting []store.Handoff
	for i := range 30 {
		waiting = append(waiting, store.Handoff{QuestionID: int64(i + 1), Text: strings.Repeat("<long> & ", 800), UserID: "U1"})
	}
	h := NewHome(HomeDeps{Matcher: &mp, Store: st, StaffIDs: map[string]bool{"USTAFF": true},
		Waiting: func(_ context.Context, limit int) ([]store.Handoff, error) {
			return waiting[:min(limit, len(waiting))], nil
		}})
	view, _ := h.view(t.Context(), "USTAFF")
	data, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Blocks []struct {
			Type     string                 `json:"type"`
			BlockID  string                 `json:"block_id"`
			Text     *struct{ Text string } `json:"text"`
			Elements []struct {
				Type string `json:"type"`
				Text any    `json:"text"` // a text object on a button, a string in a context
			} `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Blocks) > maxHomeBlocks {
		t.Errorf("%d blocks", len(v.Blocks))
	}
	buttons, waitingShown, ids := 0, 0, map[string]bool{}
	for _, b := range v.Blocks {
		if b.BlockID != "" {
			if ids[b.BlockID] {
				t.Errorf("block id %q twice", b.BlockID)
			}
			ids[b.BlockID] = true
		}
		if b.Type == "section" && b.Text != nil && utf8.RuneCountInString(b.Text.Text) > maxSectionText {
			t.Errorf("section %s of %d characters", b.BlockID, utf8.RuneCountInString(b.Text.Text))
		}
		if strings.HasPrefix(b.BlockID, "waiting-") && !strings.HasPrefix(b.BlockID, "waiting-actions") && b.BlockID != "waiting-title" && b.BlockID != "waiting-more" {
			waitingShown++
		}
		if b.Type == "actions" && len(b.Elements) > maxActionItems {
			t.Errorf("actions %s holds %d elements", b.BlockID, len(b.Elements))
		}
		for _, e := range b.Elements {
			if e.Type == "button" {
				if strings.HasPrefix(b.BlockID, "faq-") {
					buttons++
				}
				text, _ := e.Text.(map[string]any)["text"].(string)
				if n := utf8.RuneCountInString(text); n > maxButtonText || n == 0 {
					t.Errorf("button of %d characters", n)
				}
			}
		}
	}
	if buttons != 60 {
		t.Errorf("%d FAQ buttons, want all 60", buttons)
	}
	if waitingShown != maxWaitingShown || !ids["waiting-more"] {
		t.Errorf("%d waiting questions shown (more: %v), want %d and a note", waitingShown, ids["waiting-more"], maxWaitingShown)
	}
	if !strings.Contains(string(data), "Questions en attente de l'équipe (10+)") {
		t.Error("the count does not say there are more")
	}
}
