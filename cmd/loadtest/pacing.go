package main

import (
	"slices"
	"time"
)

// paceReport is how well the posts in each channel kept the bot's bound of
// one message per channel per bound (Slack allows about one a second).
type paceReport struct {
	channels   int
	gaps       int           // consecutive pairs of posts of one process in one channel
	minGap     time.Duration // the smallest gap between two posts of one bot process; 0 if no pair
	minChannel string
	violations int // gaps under the bound between two posts of one bot process
	// acrossProcesses are gaps under the bound whose posts came from two
	// bot processes: replicas pace their own posts only, and a new process
	// does not know when the old one last posted in a channel, so its first
	// post there may come early.
	acrossProcesses int
}

// pacing measures, in each channel, the gaps between consecutive posts of
// each bot process, and counts the early ones between two processes.
func pacing(byChannel map[string][]stamp, bound time.Duration) paceReport {
	var r paceReport
	r.minGap = -1
	for ch, ts := range byChannel {
		r.channels++
		ts = slices.Clone(ts)
		slices.SortFunc(ts, func(a, b stamp) int { return a.at.Compare(b.at) })
		last := map[string]time.Time{} // each process's latest post so far
		for i, s := range ts {
			if i > 0 && ts[i-1].proc != s.proc && s.at.Sub(ts[i-1].at) < bound {
				r.acrossProcesses++
			}
			prev, ok := last[s.proc]
			last[s.proc] = s.at
			if !ok {
				continue
			}
			r.gaps++
			gap := s.at.Sub(prev)
			if gap < bound {
				r.violations++
			}
			if r.minGap < 0 || gap < r.minGap {
				r.minGap, r.minChannel = gap, ch
			}
		}
	}
	r.minGap = max(r.minGap, 0)
	return r
}
