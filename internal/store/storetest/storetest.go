// Package storetest gives tests databases of both backends: a SQLite file
// in a temp folder always, and a PostgreSQL schema of their own when
// TEST_DATABASE_URL is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Backend is one database a test can run against.
type Backend struct {
	Name string                    // "sqlite" or "postgres", for t.Run
	URL  func(t testing.TB) string // a fresh, empty database each call
}

// Backends lists SQLite and PostgreSQL; the PostgreSQL one skips its test
// when TEST_DATABASE_URL is not set. Each Backend's URL is a database of the
// test's own, gone at its end.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", URL: SQLite}, {Name: "postgres", URL: Postgres}}
}

// SQLite returns the path of a new SQLite file in the test's temp folder.
func SQLite(t testing.TB) string {
	return filepath.Join(t.TempDir(), "db", "bot.db")
}

// Postgres returns the URL of a fresh schema in TEST_DATABASE_URL's
// database, dropped when the test ends, so that tests and packages running
// in parallel never see each other's rows. It skips the test when
// TEST_DATABASE_URL is not set.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Skip("TEST_DATABASE_URL not set: PostgreSQL tests skipped")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Logf("postgres: schema %s", schema)
	return u.String()
}
