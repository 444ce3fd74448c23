package store

import (
	"context"
	"fmt"
	"time"
)

// Draft is a question and the answer staff gave it through the bot, kept
// to become an FAQ entry once reviewed (bot learn --drafts).
type Draft struct {
	ID         int64
	QuestionID int64
	Question   string
	Answer     string
	AddedBy    string
	AddedAt    time.Time
}

// AddDraft keeps a draft entry; one per question, the first kept.
func (s *Store) AddDraft(ctx context.Context, d Draft) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO drafts (question_id, question, answer, added_by, added_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (question_id) DO NOTHING`),
		d.QuestionID, d.Question, d.Answer, d.AddedBy, millis(d.AddedAt))
	if err != nil {
		return fmt.Errorf("keep draft of question %d: %w", d.QuestionID, err)
	}
	return nil
}

// Drafts lists the kept drafts, oldest first.
func (s *Store) Drafts(ctx context.Context) ([]Draft, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, question_id, question, answer, added_by, added_at FROM drafts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var d Draft
		var at int64
		if err := rows.Scan(&d.ID, &d.QuestionID, &d.Question, &d.Answer, &d.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("list drafts: %w", err)
		}
		d.AddedAt = fromMillis(at)
		out = append(out, d)
	}
	return out, rows.Err()
}
