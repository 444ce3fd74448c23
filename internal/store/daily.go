package store

import (
	"context"
	"fmt"
	"time"
)

// DayDecisions are the questions of one Paris day by what the bot did
// with them, counted as Stats counts them (small talk and picks left out).
type DayDecisions struct {
	Day       time.Time // Paris midnight
	Answered  int
	Suggested int
	Fallback  int
	Pending   int
}

// Questions is the day's questions, all decisions together.
func (d DayDecisions) Questions() int { return d.Answered + d.Suggested + d.Fallback + d.Pending }

// DailyDecisions lists every Paris day of [from, to), days without a
// question included, oldest first; from and to are Paris midnights. Days
// the retention purge has emptied count from daily_stats, as in Stats.
func (s *Store) DailyDecisions(ctx context.Context, from, to time.Time) ([]DayDecisions, error) {
	from, to = Day(from), Day(to)
	if !from.Before(to) {
		return nil, fmt.Errorf("daily decisions: empty range %s to %s", dayKey(from), dayKey(to))
	}
	var days []DayDecisions
	index := map[string]int{}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		index[dayKey(d)] = len(days)
		days = append(days, DayDecisions{Day: d})
	}
	add := func(day, decision string, n int) {
		i, ok := index[day]
		if !ok {
			return
		}
		switch decision {
		case "answer":
			days[i].Answered += n
		case "suggest":
			days[i].Suggested += n
		case "fallback":
			days[i].Fallback += n
		case "pending":
			days[i].Pending += n
		}
	}
	// Counted by UTC hour in SQL, then by Paris day here: Paris is a whole
	// number of hours from UTC, so an hour never straddles two of its days,
	// and the query stays the same on both backends.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT asked_at / 3600000, CASE WHEN decision = '' THEN 'pending'
		ELSE decision END, COUNT(*) FROM questions
		WHERE kind = 'question' AND small_talk = '' AND asked_at >= ? AND asked_at < ? GROUP BY 1, 2`),
		millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("daily decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var hour int64
		var decision string
		var n int
		if err := rows.Scan(&hour, &decision, &n); err != nil {
			return nil, fmt.Errorf("daily decisions: %w", err)
		}
		add(dayKey(time.UnixMilli(hour*3600000)), decision, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("daily decisions: %w", err)
	}
	purged, err := s.db.QueryContext(ctx, s.q(`SELECT day, key, n FROM daily_stats
		WHERE kind = ? AND day >= ? AND day < ?`), byDecision, dayKey(from), dayKey(to))
	if err != nil {
		return nil, fmt.Errorf("daily decisions: %w", err)
	}
	defer purged.Close()
	for purged.Next() {
		var day, decision string
		var n int
		if err := purged.Scan(&day, &decision, &n); err != nil {
			return nil, fmt.Errorf("daily decisions: %w", err)
		}
		add(day, decision, n)
	}
	if err := purged.Err(); err != nil {
		return nil, fmt.Errorf("daily decisions: %w", err)
	}
	return days, nil
}
