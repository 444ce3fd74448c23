package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// supervisor owns the run's current bot, across restarts.
type supervisor struct {
	setup botSetup
	rss   rssWatch
	mu    sync.Mutex
	cur   *botProc
}

// start starts a bot and watches its memory.
func (s *supervisor) start(ctx context.Context) error {
	p, err := s.setup.start(ctx)
	if err != nil {
		return err
	}
	s.rss.watch(p)
	s.mu.Lock()
	s.cur = p
	s.mu.Unlock()
	return nil
}

func (s *supervisor) current() *botProc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// stop stops the current bot with SIGTERM, after a last memory sample.
func (s *supervisor) stop() {
	if p := s.current(); p != nil {
		s.rss.sample(p.cmd.Process.Pid)
		p.stop()
	}
	s.rss.wg.Wait()
}

// interruption is what happened when the bot was stopped or killed
// mid-run and a new one started on the same database.
type interruption struct {
	signal    string
	acked     int64     // deliveries acknowledged before the signal
	signalled time.Time // the signal was sent
	exited    time.Time // the old bot was seen gone
	restarted time.Time // the new bot's exec: none of its posts is earlier
	healthy   time.Time // the new bot answered /healthz
	err       error
}

// interruptWhen waits until acked reaches threshold, then stops the bot
// with SIGTERM or SIGKILL, leaves it down for down, and starts a new one.
// It gives up, returning nil, if sending ends first.
func (s *supervisor) interruptWhen(ctx context.Context, acked *atomic.Int64, threshold int64, kill bool, down time.Duration, sent <-chan struct{}) *interruption {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for acked.Load() < threshold {
		select {
		case <-ctx.Done():
			return nil
		case <-sent:
			return nil
		case <-tick.C:
		}
	}
	it := &interruption{signal: "SIGTERM", acked: acked.Load(), signalled: time.Now()}
	old := s.current()
	if kill {
		it.signal = "SIGKILL"
		old.kill()
	} else {
		old.stop()
	}
	it.exited = time.Now()
	select {
	case <-ctx.Done():
		it.err = fmt.Errorf("restart: %w", ctx.Err())
		return it
	case <-time.After(down):
	}
	it.restarted = time.Now()
	if err := s.start(ctx); err != nil {
		it.err = fmt.Errorf("restart: %w", err)
		return it
	}
	it.healthy = time.Now()
	return it
}
