package main

import (
	"slices"
	"time"
)

// paceReport is how well the posts in each channel kept the bot's bound of
// one message per channel per bound (Slack allows about one a second).
type paceReport struct {
	channels   int
	gaps       int           // consecutive pairs of posts in one channel
	minGap     time.Duration // the smallest gap between two posts of one bot process; 0 if no pair
	minChannel string
	violations int // gaps under the bound between two posts of one bot process
	// acrossRestart are gaps under the bound whose posts came from two bot
	// processes: a new process does not know when the old one last posted
	// in a channel, so its first post there may come early.
	acrossRestart int
}

// pacing measures, in each channel, the gaps between consecutive times.
// restarts are the moments a new bot process was started: a gap that
// spans one is between two processes.
func pacing(byChannel map[string][]time.Time, bound time.Duration, restarts []time.Time) paceReport {
	var r paceReport
	r.minGap = -1
	for ch, ts := range byChannel {
		r.channels++
		ts = slices.Clone(ts)
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(ts); i++ {
			r.gaps++
			gap := ts[i].Sub(ts[i-1])
			if spans(ts[i-1], ts[i], restarts) {
				if gap < bound {
					r.acrossRestart++
				}
				continue
			}
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

// spans says whether a new process started after a and no later than b.
func spans(a, b time.Time, restarts []time.Time) bool {
	for _, r := range restarts {
		if a.Before(r) && !b.Before(r) {
			return true
		}
	}
	return false
}
