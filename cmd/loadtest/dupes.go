package main

import (
	"sort"
	"time"
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
