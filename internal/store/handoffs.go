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

// Reasons a question is handed to staff.
const (
	ReasonFallback   = "fallback"
	ReasonThumbsDown = "thumbs_down"
)

// Handoff states.
const (
	HandoffWaiting  = "waiting"
	HandoffClaimed  = "claimed"
	HandoffAnswered = "answered"
	HandoffOffTopic = "off_topic"
)

// Handoff is a question handed to staff, and its card in the staff channel.
type Handoff struct {
	QuestionID                      int64
	Reason                          string // "fallback" | "thumbs_down"
	Status                          string // "waiting" | "claimed" | "answered" | "off_topic"
	Text, UserID, Channel, ThreadTS string // the candidate's question
	TS                              string // the candidate's message, for its permalink
	ChannelType                     string
	Permalink                       string
	CardChannel, CardTS             string
	ClaimedBy, AnsweredBy           string
	CreatedAt, AnsweredAt           time.Time
	// Version is the state the card must show; Attempts counts the claims
	// since the card last settled: past 1, an earlier claim may have
	// posted it.
	Version  int
	Attempts int
}

// OpenHandoff hands question qid to staff; opened is false when it was
// handed over before (whatever the reason), or is not a question.
func (s *Store) OpenHandoff(ctx context.Context, qid int64, reason string, at time.Time) (opened bool, err error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO handoffs (question_id, reason, created_at)
		SELECT id, ?, ? FROM questions WHERE id = ? AND kind IN ('question', 'followup')
		ON CONFLICT (question_id) DO NOTHING`), reason, millis(at), qid)
	if err != nil {
		return false, fmt.Errorf("open handoff of question %d: %w", qid, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("open handoff of question %d: %w", qid, err)
	}
	return n > 0, nil
}

// OpenFallbackHandoffs hands to staff every question answered with the
// fallback since since (small talk and follow-ups left out) that has no
// handoff yet, and returns how many it opened. Replicas may run it at
// once: the primary key makes each question handed over once.
func (s *Store) OpenFallbackHandoffs(ctx context.Context, since, at time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO handoffs (question_id, reason, created_at)
		SELECT q.id, 'fallback', ? FROM questions q
		WHERE q.replied_at >= ? AND q.status = 'delivered' AND q.kind = 'question'
		AND q.decision = 'fallback' AND q.small_talk = '' AND q.text <> ''
		AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.question_id = q.id)
		ON CONFLICT (question_id) DO NOTHING`), millis(at), millis(since))
	if err != nil {
		return 0, fmt.Errorf("open fallback handoffs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("open fallback handoffs: %w", err)
	}
	return int(n), nil
}

const handoffColumns = `h.question_id, h.reason, h.status, q.text, q.user_id, q.channel, q.thread_ts, q.ts_or_empty,
	q.channel_type, h.permalink, h.card_channel, h.card_ts, h.claimed_by, h.answered_by, h.created_at, h.answered_at,
	h.version, h.attempts`

// handoffFrom joins a handoff to its question; the question's own ts is
// in events, NULL for clicks.
const handoffFrom = ` FROM handoffs h JOIN (SELECT qq.*, COALESCE(e.ts, '') AS ts_or_empty FROM questions qq
	JOIN events e ON e.event_id = qq.event_id) q ON q.id = h.question_id`

func scanHandoff(row interface{ Scan(...any) error }) (Handoff, error) {
	var h Handoff
	var created, answered int64
	err := row.Scan(&h.QuestionID, &h.Reason, &h.Status, &h.Text, &h.UserID, &h.Channel, &h.ThreadTS, &h.TS,
		&h.ChannelType, &h.Permalink, &h.CardChannel, &h.CardTS, &h.ClaimedBy, &h.AnsweredBy, &created, &answered,
		&h.Version, &h.Attempts)
	h.CreatedAt = fromMillis(created)
	if answered != 0 {
		h.AnsweredAt = fromMillis(answered)
	}
	return h, err
}

// Handoff returns the handoff of question qid.
func (s *Store) Handoff(ctx context.Context, qid int64) (Handoff, error) {
	h, err := scanHandoff(s.db.QueryRowContext(ctx, s.q(`SELECT `+handoffColumns+handoffFrom+` WHERE h.question_id = ?`), qid))
	if errors.Is(err, sql.ErrNoRows) {
		return Handoff{}, fmt.Errorf("handoff of question %d: %w", qid, ErrNotFound)
	}
	if err != nil {
		return Handoff{}, fmt.Errorf("handoff of question %d: %w", qid, err)
	}
	return h, nil
}

func (s *Store) handoffs(ctx context.Context, where string, args ...any) ([]Handoff, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+handoffColumns+handoffFrom+` `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// WaitingHandoffs lists the handoffs staff have not settled (neither
// answered nor off topic), newest first.
func (s *Store) WaitingHandoffs(ctx context.Context, limit int) ([]Handoff, error) {
	out, err := s.handoffs(ctx, `WHERE h.status IN ('waiting', 'claimed') ORDER BY h.created_at DESC, h.question_id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list waiting handoffs: %w", err)
	}
	return out, nil
}

// HandoffsPerDay counts the handoffs opened in [from, to) by Paris day
// ("2006-01-02").
func (s *Store) HandoffsPerDay(ctx context.Context, from, to time.Time) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT created_at FROM handoffs WHERE created_at >= ? AND created_at < ?`),
		millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("count handoffs per day: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("count handoffs per day: %w", err)
		}
		out[dayKey(fromMillis(at))]++
	}
	return out, rows.Err()
}

// HandoffFigures are the staff's numbers on handoffs for one period.
type HandoffFigures struct {
	Opened   int
	Answered int           // by a person: in the thread, or through the bot
	Median   time.Duration // from handoff to the human answer; 0 if none
}

// HandoffStats counts the handoffs opened in [from, to) (from may be zero).
func (s *Store) HandoffStats(ctx context.Context, from, to time.Time) (HandoffFigures, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT status, created_at, answered_at FROM handoffs
		WHERE created_at >= ? AND created_at < ?`), millis(from), millis(to))
	if err != nil {
		return HandoffFigures{}, fmt.Errorf("handoff stats: %w", err)
	}
	defer rows.Close()
	var f HandoffFigures
	var waits []time.Duration
	for rows.Next() {
		var status string
		var created, answered int64
		if err := rows.Scan(&status, &created, &answered); err != nil {
			return HandoffFigures{}, fmt.Errorf("handoff stats: %w", err)
		}
		f.Opened++
		if status == HandoffAnswered {
			f.Answered++
			waits = append(waits, time.Duration(max(answered-created, 0))*time.Millisecond)
		}
	}
	if err := rows.Err(); err != nil {
		return HandoffFigures{}, fmt.Errorf("handoff stats: %w", err)
	}
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	switch n := len(waits); {
	case n == 0:
	case n%2 == 1:
		f.Median = waits[n/2]
	default:
		f.Median = (waits[n/2-1] + waits[n/2]) / 2
	}
	return f, nil
}

// ClaimHandoffCards hands out up to limit handoffs whose card must be
// posted or updated, and holds them for lease; each claim counts as an
// attempt, so that the next holder knows a card may already be posted.
func (s *Store) ClaimHandoffCards(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Handoff, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`UPDATE handoffs SET locked_until = ?, locked_by = ?, attempts = attempts + 1
		WHERE question_id IN (SELECT question_id FROM handoffs
			WHERE shown < version AND NOT gave_up AND next_attempt_at <= ? AND locked_until <= ?
			ORDER BY created_at, question_id LIMIT ?`+s.d.skipLocked+`)
		RETURNING question_id`), millis(now.Add(lease)), s.owner, millis(now), millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim handoff cards: %w", err)
	}
	claimed, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("claim handoff cards: %w", err)
	}
	if len(claimed) == 0 {
		return nil, nil
	}
	ids := make([]any, len(claimed))
	for i, id := range claimed {
		ids[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	out, err := s.handoffs(ctx, `WHERE h.question_id IN (`+marks+`) ORDER BY h.created_at, h.question_id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("claim handoff cards: %w", err)
	}
	return out, nil
}

// CardShown records that the card shows version of the handoff: posted
// (channel and ts set the first time) or updated. A change made since
// leaves the card due again.
func (s *Store) CardShown(ctx context.Context, qid int64, version int, channel, ts, permalink string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE handoffs SET shown = ?, attempts = 0, locked_until = 0, locked_by = '',
		last_error = '', card_channel = CASE WHEN ? <> '' THEN ? ELSE card_channel END,
		card_ts = CASE WHEN ? <> '' THEN ? ELSE card_ts END,
		permalink = CASE WHEN ? <> '' THEN ? ELSE permalink END
		WHERE question_id = ? AND locked_by = ?`),
		version, channel, channel, ts, ts, permalink, permalink, qid, s.owner)
	if err != nil {
		return fmt.Errorf("mark card of question %d shown: %w", qid, err)
	}
	return nil
}

// CardRetry gives the card back, due again at next after a passing error;
// giveUp stops trying (Slack refuses it for good: not_in_channel...).
func (s *Store) CardRetry(ctx context.Context, qid int64, next time.Time, cause string, giveUp bool) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE handoffs SET locked_until = 0, locked_by = '', next_attempt_at = ?,
		last_error = ?, gave_up = ? WHERE question_id = ? AND locked_by = ?`), millis(next), cause, giveUp, qid, s.owner)
	if err != nil {
		return fmt.Errorf("reschedule card of question %d: %w", qid, err)
	}
	return nil
}

// ClaimHandoff records that staff member user takes the handoff; changed
// is false when it was already settled or claimed by them.
func (s *Store) ClaimHandoff(ctx context.Context, qid int64, user string) (changed bool, err error) {
	return s.changeHandoff(ctx, `status = 'claimed', claimed_by = ?`,
		`status IN ('waiting', 'claimed') AND claimed_by <> ?`, []any{user}, qid, user)
}

// AnswerHandoff records that user answered the handoff's candidate, in
// the thread or through the bot; changed is false when it was settled
// already.
func (s *Store) AnswerHandoff(ctx context.Context, qid int64, user string, at time.Time) (changed bool, err error) {
	return s.changeHandoff(ctx, `status = 'answered', answered_by = ?, answered_at = ?`,
		`status IN ('waiting', 'claimed')`, []any{user, millis(at)}, qid)
}

// AnswerHandoffsInThread closes the unsettled handoffs of the questions
// asked in a thread, answered there by user, who is not their asker. It
// returns the questions closed.
func (s *Store) AnswerHandoffsInThread(ctx context.Context, channel, threadTS, user string, at time.Time) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`UPDATE handoffs SET status = 'answered', answered_by = ?, answered_at = ?,
		version = version + 1
		WHERE status IN ('waiting', 'claimed') AND question_id IN (SELECT id FROM questions
			WHERE channel = ? AND thread_ts = ? AND user_id <> ?)
		RETURNING question_id`), user, millis(at), channel, threadTS, user)
	if err != nil {
		return nil, fmt.Errorf("answer handoffs in thread: %w", err)
	}
	closed, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("answer handoffs in thread: %w", err)
	}
	return closed, nil
}

// changeHandoff sets what set says, bumping the version the card must
// show, when the handoff is in a state where allows it.
func (s *Store) changeHandoff(ctx context.Context, set, where string, setArgs []any, qid int64, whereArgs ...any) (bool, error) {
	args := append(append(setArgs, qid), whereArgs...)
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE handoffs SET `+set+`, version = version + 1
		WHERE question_id = ? AND `+where), args...)
	if err != nil {
		return false, fmt.Errorf("update handoff of question %d: %w", qid, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("update handoff of question %d: %w", qid, err)
	}
	return n > 0, nil
}
