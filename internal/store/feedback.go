package store

import (
	"context"
	"fmt"
	"time"
)

// RecordFeedback keeps one vote per person and question; a new click
// replaces the old vote.
func (s *Store) RecordFeedback(ctx context.Context, questionID int64, userID string, up bool, at time.Time) error {
	_, err := s.Vote(ctx, questionID, userID, up, at)
	return err
}

// Vote is RecordFeedback telling whether the click changed what is kept:
// a first vote or a change of mind does, the same button clicked again
// does not (and leaves the vote's time alone).
func (s *Store) Vote(ctx context.Context, questionID int64, userID string, up bool, at time.Time) (changed bool, err error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO feedback (question_id, user_id, up, at)
		SELECT id, ?, ?, ? FROM questions WHERE id = ?
		ON CONFLICT (question_id, user_id) DO UPDATE SET up = excluded.up, at = excluded.at
		WHERE feedback.up <> excluded.up`),
		userID, up, millis(at), questionID)
	if err != nil {
		return false, fmt.Errorf("record feedback on question %d: %w", questionID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record feedback on question %d: %w", questionID, err)
	}
	return n > 0, nil
}

// Feedback counts the votes up and down.
func (s *Store) Feedback(ctx context.Context) (up, down int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN up THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN up THEN 0 ELSE 1 END), 0) FROM feedback`).Scan(&up, &down)
	if err != nil {
		return 0, 0, fmt.Errorf("count feedback: %w", err)
	}
	return up, down, nil
}
