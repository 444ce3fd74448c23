package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// runDatabase is the database the bots of one run share: a SQLite file in
// the run's folder, or a schema of its own in a PostgreSQL database, so
// that a run never sees another's rows.
type runDatabase struct {
	url  string // the bots' DATABASE_URL
	pg   string // PostgreSQL: the server's URL without the schema; "" for SQLite
	name string // PostgreSQL: the schema
}

// openRunDatabase prepares the run's database: in dir for SQLite (base
// ""), else a new schema in the PostgreSQL database base.
func openRunDatabase(ctx context.Context, base, dir string) (runDatabase, error) {
	if base == "" {
		return runDatabase{url: filepath.Join(dir, "bot.db")}, nil
	}
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		return runDatabase{}, fmt.Errorf("--database %q: want a postgres:// URL", base)
	}
	u, err := url.Parse(base)
	if err != nil {
		return runDatabase{}, fmt.Errorf("--database: %w", err)
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return runDatabase{}, fmt.Errorf("--database: load tests only run against a server on loopback, not %q", h)
	}
	var b [6]byte
	rand.Read(b[:])
	d := runDatabase{pg: base, name: "loadtest_" + hex.EncodeToString(b[:])}
	if err := d.exec(ctx, "CREATE SCHEMA "+d.name); err != nil {
		return runDatabase{}, err
	}
	q := u.Query()
	q.Set("search_path", d.name)
	u.RawQuery = q.Encode()
	d.url = u.String()
	return d, nil
}

// drop removes a PostgreSQL run's schema; a SQLite file goes with the
// run's folder.
func (d runDatabase) drop(ctx context.Context) error {
	if d.pg == "" {
		return nil
	}
	return d.exec(ctx, "DROP SCHEMA "+d.name+" CASCADE")
}

func (d runDatabase) exec(ctx context.Context, stmt string) error {
	db, err := sql.Open("pgx", d.pg)
	if err != nil {
		return fmt.Errorf("open %s: %w", d.pg, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

func (d runDatabase) open() (*sql.DB, error) {
	if d.pg != "" {
		return sql.Open("pgx", d.url)
	}
	return sql.Open("sqlite", "file:"+d.url+"?mode=ro")
}

// recordedReplies reads, from the database the stopped bots leave, the
// reply ts of every delivered question, by "channel thread_ts".
func (d runDatabase) recordedReplies(ctx context.Context) (map[string]string, error) {
	db, err := d.open()
	if err != nil {
		return nil, fmt.Errorf("open bot database: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT channel, thread_ts, reply_ts FROM questions WHERE status = 'delivered'`)
	if err != nil {
		return nil, fmt.Errorf("read delivered questions: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var channel, thread, ts string
		if err := rows.Scan(&channel, &thread, &ts); err != nil {
			return nil, fmt.Errorf("read delivered questions: %w", err)
		}
		out[channel+" "+thread] = ts
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read delivered questions: %w", err)
	}
	return out, nil
}
