package store

import (
	"context"
	"fmt"
	"time"
)

// Announcement post statuses.
const (
	AnnouncementPosting = "posting" // claimed: a replica is posting it
	AnnouncementPosted  = "posted"
	AnnouncementFailed  = "failed"  // Slack refused it for good
	AnnouncementSkipped = "skipped" // missed beyond the grace window
)

// AnnouncementPost is the record of one announcement post.
type AnnouncementPost struct {
	Key, Name, Channel string
	DueAt              time.Time
	Status             string
	ClaimedAt          time.Time
	PostedAt           time.Time
	TS                 string
	LastError          string
	SentBy             string
}

// ClaimAnnouncement records a post with the given status (posting, or
// skipped) unless some replica already did: exactly one caller gets true
// per key, across restarts and replicas.
func (s *Store) ClaimAnnouncement(ctx context.Context, p AnnouncementPost) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO announcements
		(key, name, channel, due_at, status, claimed_at, last_error, sent_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`),
		p.Key, p.Name, p.Channel, millis(p.DueAt), p.Status, millis(p.ClaimedAt), p.LastError, p.SentBy)
	if err != nil {
		return false, fmt.Errorf("claim announcement %s: %w", p.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim announcement %s: %w", p.Key, err)
	}
	return n == 1, nil
}

// FinishAnnouncement records how a claimed post ended: posted (with the
// message ts) or failed (with the reason).
func (s *Store) FinishAnnouncement(ctx context.Context, key, status, ts, cause string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE announcements SET status = ?, ts = ?, last_error = ?, posted_at = ?
		WHERE key = ?`), status, ts, cause, millis(at), key)
	if err != nil {
		return fmt.Errorf("finish announcement %s: %w", key, err)
	}
	return nil
}

// ReclaimAnnouncements takes over posts left in "posting" by a replica that
// died before finishing them (claimed before staleBefore), and returns them
// for posting again. A replica killed between Slack's answer and
// FinishAnnouncement makes this post twice: the price of never losing one.
func (s *Store) ReclaimAnnouncements(ctx context.Context, staleBefore, now time.Time) ([]AnnouncementPost, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`UPDATE announcements SET claimed_at = ?
		WHERE status = ? AND claimed_at < ?
		RETURNING key, name, channel, due_at, status, claimed_at, posted_at, ts, last_error, sent_by`),
		millis(now), AnnouncementPosting, millis(staleBefore))
	if err != nil {
		return nil, fmt.Errorf("reclaim announcements: %w", err)
	}
	return scanAnnouncements(rows)
}

// AnnouncementPosts lists every post recorded, latest due first.
func (s *Store) AnnouncementPosts(ctx context.Context) ([]AnnouncementPost, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, name, channel, due_at, status, claimed_at, posted_at, ts, last_error, sent_by
		FROM announcements ORDER BY due_at DESC, key`)
	if err != nil {
		return nil, fmt.Errorf("list announcements: %w", err)
	}
	return scanAnnouncements(rows)
}

type rowsScanner interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

func scanAnnouncements(rows rowsScanner) ([]AnnouncementPost, error) {
	defer rows.Close()
	var out []AnnouncementPost
	for rows.Next() {
		var p AnnouncementPost
		var due, claimed, posted int64
		if err := rows.Scan(&p.Key, &p.Name, &p.Channel, &due, &p.Status, &claimed, &posted, &p.TS, &p.LastError, &p.SentBy); err != nil {
			return nil, fmt.Errorf("read announcements: %w", err)
		}
		p.DueAt, p.ClaimedAt, p.PostedAt = fromMillis(due), fromMillis(claimed), fromMillis(posted)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read announcements: %w", err)
	}
	return out, nil
}
