package store

import (
	"context"
	"fmt"
)

// NoteThreadAuthor records that user wrote in a thread where the bot was
// asked something (and only there: other threads are none of its
// business). It reports whether the thread is one of the bot's.
func (s *Store) NoteThreadAuthor(ctx context.Context, channel, threadTS, user string) (botThread bool, err error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO thread_people (channel, thread_ts, user_id)
		SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM questions WHERE channel = ? AND thread_ts = ?)
		ON CONFLICT (channel, thread_ts, user_id) DO NOTHING`), channel, threadTS, user, channel, threadTS)
	if err != nil {
		return false, fmt.Errorf("note thread author: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n > 0 {
		return true, nil
	}
	var k int
	err = s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM questions WHERE channel = ? AND thread_ts = ?`),
		channel, threadTS).Scan(&k)
	if err != nil {
		return false, fmt.Errorf("note thread author: %w", err)
	}
	return k > 0, nil
}

// TakenOver reports whether someone other than the thread's askers (and
// the bot, never noted) wrote in it: staff, or another member, answering.
func (s *Store) TakenOver(ctx context.Context, channel, threadTS string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM thread_people p
		WHERE p.channel = ? AND p.thread_ts = ? AND p.user_id NOT IN (SELECT user_id FROM questions
			WHERE channel = ? AND thread_ts = ? AND kind IN ('question', 'followup'))`),
		channel, threadTS, channel, threadTS).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up thread takeover: %w", err)
	}
	return n > 0, nil
}
