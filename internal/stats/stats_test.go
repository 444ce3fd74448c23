package stats

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2021, 12, 7, 23, 30, 0, 0, time.UTC) // already the 8th in Paris
	cases := []struct {
		in, name, from, to, prevFrom string
	}{
		{"", "7d", "2021-12-02", "2021-12-09", "2021-11-25"},
		{"today", "today", "2021-12-08", "2021-12-09", "2021-12-07"},
		{"30D", "30d", "2021-11-09", "2021-12-09", "2021-10-10"},
		{"all", "all", "", "2021-12-09", ""},
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(store.Paris).Format("2006-01-02")
	}
	for _, c := range cases {
		p, err := ParsePeriod(c.in, now)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", c.in, err)
		}
		prev, _ := p.Previous()
		if p.Name != c.name || day(p.From) != c.from || day(p.To) != c.to || day(prev.From) != c.prevFrom {
			t.Errorf("ParsePeriod(%q) = %s %s..%s, previous from %s", c.in, p.Name, day(p.From), day(p.To), day(prev.From))
		}
	}
	if _, err := ParsePeriod("week", now); err == nil {
		t.Error("ParsePeriod(week) succeeded")
	}
}

func sample() Report {
	p, _ := ParsePeriod("7d", time.Date(2021, 12, 8, 12, 0, 0, 0, store.Paris))
	prev, _ := p.Previous()
	return Report{Period: p,
		Current: store.Figures{From: p.From, To: p.To, Questions: 120, Answered: 94, Suggested: 14, Fallback: 12,
			SmallTalk: 18, FeedbackUp: 30, FeedbackDown: 4,
			Entries:  []store.Count{{Key: "salaire", N: 22}, {Key: "teletravail", N: 15}},
			Channels: []store.Count{{Key: "im", N: 70}, {Key: "C0BIN", N: 50}},
			Handoffs: store.HandoffFigures{Opened: 16, Answered: 12, Median: 754 * time.Second}},
		Previous: &store.Figures{From: prev.From, To: prev.To, Questions: 104, Answered: 78, Suggested: 13,
			Fallback: 13, FeedbackUp: 25, FeedbackDown: 6}}
}

func TestText(t *testing.T) {
	got := sample().Text(Slack)
	for _, want := range []string{
		"*Questions des 7 derniers jours* (02/12 → 08/12 ; avant : 25/11 → 01/12)",
		"• Questions : *120* (avant 104, +15 %)",
		"• Répondues : 78 % (94) · avant 75 %",
		"• Sans réponse : 10 % (12) · avant 12 %",
		"• Avis : 👍 30 · 👎 4 (avant 👍 25 · 👎 6)",
		"salaire 22 · teletravail 15",
		"messages privés 70 · <#C0BIN> 50",
		"• Confiées à l'équipe : 16, dont 75 % répondues par une personne (délai médian 12 min)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Slack text lacks %q:\n%s", want, got)
		}
	}
	if plain := sample().Text(Plain); strings.Contains(plain, "*") || !strings.Contains(plain, "C0BIN 50") {
		t.Errorf("plain text:\n%s", plain)
	}
}

func TestJSONHasTheContractKeys(t *testing.T) {
	data, err := json.Marshal(sample().JSON())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(data, &m)
	for _, k := range []string{"questions", "answered", "suggested", "fallback", "feedback_up", "feedback_down",
		"handoffs", "handoffs_answered", "handoff_answer_median_seconds"} {
		if _, ok := m[k].(float64); !ok {
			t.Errorf("JSON lacks number %q: %s", k, data)
		}
	}
	if m["handoffs"] != 16.0 || m["handoffs_answered"] != 12.0 || m["handoff_answer_median_seconds"] != 754.0 {
		t.Errorf("handoff figures in JSON = %s", data)
	}
	if m["answered_rate"] != 78.3 || m["from"] != "2021-12-02" || m["to"] != "2021-12-08" {
		t.Errorf("JSON = %s", data)
	}
	if prev, ok := m["previous"].(map[string]any); !ok || prev["questions"] != 104.0 {
		t.Errorf("previous = %v", m["previous"])
	}
}
