package store

import (
	"context"
	"database/sql"

	"fmt"
	"time"
)

// Purge deletes the questions asked before the Paris day of cutoff, with
// their feedback and events, after adding their counts to daily_stats: the
// text and user ids go, the figures stay. It works a day per transaction,
// so a purge cut short keeps every day whole, and returns how many
// questions it deleted. Replicas purging at once take turns.
func (s *Store) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	end := Day(cutoff)
	total := 0
	for {
		n, more, err := s.purgeOneDay(ctx, end)
		total += n
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		if !more {
			return total, nil
		}
	}
}

// purgeOneDay purges the oldest day before end, if any.
func (s *Store) purgeOneDay(ctx context.Context, end time.Time) (n int, more bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	if s.d.txLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.txLock); err != nil {
			return 0, false, err
		}
	}
	var oldest sql.NullInt64
	err = tx.QueryRowContext(ctx, s.q(`SELECT MIN(asked_at) FROM questions WHERE asked_at < ?`), millis(end)).Scan(&oldest)
	if err != nil || !oldest.Valid {
		// Nothing left to purge but events without a question (none are
		// written today, older versions may have).
		if err == nil {
			_, err = tx.ExecContext(ctx, s.q(`DELETE FROM events WHERE seen_at < ?
				AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.event_id = events.event_id)`), millis(end))
		}
		if err == nil {
			err = tx.Commit()
		}
		return 0, false, err
	}
	from := Day(fromMillis(oldest.Int64))
	to := from.AddDate(0, 0, 1)
	if to.After(end) {
		to = end
	}
	t, err := s.tally(ctx, tx, from, to)
	if err != nil {
		return 0, false, err
	}
	day := dayKey(from)
	for kind, keys := range t {
		for key, k := range keys {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO daily_stats (day, kind, key, n) VALUES (?, ?, ?, ?)
				ON CONFLICT (day, kind, key) DO UPDATE SET n = daily_stats.n + excluded.n`), day, kind, key, k); err != nil {
				return 0, false, err
			}
		}
	}
	span := []any{millis(from), millis(to)}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM feedback WHERE question_id IN
		(SELECT id FROM questions WHERE asked_at >= ? AND asked_at < ?)`), span...); err != nil {
		return 0, false, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM handoffs WHERE question_id IN
		(SELECT id FROM questions WHERE asked_at >= ? AND asked_at < ?)`), span...); err != nil {
		return 0, false, err
	}
	res, err := tx.ExecContext(ctx, s.q(`DELETE FROM questions WHERE asked_at >= ? AND asked_at < ?`), span...)
	if err != nil {
		return 0, false, err
	}
	deleted, err := res.RowsAffected()
	if err != nil {
		return 0, false, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM events WHERE seen_at < ?
		AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.event_id = events.event_id)`), millis(to)); err != nil {
		return 0, false, err
	}
	// Who wrote in a thread matters while the bot may answer in it.
	if _, err := tx.ExecContext(ctx, `DELETE FROM thread_people WHERE NOT EXISTS (SELECT 1 FROM questions q
		WHERE q.channel = thread_people.channel AND q.thread_ts = thread_people.thread_ts)`); err != nil {
		return 0, false, err
	}
	if err := tx.Commit(); err != nil {
		return 0, false, err
	}
	return int(deleted), true, nil
}
