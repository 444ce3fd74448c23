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
}

var sqlite = dialect{
	name:   "sqlite",
	autoID: "INTEGER PRIMARY KEY AUTOINCREMENT",
	float:  "REAL",
	rebind: func(q string) string { return q },
}

// postgres is what a PostgreSQL backend (pgx) will use; Open does not offer
// it yet.
var postgres = dialect{
	name:       "postgres",
	autoID:     "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
	float:      "DOUBLE PRECISION",
	skipLocked: " FOR UPDATE SKIP LOCKED",
	rebind:     dollarPlaceholders,
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
