package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/betagouv/bin-bot/internal/paris"
)

// Paris is where the programme's days begin and end: stats periods and the
// retention purge count in its days.
var Paris = paris.Location

// Day returns the Paris midnight that starts t's day.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Paris)
}

// dayKey names a Paris day in daily_stats; ISO dates sort as days do.
func dayKey(t time.Time) string { return t.In(Paris).Format("2006-01-02") }

// Tally kinds: what the counts of a period are broken down by.
const (
	byDecision = "decision" // answer | suggest | fallback | pending | small_talk
	byEntry    = "entry"    // entries answered or picked
	byChannel  = "channel"  // channel id; "im" and "mpim" for direct messages
	byFeedback = "feedback" // up | down
)

// tally is counts by kind, then key.
type tally map[string]map[string]int

func (t tally) add(kind, key string, n int) {
	if t[kind] == nil {
		t[kind] = map[string]int{}
	}
	t[kind][key] += n
}

// Figures are the staff's numbers for one period. Questions counts what
// candidates typed, small talk (greetings, thanks) and suggestion clicks
// left out; the decisions split it, Pending being those not yet answered.
type Figures struct {
	From, To     time.Time // [From, To); From is zero for "all"
	Questions    int
	Answered     int
	Suggested    int
	Fallback     int
	Pending      int
	SmallTalk    int
	FeedbackUp   int
	FeedbackDown int
	Entries      []Count // most asked first
	Channels     []Count // busiest first
	// Handoffs are the questions handed to staff in the period, and how
	// many of them a person answered, how fast.
	Handoffs HandoffFigures
}

// Count is how many questions one entry or channel had.
type Count struct {
	Key string
	N   int
}

// Stats counts the questions asked in [from, to), where from and to are
// Paris midnights (from may be zero: since the start). Days the retention
// purge has emptied count from daily_stats, so old periods keep their
// figures.
func (s *Store) Stats(ctx context.Context, from, to time.Time) (Figures, error) {
	live, err := s.tally(ctx, s.db, from, to)
	if err != nil {
		return Figures{}, fmt.Errorf("stats: %w", err)
	}
	fromKey := ""
	if !from.IsZero() {
		fromKey = dayKey(from)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT kind, key, SUM(n) FROM daily_stats
		WHERE day >= ? AND day < ? GROUP BY kind, key`), fromKey, dayKey(to))
	if err != nil {
		return Figures{}, fmt.Errorf("stats: %w", err)
	}
	if err := scanTally(rows, live); err != nil {
		return Figures{}, fmt.Errorf("stats: %w", err)
	}
	d := live[byDecision]
	f := Figures{From: from, To: to,
		Answered: d["answer"], Suggested: d["suggest"], Fallback: d["fallback"], Pending: d["pending"],
		SmallTalk: d["small_talk"], FeedbackUp: live[byFeedback]["up"], FeedbackDown: live[byFeedback]["down"],
		Entries: ranked(live[byEntry]), Channels: ranked(live[byChannel])}
	f.Questions = f.Answered + f.Suggested + f.Fallback + f.Pending
	if f.Handoffs, err = s.HandoffStats(ctx, from, to); err != nil {
		return Figures{}, fmt.Errorf("stats: %w", err)
	}
	return f, nil
}

// ranked sorts counts, largest first, then by key for a stable output.
func ranked(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		if n > 0 {
			out = append(out, Count{k, n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// querier is *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// tally counts the rows of questions and feedback for questions asked in
// [from, to): what Stats shows and what the purge keeps of a day.
func (s *Store) tally(ctx context.Context, db querier, from, to time.Time) (tally, error) {
	t := tally{}
	span := []any{millis(from), millis(to)}
	queries := []string{
		`SELECT '` + byDecision + `', CASE WHEN small_talk <> '' OR decision = 'silent' THEN 'small_talk'
			WHEN decision = '' THEN 'pending' ELSE decision END, COUNT(*) FROM questions
			WHERE kind IN ('question', 'followup') AND asked_at >= ? AND asked_at < ? GROUP BY 2`,
		`SELECT '` + byEntry + `', entry_id, COUNT(*) FROM questions
			WHERE entry_id <> '' AND small_talk = '' AND kind <> 'staff_answer' AND asked_at >= ? AND asked_at < ? GROUP BY entry_id`,
		`SELECT '` + byChannel + `', CASE WHEN channel_type IN ('im', 'mpim') THEN channel_type ELSE channel END,
			COUNT(*) FROM questions
			WHERE kind IN ('question', 'followup') AND small_talk = '' AND decision <> 'silent'
			AND asked_at >= ? AND asked_at < ? GROUP BY 2`,
		`SELECT '` + byFeedback + `', CASE WHEN f.up THEN 'up' ELSE 'down' END, COUNT(*)
			FROM feedback f JOIN questions q ON q.id = f.question_id
			WHERE q.asked_at >= ? AND q.asked_at < ? GROUP BY 2`,
	}
	for _, query := range queries {
		rows, err := db.QueryContext(ctx, s.q(query), span...)
		if err != nil {
			return nil, err
		}
		if err := scanTally(rows, t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func scanTally(rows *sql.Rows, t tally) error {
	defer rows.Close()
	for rows.Next() {
		var kind, key string
		var n int
		if err := rows.Scan(&kind, &key, &n); err != nil {
			return err
		}
		t.add(kind, key, n)
	}
	return rows.Err()
}
