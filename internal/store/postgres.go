package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// isPostgres tells a PostgreSQL URL from a SQLite file path.
func isPostgres(databaseURL string) bool {
	return strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://")
}

// openPostgres connects to a database that several replicas may share.
// Unlike a SQLite file, nothing is released at open: the questions held
// there may belong to live replicas. Those a dead one held, the previous
// process of this replica included, are claimed again at once (see
// liveness.go). A tool does not beat: it holds no question.
func openPostgres(ctx context.Context, databaseURL string, o options) (*Store, error) {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, d: postgres, owner: newOwner()}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if !o.tool {
		if err := s.startHeartbeat(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := s.startBatcher(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// recordBatch records a batch of questions in one statement: the events
// first, each skipped when its event_id or its message (channel and ts) was
// seen before, even earlier in the same batch; then a question for each
// event inserted. One round trip and one commit for the whole batch.
//
// Events are inserted in one global order, by message then event_id, not
// in arrival order: batches that share events (a retry and its first
// delivery, a message and its app_mention copy, an event a load balancer
// sent to two replicas) then wait for each other in one direction only. In
// arrival order two such batches could each hold a key the other wants, a
// deadlock PostgreSQL breaks only after deadlock_timeout (1 s).
const recordBatch = `WITH input AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[],
			$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[])
		WITH ORDINALITY AS i (event_id, msg_channel, ts, at, kind, parent_id, text, user_id, channel, channel_type,
			thread_ts, entry_id, locked_until, locked_by, ord)),
	e AS (
		INSERT INTO events (event_id, channel, ts, seen_at)
		SELECT event_id, msg_channel, ts, at FROM input ORDER BY msg_channel, ts, event_id
		ON CONFLICT DO NOTHING RETURNING event_id)
	INSERT INTO questions (event_id, kind, parent_id, text, user_id, channel, channel_type, thread_ts, entry_id,
		asked_at, next_attempt_at, locked_until, locked_by)
	SELECT DISTINCT ON (i.event_id) i.event_id, i.kind, i.parent_id, i.text, i.user_id, i.channel, i.channel_type,
		i.thread_ts, i.entry_id, i.at, i.at, i.locked_until, i.locked_by
	FROM input i JOIN e ON e.event_id = i.event_id ORDER BY i.event_id, i.ord
	RETURNING id, event_id`

// recordPostgres records a batch with recordBatch. Of several requests
// with one event_id (a retry arriving with its first delivery), the first
// is the fresh one; of a message and its app_mention copy in one batch,
// the one whose event_id sorts first.
func (s *Store) recordPostgres(ctx context.Context, batch []recordReq) ([]recordRes, error) {
	n := len(batch)
	var (
		eventIDs, kinds, texts, users, chans, types, threads, entries, holders = make([]string, n),
			make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
			make([]string, n), make([]string, n), make([]string, n)
		msgChans, tss = make([]*string, n), make([]*string, n)
		ats, held     = make([]int64, n), make([]int64, n)
		parents       = make([]*int64, n)
	)
	for i, r := range batch {
		q := r.q
		channel, ts, kind, parent, at := questionArgs(q)
		if channel != nil {
			c, t := channel.(string), ts.(string)
			msgChans[i], tss[i] = &c, &t
		}
		if parent != nil {
			p := parent.(int64)
			parents[i] = &p
		}
		eventIDs[i], kinds[i], texts[i], users[i], chans[i] = q.EventID, string(kind), q.Text, q.UserID, q.Channel
		types[i], threads[i], entries[i], holders[i] = q.ChannelType, q.ThreadTS, q.EntryID, s.holder(q.HeldUntil)
		ats[i], held[i] = at, millis(q.HeldUntil)
	}
	rows, err := s.db.QueryContext(ctx, recordBatch, eventIDs, msgChans, tss, ats, kinds, parents, texts, users,
		chans, types, threads, entries, held, holders)
	if err != nil {
		return nil, fmt.Errorf("record questions: %w", err)
	}
	defer rows.Close()
	ids := make(map[string]int64, n)
	for rows.Next() {
		var id int64
		var ev string
		if err := rows.Scan(&id, &ev); err != nil {
			return nil, fmt.Errorf("record questions: %w", err)
		}
		ids[ev] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record questions: %w", err)
	}
	out := make([]recordRes, n)
	for i, r := range batch {
		if id, ok := ids[r.q.EventID]; ok {
			out[i] = recordRes{id: id, fresh: true}
			delete(ids, r.q.EventID)
		}
	}
	return out, nil
}
