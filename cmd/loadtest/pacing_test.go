package main

import (
	"testing"
	"time"
)

func TestPacing(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(proc string, ms ...int) []stamp {
		var out []stamp
		for _, m := range ms {
			out = append(out, stamp{t0.Add(time.Duration(m) * time.Millisecond), proc})
		}
		return out
	}
	byChannel := map[string][]stamp{
		"DOK":    at("a", 2500, 0, 1000),                     // out of order: sorted before measuring
		"DFAST":  at("a", 0, 1000, 1700),                     // one gap of 700ms in one process
		"DSPAN":  append(at("a", 9800), at("b", 10100)...),   // 300ms, but from two processes
		"DMIX":   append(at("a", 0, 2000), at("b", 1500)...), // a, b, a: each process paced
		"DALONE": at("a", 5),
	}
	r := pacing(byChannel, time.Second)
	if r.channels != 5 || r.gaps != 5 {
		t.Errorf("channels %d gaps %d, want 5 and 5", r.channels, r.gaps)
	}
	if r.violations != 1 || r.minGap != 700*time.Millisecond || r.minChannel != "DFAST" {
		t.Errorf("violations %d min gap %s in %s, want 1, 700ms in DFAST", r.violations, r.minGap, r.minChannel)
	}
	if r.acrossProcesses != 2 {
		t.Errorf("across processes %d, want 2", r.acrossProcesses)
	}
	if r := pacing(map[string][]stamp{"D": at("a", 1)}, time.Second); r.minGap != 0 || r.gaps != 0 {
		t.Errorf("one post: %+v", r)
	}
}
