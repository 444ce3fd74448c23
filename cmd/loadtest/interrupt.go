package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// supervisor owns the run's bots: the current process of each replica,
// across restarts.
type supervisor struct {
	setup botSetup
	rss   rssWatch
	mu    sync.Mutex
	cur   []*botProc // by replica
	gens  []int      // processes started so far, by replica
}

func newSupervisor(setup botSetup) *supervisor {
	n := len(setup.addrs)
	return &supervisor{setup: setup, cur: make([]*botProc, n), gens: make([]int, n)}
}

// startAll starts every replica, one after the other.
func (s *supervisor) startAll(ctx context.Context) error {
	for slot := range s.cur {
		if err := s.start(ctx, slot); err != nil {
			return err
		}
	}
	return nil
}

// start starts replica slot's next process and watches its memory.
func (s *supervisor) start(ctx context.Context, slot int) error {
	s.mu.Lock()
	gen := s.gens[slot]
	s.gens[slot]++
	s.mu.Unlock()
	p, err := s.setup.start(ctx, slot, gen)
	if err != nil {
		return err
	}
	s.rss.watch(p)
	s.mu.Lock()
	s.cur[slot] = p
	s.mu.Unlock()
	return nil
}

// current returns the running processes, replica by replica; a replica
// down has none.
func (s *supervisor) current() []*botProc {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*botProc
	for _, p := range s.cur {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// bases are the URLs of the replicas up now.
func (s *supervisor) bases() []string {
	var out []string
	for _, p := range s.current() {
		out = append(out, p.base)
	}
	return out
}

// stop stops every bot with SIGTERM, each after a last memory sample.
func (s *supervisor) stop() {
	var wg sync.WaitGroup
	for _, p := range s.current() {
		s.rss.sample(p.cmd.Process.Pid)
		wg.Go(p.stop)
	}
	wg.Wait()
	s.rss.wg.Wait()
}

// interruption is what happened when the bot was stopped or killed
// mid-run and a new one started on the same database.
type interruption struct {
	signal    string
	proc      string    // the process stopped or killed
	acked     int64     // deliveries acknowledged before the signal
	signalled time.Time // the signal was sent
	exited    time.Time // the old bot was seen gone
	restarted time.Time // the new bot's exec: none of its posts is earlier
	healthy   time.Time // the new bot answered /healthz
	err       error
}

// interruptWhen waits until acked reaches threshold, then stops replica
// 0 with SIGTERM or SIGKILL, leaves it down for down (the other replicas,
// if any, serving), and starts its next process. It gives up, returning
// nil, if sending ends with fewer acknowledgements.
func (s *supervisor) interruptWhen(ctx context.Context, acked *atomic.Int64, threshold int64, kill bool, down time.Duration, sent <-chan struct{}) *interruption {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for acked.Load() < threshold {
		select {
		case <-ctx.Done():
			return nil
		case <-sent:
			if acked.Load() < threshold {
				return nil
			}
		case <-tick.C:
		}
	}
	s.mu.Lock()
	old := s.cur[0]
	s.mu.Unlock()
	it := &interruption{signal: "SIGTERM", proc: old.name, acked: acked.Load(), signalled: time.Now()}
	if kill {
		it.signal = "SIGKILL"
		old.kill()
	} else {
		old.stop()
	}
	it.exited = time.Now()
	s.mu.Lock()
	s.cur[0] = nil
	s.mu.Unlock()
	select {
	case <-ctx.Done():
		it.err = fmt.Errorf("restart: %w", ctx.Err())
		return it
	case <-time.After(down):
	}
	it.restarted = time.Now()
	if err := s.start(ctx, 0); err != nil {
		it.err = fmt.Errorf("restart: %w", err)
		return it
	}
	it.healthy = time.Now()
	return it
}
