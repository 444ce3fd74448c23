package main

import (
	"os"
	"testing"
	"time"
)

func TestCPUTimeOfThisProcess(t *testing.T) {
	m := startCPU([]int{os.Getpid()})
	// Burn some CPU so both readings must move.
	deadline := time.Now().Add(50 * time.Millisecond)
	n := 0
	for time.Now().Before(deadline) {
		n++
	}
	got, err := m.stop()
	if err != nil {
		t.Fatal(err)
	}
	if got.tool <= 0 || got.bot < 0 || got.wall < 50*time.Millisecond {
		t.Errorf("cpu share %+v after %d spins", got, n)
	}
	if _, err := cpuTime(-1); err == nil {
		t.Error("cpu time of no process")
	}
}
