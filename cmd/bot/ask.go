package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/betagouv/bin-bot/internal/answers"
)

// askJSON is the shape `bot ask --json` prints (CONTRACT.md).
type askJSON struct {
	Decision    answers.Decision `json:"decision"`
	EntryID     string           `json:"entry_id"`
	Question    string           `json:"question"`
	Score       float64          `json:"score"`
	Answer      string           `json:"answer"`
	FormURL     string           `json:"form_url"`
	Suggestions []suggestionJSON `json:"suggestions"`
	Parts       []partJSON       `json:"parts"`
	Lang        answers.Lang     `json:"lang"`
	Source      string           `json:"source,omitempty"`
	Link        linkJSON         `json:"link"`
}

type partJSON struct {
	EntryID  string  `json:"entry_id"`
	Question string  `json:"question"`
	Score    float64 `json:"score"`
}

type linkJSON struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

type suggestionJSON struct {
	EntryID  string  `json:"entry_id"`
	Question string  `json:"question"`
	Score    float64 `json:"score"`
	Answer   string  `json:"answer"`
}

func toJSON(r answers.Result) askJSON {
	out := askJSON{Decision: r.Decision, EntryID: r.EntryID, Question: r.Question, Score: round(r.Score),
		Answer: r.Answer, FormURL: r.FormURL, Suggestions: []suggestionJSON{}, Parts: []partJSON{}, Lang: r.Lang,
		Source: r.Source, Link: linkJSON{r.Link.Label, r.Link.URL}}
	for _, s := range r.Suggestions {
		out.Suggestions = append(out.Suggestions, suggestionJSON{s.EntryID, s.Question, round(s.Score), s.Answer})
	}
	for _, p := range r.Parts {
		out.Parts = append(out.Parts, partJSON{p.EntryID, p.Question, round(p.Score)})
	}
	return out
}

func round(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

func runAsk(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("ask")
	asJSON := fs.Bool("json", false, "print the CONTRACT.md JSON object")
	explain := fs.Bool("explain", false, "show how the question was read and the best entries' scores")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	q := question(fs.Args())
	if q == "" {
		fmt.Fprintln(c.stderr, "usage: bot ask [--json] QUESTION...")
		return fmt.Errorf("ask: no question: %w", errUsage)
	}
	m, err := c.cachedMatcher()
	if err != nil {
		return err
	}
	if *explain {
		fmt.Fprint(c.stdout, m.Explain(q, 5))
	}
	r := m.Match(q)
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(toJSON(r))
	}
	printResult(c.stdout, r)
	return nil
}

// printResult shows a result as a person reads it in a terminal.
func printResult(w io.Writer, r answers.Result) {
	switch {
	case r.SmallTalk != "":
		fmt.Fprintf(w, "[%s]\n", r.SmallTalk)
	case r.Decision == answers.Answer:
		fmt.Fprintf(w, "[answer %s, score %.2f] %s\n", r.EntryID, r.Score, r.Question)
	default:
		fmt.Fprintf(w, "[%s, score %.2f]\n", r.Decision, r.Score)
	}
	fmt.Fprintln(w, strings.TrimSpace(r.Answer))
	if r.Decision == answers.Suggest {
		for i, s := range r.Suggestions {
			fmt.Fprintf(w, "  %d. %s (%s, %.2f)\n", i+1, s.Question, s.EntryID, s.Score)
		}
	}
	if r.Source != "" {
		fmt.Fprintln(w, r.Source)
	}
	fmt.Fprintf(w, "[%s] %s\n", r.Link.Label, r.Link.URL)
}
