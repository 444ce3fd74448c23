// Package store keeps what the bot must not forget: the events it has seen,
// the questions it was asked and the state of their replies, and feedback.
// SQLite (pure Go, no cgo) by default, PostgreSQL (pgx) for several
// replicas; the SQL differences live in dialect.go, behind one API.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

// Store is the bot's database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	d  dialect
	// owner names this Store in the leases it holds; each Open is a holder
	// of its own, as each replica is.
	owner string

	stopCheckpoints func()     // SQLite: stops the background checkpointer
	batch           *batcher   // records questions in groups
	hb              *heartbeat // PostgreSQL: tells the other replicas this one is alive
}

// Open connects to databaseURL and migrates the schema. A URL starting with
// postgres:// or postgresql:// selects PostgreSQL, which several replicas
// may share; anything else is a SQLite file path whose folder is created if
// missing, used by this process alone.
func Open(ctx context.Context, databaseURL string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if databaseURL == "" {
		databaseURL = "var/bot.db"
	}
	if isPostgres(databaseURL) {
		return openPostgres(ctx, databaseURL, o)
	}
	// A tool (bot stats, bot learn) may run beside the bot on this file:
	// it leaves the bot's held questions and checkpoints alone, and lets
	// SQLite checkpoint as usual.
	var pragmas []string
	if !o.tool {
		pragmas = []string{"wal_autocheckpoint(0)"}
	}
	db, err := openSQLite(databaseURL, pragmas...)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, d: sqlite, owner: newOwner()}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if !o.tool {
		// A SQLite file has one process: questions a dead one held are due
		// now, not when their leases run out. Done before any new question.
		if err := s.releaseAll(ctx); err != nil {
			db.Close()
			return nil, err
		}
		ckpt, err := openSQLite(databaseURL)
		if err != nil {
			db.Close()
			return nil, err
		}
		s.stopCheckpoints = checkpoints(ckpt, time.Second)
	}
	if err := s.startBatcher(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Option changes how Open uses the database.
type Option func(*options)

type options struct{ tool bool }

// AsTool opens the database for a command (stats, learn) that may run
// beside `bot serve`: on SQLite it releases none of the questions the
// bot holds, unlike the bot's own Open.
func AsTool() Option { return func(o *options) { o.tool = true } }

// checkpoints copies the WAL back into the database file every period, on
// a connection of its own. SQLite would otherwise do it inside whichever
// commit crosses 1000 pages, and that request's acknowledgement would wait
// for it: a passive checkpoint here never blocks the writer.
func checkpoints(db *sql.DB, every time.Duration) (stop func()) {
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		defer db.Close()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// openSQLite opens a file in WAL mode: readers never wait for the writer, and
// writers queue behind busy_timeout instead of failing with SQLITE_BUSY.
func openSQLite(path string, pragmas ...string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		// Questions and user ids: for the bot's user only.
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	dsn := sqliteDSN(path, pragmas...)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// SQLite has one writer at a time. With one connection, requests queue
	// in Go and go on the moment it is free; with several, the losers sleep
	// in SQLite's busy handler for up to tens of milliseconds.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// sqliteDSN is the driver's URI for the file at path: the path escaped (a
// "?" or "#" in it is part of the name), then the connection's settings.
func sqliteDSN(path string, pragmas ...string) string {
	q := url.Values{"_pragma": append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)",
		"foreign_keys(1)"}, pragmas...), "_txlock": {"immediate"}}
	// Opaque, not Path: "file:rel/bot.db" is relative, "file://rel/..." would name a host.
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

// Close closes the database. Call it last, after the workers have stopped.
func (s *Store) Close() error {
	s.stopBatcher()
	if s.hb != nil {
		s.hb.close(true)
		s.hb = nil
	}
	if s.stopCheckpoints != nil {
		s.stopCheckpoints()
		s.stopCheckpoints = nil
	}
	return s.db.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// newOwner is a random name for a lease holder.
func newOwner() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// millis stores times as integer Unix milliseconds, the same in every dialect.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
