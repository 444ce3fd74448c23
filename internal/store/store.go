// Package store keeps what the bot must not forget: the events it has seen,
// the questions it was asked and the state of their replies, and feedback.
// SQLite (pure Go, no cgo) by default; the SQL dialect lives in dialect.go so
// that a PostgreSQL backend can be added behind the same API.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

// Store is the bot's database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	d  dialect
}

// Open connects to databaseURL and migrates the schema. A URL starting with
// postgres:// selects PostgreSQL; anything else is a SQLite file path whose
// folder is created if missing.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	if databaseURL == "" {
		databaseURL = "var/bot.db"
	}
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		return nil, errors.New("open database: postgres is not supported yet")
	}
	db, err := openSQLite(databaseURL)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, d: sqlite}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// openSQLite opens a file in WAL mode: readers never wait for the writer, and
// writers queue behind busy_timeout instead of failing with SQLITE_BUSY.
func openSQLite(path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// SQLite has one writer at a time; a few connections let reads (health,
	// thread look-ups) run beside it without piling up goroutines on the lock.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Close closes the database. Call it last, after the workers have stopped.
func (s *Store) Close() error { return s.db.Close() }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
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
