package main

import "time"

// recovery is how long the questions waiting at a kill (acknowledged, not
// yet answered) took to be answered after it: those the killed replica
// held come back to another replica or to its successor.
type recovery struct {
	waiting   int           // acknowledged before the kill, unanswered at it
	byKilled  int           // of which acknowledged by the killed replica
	unreplied int           // of the waiting, never answered
	max       time.Duration // the latest answer after the kill, of all waiting
	maxKilled time.Duration // and of those the killed replica acknowledged
}

// recoveryAfter measures the answers, after the kill at killed, of the
// questions waiting then. Replica 0 is the one killed.
func recoveryAfter(killed time.Time, f fired, first map[string]time.Time) recovery {
	var r recovery
	for thread, acked := range f.ackedAt {
		if !acked.Before(killed) {
			continue
		}
		at, ok := first[thread]
		if ok && at.Before(killed) {
			continue
		}
		r.waiting++
		byKilled := f.ackedBy[thread] == 0
		if byKilled {
			r.byKilled++
		}
		if !ok {
			r.unreplied++
			continue
		}
		d := at.Sub(killed)
		r.max = max(r.max, d)
		if byKilled {
			r.maxKilled = max(r.maxKilled, d)
		}
	}
	return r
}
