package main

import (
	"testing"
	"time"
)

func TestPacing(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, t0.Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	restart := t0.Add(10 * time.Second)
	byChannel := map[string][]time.Time{
		"DOK":    at(2500, 0, 1000), // out of order: sorted before measuring
		"DFAST":  at(0, 1000, 1700), // one gap of 700ms in one process
		"DSPAN":  at(9800, 10100),   // 300ms, but across the restart
		"DALONE": at(5),
	}
	r := pacing(byChannel, time.Second, []time.Time{restart})
	if r.channels != 4 || r.gaps != 5 {
		t.Errorf("channels %d gaps %d, want 4 and 5", r.channels, r.gaps)
	}
	if r.violations != 1 || r.minGap != 700*time.Millisecond || r.minChannel != "DFAST" {
		t.Errorf("violations %d min gap %s in %s, want 1, 700ms in DFAST", r.violations, r.minGap, r.minChannel)
	}
	if r.acrossRestart != 1 {
		t.Errorf("across restart %d, want 1", r.acrossRestart)
	}
	if r := pacing(byChannel, time.Second, nil); r.violations != 2 || r.minGap != 300*time.Millisecond {
		t.Errorf("without a restart: violations %d min gap %s, want 2 and 300ms", r.violations, r.minGap)
	}
	if r := pacing(map[string][]time.Time{"D": at(1)}, time.Second, nil); r.minGap != 0 || r.gaps != 0 {
		t.Errorf("one post: %+v", r)
	}
}
