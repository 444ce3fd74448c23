package store

import (
	"context"
	"fmt"
	"time"
)

// OffTopic is a candidate's message staff marked as outside the
// programme: the matcher learns it as an out-of-scope phrasing.
type OffTopic struct {
	QuestionID int64
	Text       string
	AddedBy    string
	AddedAt    time.Time
}

// MarkOffTopic settles the question's handoff as off topic and keeps its
// text for training; changed is false when the handoff was settled before.
func (s *Store) MarkOffTopic(ctx context.Context, o OffTopic) (changed bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("mark question %d off topic: %w", o.QuestionID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE handoffs SET status = 'off_topic', claimed_by = ?, version = version + 1
		WHERE question_id = ? AND status IN ('waiting', 'claimed')`), o.AddedBy, o.QuestionID)
	if err != nil {
		return false, fmt.Errorf("mark question %d off topic: %w", o.QuestionID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO off_topic (question_id, text, added_by, added_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (question_id) DO NOTHING`), o.QuestionID, o.Text, o.AddedBy, millis(o.AddedAt)); err != nil {
		return false, fmt.Errorf("mark question %d off topic: %w", o.QuestionID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("mark question %d off topic: %w", o.QuestionID, err)
	}
	return true, nil
}

// OffTopicTexts lists the texts staff marked off topic, oldest first.
func (s *Store) OffTopicTexts(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT text FROM off_topic ORDER BY added_at, question_id`)
	if err != nil {
		return nil, fmt.Errorf("list off-topic texts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("list off-topic texts: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// OffTopicVersion changes whenever a text is marked off topic, so that
// replicas notice another's marks without reading them all.
func (s *Store) OffTopicVersion(ctx context.Context) (string, error) {
	var n, last int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(added_at), 0) FROM off_topic`).Scan(&n, &last)
	if err != nil {
		return "", fmt.Errorf("off-topic version: %w", err)
	}
	return fmt.Sprintf("%d:%d", n, last), nil
}
