package main

import "sort"

// dupeReport sorts the extra replies of a run.
type dupeReport struct {
	threads int // threads with more than one reply
	extra   int // replies beyond the first in those threads
	// explained are extra replies that a kill accounts for: the killed
	// process's post reached Slack before it died but was not marked
	// delivered, and another process (another replica, or the killed one's
	// successor), finding the question pending, posted it again; the
	// database holds the second post's ts.
	explained   int
	unexplained []string // threads with an extra reply nothing accounts for
}

// explainDuplicates checks every thread answered more than once against
// that story. killed names the process stopped or killed mid-run ("" if
// none); recorded is the reply ts the database holds for each delivered
// thread.
func explainDuplicates(dupes map[string][]post, killed string, recorded map[string]string) dupeReport {
	var r dupeReport
	for thread, ps := range dupes {
		r.threads++
		r.extra += len(ps) - 1
		sort.Slice(ps, func(i, j int) bool { return ps[i].at.Before(ps[j].at) })
		if killed != "" && len(ps) == 2 && ps[0].proc == killed && ps[1].proc != killed && recorded[thread] == ps[1].ts {
			r.explained++
			continue
		}
		r.unexplained = append(r.unexplained, thread)
	}
	sort.Strings(r.unexplained)
	return r
}
