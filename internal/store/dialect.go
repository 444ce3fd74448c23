package store

import (
	"strconv"
	"strings"
)

// dialect holds every difference between the SQL backends; the queries in
// the other files are written once, with ? placeholders.
type dialect struct {
	name string
	// autoID is the column type of an auto-incremented primary key.
	autoID string
	// float is the column type of a score.
	float string
	// skipLocked ends the claim sub-select so that concurrent workers of
	// several processes never claim the same row (PostgreSQL: FOR UPDATE
	// SKIP LOCKED). SQLite has one writer at a time and needs nothing.
	skipLocked string
	// rebind rewrites ? placeholders into the backend's own.
	rebind func(string) string
	// lock and unlock bracket the migrations on one connection, so that
	// replicas starting together do not both create the tables; empty for
	// SQLite, whose file has one process.
	lock, unlock string
	// orHolderDead, added to "locked_until <= now", also frees the
	// questions of a replica that is not live (PostgreSQL: liveness.go).
	// SQLite's file has one process, and Open frees all.
	orHolderDead string
	// txLock, run first in a transaction, serialises the jobs that must not
	// run twice at once across replicas (the retention purge). SQLite's
	// transactions are already serial (_txlock=immediate).
	txLock string
}

var sqlite = dialect{
	name:   "sqlite",
	autoID: "INTEGER PRIMARY KEY AUTOINCREMENT",
	float:  "REAL",
	rebind: func(q string) string { return q },
}

// postgres is PostgreSQL through pgx's database/sql driver. Its advisory
// locks are keyed by schema, so tests in schemas of their own never wait for
// each other.
var postgres = dialect{
	name:         "postgres",
	autoID:       "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
	float:        "DOUBLE PRECISION",
	skipLocked:   " FOR UPDATE SKIP LOCKED",
	rebind:       dollarPlaceholders,
	lock:         "SELECT pg_advisory_lock(hashtext('bin-bot migrate ' || current_schema()))",
	unlock:       "SELECT pg_advisory_unlock(hashtext('bin-bot migrate ' || current_schema()))",
	txLock:       "SELECT pg_advisory_xact_lock(hashtext('bin-bot purge ' || current_schema()))",
	orHolderDead: " OR locked_by NOT IN (" + liveReplicas + ")",
}

// dollarPlaceholders turns ?, ?, ? into $1, $2, $3 (no ? appears in our
// string literals).
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// q prepares a query for this store's backend.
func (s *Store) q(query string) string { return s.d.rebind(query) }
