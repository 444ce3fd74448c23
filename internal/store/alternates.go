package store

import (
	"context"
	"fmt"
	"time"
)

// Alternate is a candidate's wording that staff attached to an entry: the
// matcher reads it as one more phrasing of that entry.
type Alternate struct {
	ID         int64
	EntryID    string
	Text       string
	QuestionID int64 // the question it came from; 0 if typed by hand
	AddedBy    string
	AddedAt    time.Time
}

// AddAlternate stores an alternate; added is false when the entry already
// had this exact text.
func (s *Store) AddAlternate(ctx context.Context, a Alternate) (added bool, err error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO alternates (entry_id, text, question_id, added_by, added_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, text) DO NOTHING`),
		a.EntryID, a.Text, a.QuestionID, a.AddedBy, millis(a.AddedAt))
	if err != nil {
		return false, fmt.Errorf("add alternate to %s: %w", a.EntryID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add alternate to %s: %w", a.EntryID, err)
	}
	return n == 1, nil
}

// Alternates lists the stored alternates, oldest first.
func (s *Store) Alternates(ctx context.Context) ([]Alternate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, entry_id, text, question_id, added_by, added_at
		FROM alternates ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list alternates: %w", err)
	}
	defer rows.Close()
	var out []Alternate
	for rows.Next() {
		var a Alternate
		var at int64
		if err := rows.Scan(&a.ID, &a.EntryID, &a.Text, &a.QuestionID, &a.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("list alternates: %w", err)
		}
		a.AddedAt = fromMillis(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list alternates: %w", err)
	}
	return out, nil
}

// AlternatesVersion changes whenever an alternate is added or removed, so
// that replicas notice another's additions without reading them all.
func (s *Store) AlternatesVersion(ctx context.Context) (string, error) {
	var n, last int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM alternates`).Scan(&n, &last)
	if err != nil {
		return "", fmt.Errorf("alternates version: %w", err)
	}
	return fmt.Sprintf("%d:%d", n, last), nil
}

// Unanswered is a question the bot could not answer, or whose answer got 👎.
type Unanswered struct {
	ID          int64
	Text        string
	Channel     string
	ChannelType string
	Decision    string
	Down        bool // someone voted the answer down
	AskedAt     time.Time
}

// Unanswered lists the latest questions that fell back or got a 👎, newest
// first, leaving out those already attached to an entry or marked off
// topic by staff.
func (s *Store) Unanswered(ctx context.Context, limit int) ([]Unanswered, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT q.id, q.text, q.channel, q.channel_type, q.decision, q.asked_at,
		EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id AND NOT f.up)
		FROM questions q
		WHERE q.kind IN ('question', 'followup') AND q.small_talk = '' AND q.text <> ''
		AND (q.decision = 'fallback' OR EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id AND NOT f.up))
		AND NOT EXISTS (SELECT 1 FROM alternates a WHERE a.question_id = q.id)
		AND NOT EXISTS (SELECT 1 FROM off_topic o WHERE o.question_id = q.id)
		ORDER BY q.asked_at DESC, q.id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("list unanswered: %w", err)
	}
	defer rows.Close()
	var out []Unanswered
	for rows.Next() {
		var u Unanswered
		var at int64
		if err := rows.Scan(&u.ID, &u.Text, &u.Channel, &u.ChannelType, &u.Decision, &at, &u.Down); err != nil {
			return nil, fmt.Errorf("list unanswered: %w", err)
		}
		u.AskedAt = fromMillis(at)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list unanswered: %w", err)
	}
	return out, nil
}
