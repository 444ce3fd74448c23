package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rssWatch keeps the highest peak RSS of the bots of one run. A killed bot
// cannot be asked afterwards, so each is sampled while it runs.
type rssWatch struct {
	mu   sync.Mutex
	peak int64 // kB
	last int64 // kB, the latest bot's current RSS at its latest sample
	wg   sync.WaitGroup
}

// watch samples p every 50ms until it exits.
func (w *rssWatch) watch(p *botProc) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			w.sample(p.cmd.Process.Pid)
			select {
			case <-p.exited:
				return
			case <-tick.C:
			}
		}
	}()
}

// sample reads one process's figures now; the tool calls it once more
// before stopping the last bot, for the end-of-run RSS.
func (w *rssWatch) sample(pid int) {
	peak, now, err := memory(pid)
	if err != nil {
		return // exited between two samples: its last peak is kept
	}
	w.mu.Lock()
	w.peak = max(w.peak, peak)
	w.last = now
	w.mu.Unlock()
}

// figures returns the peak over every bot and the last RSS seen, in kB.
func (w *rssWatch) figures() (peak, last int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak, w.last
}

// memory reads the peak (VmHWM) and current (VmRSS) resident size in kB.
func memory(pid int) (peak, now int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("read memory of %d: %w", pid, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmHWM":
			peak = n
		case "VmRSS":
			now = n
		}
	}
	if peak == 0 {
		return 0, 0, fmt.Errorf("read memory of %d: no VmHWM (zombie?)", pid)
	}
	return peak, now, nil
}
