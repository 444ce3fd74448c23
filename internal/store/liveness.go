package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"
)

// On PostgreSQL each replica (each Store that `bot serve` opens) keeps a
// row in replicas, beaten every beatEvery on a connection of its own, that
// names that connection's server session. A replica is live while its row
// is fresher than deadAfter and that session exists. A process that dies,
// kill -9 included, loses its sessions as soon as the kernel closes its
// sockets, so its successor or any other replica claims its questions at
// once; one cut off or frozen with its sockets open is dead deadAfter after
// its last beat. Questions held by a replica that is not live are claimed
// as if their leases had run out; the lease remains the bound for a live
// replica that holds a question and never settles it.
//
// Times in replicas are the database's clock, so replicas' clocks may
// disagree. Sessions are looked up in pg_stat_activity, which shows a
// session's start to the role it belongs to: every replica connects as the
// same role. Behind a pooler (PgBouncer) the session named is the pooler's,
// alive while the pooler is: death is then known from the beats alone.
const (
	beatEvery = time.Second
	deadAfter = 5 * time.Second
	// forgetAfter is when a dead replica's row is deleted.
	forgetAfter = time.Hour
)

// dbMillis is the database's clock in Unix milliseconds.
const dbMillis = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`

// liveReplicas selects the owners of the live replicas.
var liveReplicas = `SELECT r.owner FROM replicas r JOIN pg_stat_activity a ON a.pid = r.pid
	AND (extract(epoch FROM a.backend_start) * 1000000)::bigint = r.started
	WHERE r.seen_at > ` + dbMillis + ` - ` + strconv.FormatInt(deadAfter.Milliseconds(), 10)

// beat records that this replica is alive, on the heartbeat's session.
const beat = `INSERT INTO replicas (owner, pid, started, seen_at)
	SELECT $1, pid, (extract(epoch FROM backend_start) * 1000000)::bigint, ` + dbMillis + `
	FROM pg_stat_activity WHERE pid = pg_backend_pid()
	ON CONFLICT (owner) DO UPDATE SET pid = excluded.pid, started = excluded.started, seen_at = excluded.seen_at
	RETURNING pid`

// heartbeat beats for one Store until stopped.
type heartbeat struct {
	s    *Store
	conn *sql.Conn // nil after an error, until the next beat reconnects
	pid  int64     // the session beating now
	stop chan struct{}
	done chan struct{}
}

// startHeartbeat registers this Store as a live replica, before it records
// or claims anything (a question held by an owner with no row is free),
// then beats every beatEvery.
func (s *Store) startHeartbeat(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM replicas WHERE seen_at < `+dbMillis+` - `+
		strconv.FormatInt(forgetAfter.Milliseconds(), 10)); err != nil {
		return fmt.Errorf("forget dead replicas: %w", err)
	}
	h := &heartbeat{s: s, stop: make(chan struct{}), done: make(chan struct{})}
	if err := h.beat(ctx); err != nil {
		return err
	}
	s.hb = h
	go h.loop()
	return nil
}

func (h *heartbeat) beat(ctx context.Context) error {
	if h.conn == nil {
		conn, err := h.s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("heartbeat: %w", err)
		}
		h.conn = conn
	}
	// Bounded, but well past deadAfter: cancelling a slow beat may close its
	// session, which the others would take for this replica's death, while
	// a beat this late has made it look dead already.
	ctx, cancel := context.WithTimeout(ctx, 2*deadAfter)
	defer cancel()
	if err := h.conn.QueryRowContext(ctx, beat, h.s.owner).Scan(&h.pid); err != nil {
		// A broken session is dead to the others: reconnect at once.
		h.conn.Close()
		h.conn = nil
		return fmt.Errorf("heartbeat: %w", err)
	}
	return nil
}

func (h *heartbeat) loop() {
	defer close(h.done)
	tick := time.NewTicker(beatEvery)
	defer tick.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-tick.C:
			if h.beat(context.Background()) != nil {
				h.beat(context.Background()) // once more, on a new session
			}
		}
	}
}

// close stops the beats and, when leave is set, deletes the row: what this
// replica still holds is free at once, as if it had died.
func (h *heartbeat) close(leave bool) {
	close(h.stop)
	<-h.done
	if h.conn == nil {
		return
	}
	if leave {
		ctx, cancel := context.WithTimeout(context.Background(), deadAfter)
		h.conn.ExecContext(ctx, `DELETE FROM replicas WHERE owner = $1`, h.s.owner)
		cancel()
	}
	h.conn.Close()
}
