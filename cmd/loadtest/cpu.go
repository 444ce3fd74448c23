package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of /proc/PID/stat times: 100 on
// every architecture Go supports, and not readable without cgo.
const clockTick = 10 * time.Millisecond

// cpuTime is the user and system CPU time process pid has used.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu time of %d: %w", pid, err)
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 > len(b) {
		return 0, fmt.Errorf("read cpu time of %d: unexpected stat %q", pid, b)
	}
	f := strings.Fields(string(b[i+2:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("read cpu time of %d: unexpected stat %q", pid, b)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("read cpu time of %d: unexpected stat %q", pid, b)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// selfCPU is the CPU time the load test itself has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuShare is the CPU time the bot and the load test used over one phase.
type cpuShare struct {
	bot, tool, wall time.Duration
}

// cpuMeter measures a phase; the bots (every replica together) must be
// the same processes throughout.
type cpuMeter struct {
	pids      []int
	bot, tool time.Duration
	start     time.Time
}

func startCPU(pids []int) cpuMeter {
	m := cpuMeter{pids: pids, tool: selfCPU(), start: time.Now()}
	for _, pid := range pids {
		t, _ := cpuTime(pid)
		m.bot += t
	}
	return m
}

func (m cpuMeter) stop() (cpuShare, error) {
	var bot time.Duration
	for _, pid := range m.pids {
		t, err := cpuTime(pid)
		if err != nil {
			return cpuShare{}, err
		}
		bot += t
	}
	return cpuShare{bot: bot - m.bot, tool: selfCPU() - m.tool, wall: time.Since(m.start)}, nil
}

// loadAverage is the machine's 1-minute load average, to tell a run
// disturbed by other work on the machine; "" if unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
