package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind tells a question typed by a person from a suggestion they clicked.
type Kind string

// The kinds of recorded questions.
const (
	KindQuestion Kind = "question"
	KindPick     Kind = "pick"
	// KindFollowUp is a message in a thread where its author asked the
	// bot before, neither a mention nor the thread's first question: it is
	// answered only when the bot knows the answer, never with small talk
	// or the fallback (settled "silent" instead).
	KindFollowUp Kind = "followup"
	// KindStaffAnswer is a staff member's answer typed in the bot's modal,
	// posted in the candidate's thread as any reply is; Text is the
	// answer, UserID the staff member, ParentID the candidate's question.
	// It is not a candidate's question: stats and lists leave it out.
	KindStaffAnswer Kind = "staff_answer"
)

// DecisionSilent is the outcome of a follow-up settled without a reply.
const DecisionSilent = "silent"

// Reply states of a question.
const (
	Pending   = "pending"
	Delivered = "delivered"
	Failed    = "failed"
)

// Question is one question to answer and the state of its reply.
type Question struct {
	ID          int64
	EventID     string // unique: a retried event is the same question
	Kind        Kind
	ParentID    int64  // pick: the question whose suggestion was clicked
	Text        string // question: the words asked; pick: ""
	UserID      string
	Channel     string
	ChannelType string
	TS          string // the message's own ts, "" for picks; unique per channel
	ThreadTS    string // where the reply goes
	EntryID     string // pick: the entry chosen; else set once answered
	AskedAt     time.Time
	Attempts    int // posts tried so far
	// HeldUntil, when set at RecordQuestion, holds the question for the
	// caller's own worker (as Claim would), saving a claim per question.
	HeldUntil time.Time
}

// Outcome is what the matcher decided for a question.
type Outcome struct {
	Decision  string
	EntryID   string
	Score     float64
	SmallTalk string
}

// RecordQuestion stores a question before it is acknowledged. It returns
// fresh=false, and records nothing, when the event_id or the message
// (channel and ts) was seen before: Slack's retries and the message and
// app_mention copies of one mention.
func (s *Store) RecordQuestion(ctx context.Context, q Question) (id int64, fresh bool, err error) {
	return s.recordBatched(ctx, q)
}

// questionArgs are a question's values as the insert takes them.
func questionArgs(q Question) (channel, ts any, kind Kind, parent any, at int64) {
	if q.TS != "" { // clicks have no message of their own: NULL
		channel, ts = q.Channel, q.TS
	}
	kind = q.Kind
	if kind == "" {
		kind = KindQuestion
	}
	if q.ParentID != 0 {
		parent = q.ParentID
	}
	return channel, ts, kind, parent, millis(q.AskedAt)
}

// insertQuestion records the event and its question in tx; fresh is false
// when the event (or its channel and ts) was seen before.
func (s *Store) insertQuestion(ctx context.Context, tx *sql.Tx, q Question) (id int64, fresh bool, err error) {
	channel, ts, kind, parent, at := questionArgs(q)
	res, err := tx.StmtContext(ctx, s.batch.insertEvent).ExecContext(ctx, q.EventID, channel, ts, at)
	if err != nil {
		return 0, false, fmt.Errorf("record question: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	res, err = tx.StmtContext(ctx, s.batch.insertQuestion).ExecContext(ctx,
		q.EventID, string(kind), parent, q.Text, q.UserID, q.Channel, q.ChannelType, q.ThreadTS, q.EntryID, at, at,
		millis(q.HeldUntil), s.holder(q.HeldUntil))
	if err != nil {
		return 0, false, fmt.Errorf("record question: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, false, fmt.Errorf("record question: %w", err)
	}
	return id, true, nil
}

// AskedInThread reports whether userID asked the bot a question in this
// thread, so that their follow-ups are answered too.
func (s *Store) AskedInThread(ctx context.Context, channel, threadTS, userID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM questions
		WHERE channel = ? AND thread_ts = ? AND user_id = ? AND kind IN ('question', 'followup')`), channel, threadTS, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up thread: %w", err)
	}
	return n > 0, nil
}

const questionColumns = `id, event_id, kind, COALESCE(parent_id, 0), text, user_id, channel, channel_type,
	thread_ts, entry_id, asked_at, attempts`

func scanQuestion(row interface{ Scan(...any) error }) (Question, error) {
	var q Question
	var kind string
	var asked int64
	err := row.Scan(&q.ID, &q.EventID, &kind, &q.ParentID, &q.Text, &q.UserID, &q.Channel, &q.ChannelType,
		&q.ThreadTS, &q.EntryID, &asked, &q.Attempts)
	q.Kind, q.AskedAt = Kind(kind), fromMillis(asked)
	return q, err
}

// Question returns one recorded question.
func (s *Store) Question(ctx context.Context, id int64) (Question, error) {
	q, err := scanQuestion(s.db.QueryRowContext(ctx, s.q(`SELECT `+questionColumns+` FROM questions WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Question{}, fmt.Errorf("question %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Question{}, fmt.Errorf("question %d: %w", id, err)
	}
	return q, nil
}

// Claim hands out up to limit pending questions that are due, oldest first,
// and holds them for lease: another claim skips them until the lease runs
// out, their holder dies, or they are settled (Delivered, Retry, Fail,
// Release). A process that dies holding questions leaves them to be
// claimed again at once on PostgreSQL (liveness.go), and at the next Open
// on SQLite; one that lives renews its leases (Renew).
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Question, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`UPDATE questions SET locked_until = ?, locked_by = ?
		WHERE id IN (SELECT id FROM questions
			WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until <= ?`+s.d.orHolderDead+`)
			ORDER BY next_attempt_at, id LIMIT ?`+s.d.skipLocked+`)
		RETURNING `+questionColumns),
		millis(now.Add(lease)), s.owner, millis(now), millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim questions: %w", err)
	}
	defer rows.Close()
	var out []Question
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, fmt.Errorf("claim questions: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim questions: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Delivered records that the reply was posted.
func (s *Store) Delivered(ctx context.Context, id int64, o Outcome, replyTS string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE questions SET status = 'delivered', decision = ?, entry_id = ?,
		score = ?, small_talk = ?, attempts = attempts + 1, locked_until = 0, locked_by = '', last_error = '', reply_ts = ?, replied_at = ?
		WHERE id = ?`), o.Decision, o.EntryID, o.Score, o.SmallTalk, replyTS, millis(at), id)
	if err != nil {
		return fmt.Errorf("mark question %d delivered: %w", id, err)
	}
	return nil
}

// Retry puts the question back, due again at next, after a passing error.
func (s *Store) Retry(ctx context.Context, id int64, o Outcome, next time.Time, cause string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE questions SET decision = ?, entry_id = ?, score = ?, small_talk = ?,
		attempts = attempts + 1, next_attempt_at = ?, locked_until = 0, locked_by = '', last_error = ? WHERE id = ?`),
		o.Decision, o.EntryID, o.Score, o.SmallTalk, millis(next), cause, id)
	if err != nil {
		return fmt.Errorf("reschedule question %d: %w", id, err)
	}
	return nil
}

// Fail records that the reply cannot be posted (not_in_channel, invalid_auth...);
// staff see these questions later.
func (s *Store) Fail(ctx context.Context, id int64, o Outcome, cause string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE questions SET status = 'failed', decision = ?, entry_id = ?, score = ?,
		small_talk = ?, attempts = attempts + 1, locked_until = 0, locked_by = '', last_error = ? WHERE id = ?`),
		o.Decision, o.EntryID, o.Score, o.SmallTalk, cause, id)
	if err != nil {
		return fmt.Errorf("mark question %d failed: %w", id, err)
	}
	return nil
}

// Release gives claimed questions back untouched, e.g. at shutdown, so that
// the next start (or another replica) answers them at once. Questions
// another holder took since are left alone.
func (s *Store) Release(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args = append(args, s.owner)
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE questions SET locked_until = 0, locked_by = ''
		WHERE status = 'pending' AND id IN (`+marks+`) AND locked_by = ?`), args...)
	if err != nil {
		return fmt.Errorf("release questions: %w", err)
	}
	return nil
}

// Renew extends the leases this Store holds on ids until until, and
// returns those it still holds: a question missing from the answer was
// settled, or taken by another replica after its lease ran out, and must
// not be posted from here.
func (s *Store) Renew(ctx context.Context, ids []int64, until time.Time) ([]int64, error) {
	var kept []int64
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		args := []any{millis(until)}
		for _, id := range batch {
			args = append(args, id)
		}
		args = append(args, s.owner)
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(batch)), ", ")
		rows, err := s.db.QueryContext(ctx, s.q(`UPDATE questions SET locked_until = ?
			WHERE status = 'pending' AND id IN (`+marks+`) AND locked_by = ? RETURNING id`), args...)
		if err != nil {
			return kept, fmt.Errorf("renew leases: %w", err)
		}
		renewed, err := scanIDs(rows)
		kept = append(kept, renewed...)
		if err != nil {
			return kept, fmt.Errorf("renew leases: %w", err)
		}
	}
	return kept, nil
}

// holder is who holds a question recorded with heldUntil: this Store, or
// nobody.
func (s *Store) holder(heldUntil time.Time) string {
	if heldUntil.IsZero() {
		return ""
	}
	return s.owner
}

// releaseAll gives back every held question: what a previous process held
// when it died is due at once. Only for a database no other process uses.
func (s *Store) releaseAll(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE questions SET locked_until = 0, locked_by = '' WHERE status = 'pending' AND locked_until <> 0`); err != nil {
		return fmt.Errorf("release questions: %w", err)
	}
	return nil
}

// Counts tells how many questions are in each reply state.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM questions GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count questions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{Pending: 0, Delivered: 0, Failed: 0}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count questions: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// Pending counts the questions not yet answered, held or not.
func (s *Store) Pending(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions WHERE status = 'pending'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pending questions: %w", err)
	}
	return n, nil
}

// scanIDs reads a column of ids (an UPDATE … RETURNING) and closes rows.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
