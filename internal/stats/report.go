package stats

import (
	"context"
	"fmt"

	"github.com/betagouv/bin-bot/internal/store"
)

// Report is a period's figures and, but for "all", the previous period's.
type Report struct {
	Period   Period
	Current  store.Figures
	Previous *store.Figures
}

// Build reads the figures of p and of the period before it.
func Build(ctx context.Context, st *store.Store, p Period) (Report, error) {
	cur, err := st.Stats(ctx, p.From, p.To)
	if err != nil {
		return Report{}, err
	}
	r := Report{Period: p, Current: cur}
	if prev, ok := p.Previous(); ok {
		f, err := st.Stats(ctx, prev.From, prev.To)
		if err != nil {
			return Report{}, fmt.Errorf("previous period: %w", err)
		}
		r.Previous = &f
	}
	return r, nil
}

// top is how many entries and channels a report lists.
const top = 5

// Figures is the JSON form of one period; its first six keys are the
// CONTRACT's.
type Figures struct {
	Questions    int     `json:"questions"`
	Answered     int     `json:"answered"`
	Suggested    int     `json:"suggested"`
	Fallback     int     `json:"fallback"`
	FeedbackUp   int     `json:"feedback_up"`
	FeedbackDown int     `json:"feedback_down"`
	Pending      int     `json:"pending"`
	SmallTalk    int     `json:"small_talk"`
	AnsweredRate float64 `json:"answered_rate"`
	SuggestRate  float64 `json:"suggested_rate"`
	FallbackRate float64 `json:"fallback_rate"`
	From         string  `json:"from,omitempty"` // first day, YYYY-MM-DD
	To           string  `json:"to"`             // last day, included
	TopEntries   []Count `json:"top_entries"`
	TopChannels  []Count `json:"busiest_channels"`
	// Questions handed to staff, those a person answered, and the median
	// wait for that answer.
	Handoffs             int     `json:"handoffs"`
	HandoffsAnswered     int     `json:"handoffs_answered"`
	HandoffMedianSeconds float64 `json:"handoff_answer_median_seconds"`
}

// Count is one line of a top list.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// JSONReport is what `bot stats --json` prints.
type JSONReport struct {
	Period string `json:"period"`
	Figures
	Previous *Figures `json:"previous,omitempty"`
}

// JSON gives the report in its JSON form.
func (r Report) JSON() JSONReport {
	out := JSONReport{Period: r.Period.Name, Figures: jsonFigures(r.Current)}
	if r.Previous != nil {
		prev := jsonFigures(*r.Previous)
		out.Previous = &prev
	}
	return out
}

func jsonFigures(f store.Figures) Figures {
	out := Figures{Questions: f.Questions, Answered: f.Answered, Suggested: f.Suggested, Fallback: f.Fallback,
		FeedbackUp: f.FeedbackUp, FeedbackDown: f.FeedbackDown, Pending: f.Pending, SmallTalk: f.SmallTalk,
		AnsweredRate: rate(f.Answered, f.Questions), SuggestRate: rate(f.Suggested, f.Questions),
		FallbackRate: rate(f.Fallback, f.Questions), To: f.To.AddDate(0, 0, -1).In(store.Paris).Format("2006-01-02"),
		TopEntries: counts(f.Entries), TopChannels: counts(f.Channels),
		Handoffs: f.Handoffs.Opened, HandoffsAnswered: f.Handoffs.Answered,
		HandoffMedianSeconds: f.Handoffs.Median.Seconds()}
	if !f.From.IsZero() {
		out.From = f.From.In(store.Paris).Format("2006-01-02")
	}
	return out
}

func counts(cs []store.Count) []Count {
	out := []Count{}
	for i, c := range cs {
		if i == top {
			break
		}
		out = append(out, Count{c.Key, c.N})
	}
	return out
}

// rate is n/of rounded to a tenth of a percent, 0 when of is 0.
func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(float64(n)*1000/float64(of)+0.5)) / 10
}
