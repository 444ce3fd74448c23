package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations run in order, each once; append, never edit a released one.
// Statements are split on semicolons: none may appear in comments.
// {{id}} and {{float}} are filled in from the dialect.
var migrations = []string{
	`CREATE TABLE events (
		event_id TEXT NOT NULL PRIMARY KEY, -- Slack's event_id, or pick:<trigger_id>
		channel  TEXT,                      -- channel and ts of the message, NULL for clicks:
		ts       TEXT,                      -- a mention arrives as message and app_mention
		seen_at  BIGINT NOT NULL,           -- unix ms
		UNIQUE (channel, ts)
	);
	CREATE TABLE questions (
		id              {{id}},
		event_id        TEXT NOT NULL UNIQUE REFERENCES events (event_id),
		kind            TEXT NOT NULL,             -- question | pick (a suggestion clicked)
		parent_id       BIGINT,                    -- pick: the question whose suggestion was clicked
		text            TEXT NOT NULL,             -- the question, bot mention removed
		user_id         TEXT NOT NULL,
		channel         TEXT NOT NULL,
		channel_type    TEXT NOT NULL,             -- channel | group | im | mpim
		thread_ts       TEXT NOT NULL,             -- where the reply goes
		asked_at        BIGINT NOT NULL,
		decision        TEXT NOT NULL DEFAULT '',  -- answer | suggest | fallback, once matched
		entry_id        TEXT NOT NULL DEFAULT '',
		score           {{float}} NOT NULL DEFAULT 0,
		small_talk      TEXT NOT NULL DEFAULT '',
		status          TEXT NOT NULL DEFAULT 'pending', -- pending | delivered | failed
		attempts        INTEGER NOT NULL DEFAULT 0,
		next_attempt_at BIGINT NOT NULL,
		locked_until    BIGINT NOT NULL DEFAULT 0, -- a worker holds it until then
		last_error      TEXT NOT NULL DEFAULT '',
		reply_ts        TEXT NOT NULL DEFAULT '',
		replied_at      BIGINT NOT NULL DEFAULT 0
	);
	CREATE INDEX questions_due ON questions (status, next_attempt_at);
	CREATE INDEX questions_thread ON questions (channel, thread_ts, user_id);
	CREATE INDEX questions_asked ON questions (asked_at);
	CREATE TABLE feedback (
		question_id BIGINT NOT NULL REFERENCES questions (id),
		user_id     TEXT NOT NULL,
		up          BOOLEAN NOT NULL,
		at          BIGINT NOT NULL,
		PRIMARY KEY (question_id, user_id)
	);`,
	// Announcement posts: one row per post (announcement, channel, time),
	// claimed by the first replica to insert it.
	`CREATE TABLE announcements (
		key        TEXT NOT NULL PRIMARY KEY, -- name@channel@time, see announce.Occurrence
		name       TEXT NOT NULL,
		channel    TEXT NOT NULL,
		due_at     BIGINT NOT NULL,
		status     TEXT NOT NULL,            -- posting | posted | failed | skipped
		claimed_at BIGINT NOT NULL,
		posted_at  BIGINT NOT NULL DEFAULT 0,
		ts         TEXT NOT NULL DEFAULT '',
		last_error TEXT NOT NULL DEFAULT '',
		sent_by    TEXT NOT NULL DEFAULT ''  -- staff user id for an on-demand send
	);
	CREATE INDEX announcements_status ON announcements (status, claimed_at);`,
	// Staff's additions to the FAQ, and what the retention purge keeps of
	// the questions it deletes: counts per Paris day, no text, no user.
	`CREATE TABLE alternates (
		id          {{id}},
		entry_id    TEXT NOT NULL,
		text        TEXT NOT NULL,             -- a candidate's wording, now a phrasing of the entry
		question_id BIGINT NOT NULL DEFAULT 0, -- the question it came from (may be purged since)
		added_by    TEXT NOT NULL,             -- the staff member's user id
		added_at    BIGINT NOT NULL,
		UNIQUE (entry_id, text)
	);
	CREATE INDEX alternates_question ON alternates (question_id);
	CREATE TABLE daily_stats (
		day  TEXT NOT NULL,   -- YYYY-MM-DD in Europe/Paris
		kind TEXT NOT NULL,   -- decision | entry | channel | feedback
		key  TEXT NOT NULL,   -- answer, salaire, C123, im, up...
		n    BIGINT NOT NULL,
		PRIMARY KEY (day, kind, key)
	);
	CREATE INDEX events_seen ON events (seen_at);`,
	// Who holds a question's lease, so that a replica renews its own
	// leases and never one another replica took over.
	`ALTER TABLE questions ADD COLUMN locked_by TEXT NOT NULL DEFAULT ''`,
	// PostgreSQL: one row per live replica, beaten every second, naming
	// its heartbeat's server session (see liveness.go). Unused on SQLite.
	`CREATE TABLE replicas (
		owner   TEXT NOT NULL PRIMARY KEY, -- locked_by of the questions it holds
		pid     BIGINT NOT NULL,           -- its heartbeat session: pg_backend_pid()
		started BIGINT NOT NULL,           -- and that session's backend_start, unix us
		seen_at BIGINT NOT NULL            -- last beat, unix ms, the database's clock
	)`,
	// Handoff to staff: one row per question handed over, its card in the
	// staff channel (posted, then updated whenever version passes shown),
	// held by one replica at a time; the people who wrote in the bot's
	// threads (takeover); what staff marked off topic (out-of-scope
	// training); and staff answers kept as draft FAQ entries.
	`CREATE TABLE handoffs (
		question_id     BIGINT NOT NULL PRIMARY KEY,    -- deleted with its question by the purge
		reason          TEXT NOT NULL,                   -- fallback | thumbs_down
		status          TEXT NOT NULL DEFAULT 'waiting', -- waiting | claimed | answered | off_topic
		claimed_by      TEXT NOT NULL DEFAULT '',
		answered_by     TEXT NOT NULL DEFAULT '',
		created_at      BIGINT NOT NULL,
		answered_at     BIGINT NOT NULL DEFAULT 0,
		version         INTEGER NOT NULL DEFAULT 1,      -- bumped by each change the card must show
		shown           INTEGER NOT NULL DEFAULT 0,      -- the version the card shows, 0 before it is posted
		card_channel    TEXT NOT NULL DEFAULT '',
		card_ts         TEXT NOT NULL DEFAULT '',
		permalink       TEXT NOT NULL DEFAULT '',
		attempts        INTEGER NOT NULL DEFAULT 0,      -- claims since the card last settled
		next_attempt_at BIGINT NOT NULL DEFAULT 0,
		locked_until    BIGINT NOT NULL DEFAULT 0,
		locked_by       TEXT NOT NULL DEFAULT '',
		gave_up         BOOLEAN NOT NULL DEFAULT FALSE,  -- Slack refused the card for good
		last_error      TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX handoffs_due ON handoffs (shown, version, next_attempt_at);
	CREATE INDEX handoffs_created ON handoffs (created_at);
	CREATE INDEX questions_replied ON questions (replied_at);
	CREATE TABLE thread_people (
		channel   TEXT NOT NULL,
		thread_ts TEXT NOT NULL,
		user_id   TEXT NOT NULL,
		PRIMARY KEY (channel, thread_ts, user_id)
	);
	CREATE TABLE off_topic (
		question_id BIGINT NOT NULL PRIMARY KEY,
		text        TEXT NOT NULL,
		added_by    TEXT NOT NULL,
		added_at    BIGINT NOT NULL
	);
	CREATE TABLE drafts (
		id          {{id}},
		question_id BIGINT NOT NULL UNIQUE,
		question    TEXT NOT NULL,      -- the candidate's words
		answer      TEXT NOT NULL,      -- the staff member's answer, Slack mrkdwn
		added_by    TEXT NOT NULL,
		added_at    BIGINT NOT NULL
	)`,
}

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if s.d.lock != "" {
		if _, err := conn.ExecContext(ctx, s.d.lock); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		// Unlocked even when ctx is cancelled: the connection goes back to
		// the pool, and a lock left on it would block the next start.
		defer conn.ExecContext(context.WithoutCancel(ctx), s.d.unlock)
	}
	if _, err := conn.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var done int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&done); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for v := done; v < len(migrations); v++ {
		if err := s.migrateOne(ctx, conn, v); err != nil {
			return fmt.Errorf("migrate %d: %w", v+1, err)
		}
	}
	return nil
}

// migrateOne runs migration v (0-based) in a transaction of its own.
func (s *Store) migrateOne(ctx context.Context, conn *sql.Conn, v int) error {
	sqlText := strings.NewReplacer("{{id}}", s.d.autoID, "{{float}}", s.d.float).Replace(migrations[v])
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range strings.Split(sqlText, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version) VALUES (?)`), v+1); err != nil {
		return err
	}
	return tx.Commit()
}
