package main

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver, to read the bot's database after the run
)

// dupeReport sorts the extra replies of a run.
type dupeReport struct {
	threads int // threads with more than one reply
	extra   int // replies beyond the first in those threads
	// explained are extra replies that a kill accounts for: one post
	// reached Slack before the bot died but was not marked delivered, and
	// the new bot, finding the question pending, posted it again; the
	// database holds the second post's ts.
	explained   int
	unexplained []string // threads with an extra reply nothing accounts for
}

// explainDuplicates checks every thread answered more than once against
// that story. restart is when the new bot started (zero if none); recorded
// is the reply ts the database holds for each delivered thread.
func explainDuplicates(dupes map[string][]post, restart time.Time, recorded map[string]string) dupeReport {
	var r dupeReport
	for thread, ps := range dupes {
		r.threads++
		r.extra += len(ps) - 1
		sort.Slice(ps, func(i, j int) bool { return ps[i].at.Before(ps[j].at) })
		if !restart.IsZero() && len(ps) == 2 && ps[0].at.Before(restart) && !ps[1].at.Before(restart) &&
			recorded[thread] == ps[1].ts {
			r.explained++
			continue
		}
		r.unexplained = append(r.unexplained, thread)
	}
	sort.Strings(r.unexplained)
	return r
}

// recordedReplies reads, from a stopped bot's SQLite database, the reply ts
// of every delivered question, by "channel thread_ts".
func recordedReplies(ctx context.Context, path string) (map[string]string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
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
