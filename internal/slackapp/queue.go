package slackapp

import (
	"context"
	"sync"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// claimBatch is how many due questions one claim takes from the store.
const claimBatch = 100

// maxHeld bounds the questions held in memory; the rest wait in the store.
const maxHeld = 2000

// lane is one channel's line of questions: posted one at a time, at most
// one per Config.Pace, the rate Slack allows per channel.
type lane struct {
	items []store.Question
	busy  bool      // a post is in flight
	next  time.Time // no post before then
}

// queue hands recorded questions to workers. One goroutine owns its state;
// workers report back on done.
type queue struct {
	a       *App
	lanes   map[string]*lane
	held    map[int64]bool           // claimed and not yet settled
	flying  map[int64]bool           // being posted now
	again   map[int64]store.Question // claimed anew while in flight: due again once settled
	running int
	done    chan settled
}

// Run answers recorded questions until ctx is cancelled: at start the
// undelivered ones, then each new one as it is recorded, and retries when
// due. On cancellation it stops taking work, gives queued questions back to
// the store, and lets posts in flight finish for Config.Drain.
func (a *App) Run(ctx context.Context) error {
	qu := &queue{a: a, lanes: map[string]*lane{}, held: map[int64]bool{}, flying: map[int64]bool{},
		again: map[int64]store.Question{}, done: make(chan settled)}
	postCtx, cancelPosts := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelPosts()
	poll := time.NewTicker(a.cfg.PollEvery)
	defer poll.Stop()
	pace := time.NewTimer(time.Hour)
	defer pace.Stop()
	renew := time.NewTicker(a.cfg.Lease / 3)
	defer renew.Stop()

	// Stored alternates apply from the first reply on, then as staff (on
	// any replica) attach more.
	if err := a.syncAlternates(ctx); err != nil {
		a.log.Error("apply stored faq alternates", "err", err)
	}
	var syncing sync.WaitGroup
	syncing.Go(func() { a.syncFAQ(ctx) })
	defer syncing.Wait()
	defer a.jobs.close()

	qu.claim(ctx)
	for {
		qu.start(postCtx)
		qu.arm(pace)
		select {
		case <-ctx.Done():
			qu.drain(cancelPosts)
			return nil
		case q := <-a.handoff:
			<-a.slots
			qu.take(q)
			qu.takeWaiting()
		case <-a.wake:
			qu.claim(ctx)
		case <-poll.C:
			qu.claim(ctx)
		case s := <-qu.done:
			qu.settle(s)
		case <-renew.C:
			qu.renew(ctx)
		case <-pace.C:
		}
	}
}

// renew extends the leases of the questions this replica holds, well
// before they run out, so that a backlog waiting in the lanes is never
// claimed by another replica. Questions waiting here that another replica
// took all the same (this one stalled past a lease) are dropped: they are
// answered there.
func (qu *queue) renew(ctx context.Context) {
	if len(qu.held) == 0 {
		return
	}
	ids := make([]int64, 0, len(qu.held))
	for id := range qu.held {
		ids = append(ids, id)
	}
	kept, err := qu.a.store.Renew(context.WithoutCancel(ctx), ids, qu.a.now().Add(qu.a.cfg.Lease))
	if err != nil {
		qu.a.log.Error("renew leases", "err", err)
		return
	}
	ours := make(map[int64]bool, len(kept))
	for _, id := range kept {
		ours[id] = true
	}
	lost := 0
	for _, l := range qu.lanes {
		items := l.items[:0]
		for _, q := range l.items {
			if ours[q.ID] || qu.flying[q.ID] {
				items = append(items, q)
				continue
			}
			delete(qu.held, q.ID)
			lost++
		}
		l.items = items
	}
	if lost > 0 {
		qu.a.log.Warn("leases lost to another replica", "questions", lost)
		qu.a.metrics.depth.Store(int64(len(qu.held)))
	}
}

// take queues a question handed over by enqueue.
func (qu *queue) take(q store.Question) {
	if qu.held[q.ID] { // claimed after its lease ran out, before it came
		return
	}
	qu.held[q.ID] = true
	qu.push(q)
	qu.a.metrics.depth.Store(int64(len(qu.held)))
}

// takeWaiting takes every question already waiting in the handoff, so that
// a burst is held (and its leases renewed) here rather than in the channel.
func (qu *queue) takeWaiting() {
	for {
		select {
		case q := <-qu.a.handoff:
			<-qu.a.slots
			qu.take(q)
		default:
			return
		}
	}
}

// claim takes due questions from the store into their channels' lanes.
func (qu *queue) claim(ctx context.Context) {
	// Not cancelled half-way: claimed rows must reach a lane, or they
	// stay locked until their lease runs out.
	ctx = context.WithoutCancel(ctx)
	for len(qu.held) < maxHeld {
		now := qu.a.now()
		qs, err := qu.a.store.Claim(ctx, now, qu.a.cfg.Lease, min(claimBatch, maxHeld-len(qu.held)))
		if err != nil {
			qu.a.log.Error("claim questions", "err", err)
			return
		}
		for _, q := range qs {
			switch {
			case qu.flying[q.ID]:
				// Its worker put it back for a retry that is already due,
				// before telling us: queue it again once it has settled.
				qu.again[q.ID] = q
			case qu.held[q.ID]:
				// Its lease ran out while it waited in its lane: still queued.
			default:
				qu.held[q.ID] = true
				qu.push(q)
			}
		}
		qu.a.metrics.depth.Store(int64(len(qu.held)))
		if len(qs) < claimBatch {
			return
		}
	}
}

func (qu *queue) push(q store.Question) {
	l := qu.lanes[q.Channel]
	if l == nil {
		l = &lane{}
		qu.lanes[q.Channel] = l
	}
	l.items = append(l.items, q)
}

// start gives every lane that may post now its next question, while
// workers are free.
func (qu *queue) start(ctx context.Context) {
	now := qu.a.now()
	for ch, l := range qu.lanes {
		if qu.running >= qu.a.cfg.Workers {
			return
		}
		if l.busy || now.Before(l.next) {
			continue
		}
		if len(l.items) == 0 {
			delete(qu.lanes, ch)
			continue
		}
		q := l.items[0]
		l.items = l.items[1:]
		l.busy = true
		qu.flying[q.ID] = true
		qu.running++
		go func() { qu.done <- qu.a.answer(ctx, q) }()
	}
}

// settle frees the worker and the lane of a finished attempt.
func (qu *queue) settle(s settled) {
	qu.running--
	delete(qu.flying, s.q.ID)
	if l := qu.lanes[s.q.Channel]; l != nil {
		l.busy = false
		if s.posted {
			l.next = qu.a.now().Add(max(qu.a.cfg.Pace, s.pauseBy))
		}
	}
	if q, ok := qu.again[s.q.ID]; ok {
		delete(qu.again, s.q.ID)
		if s.pending { // else it was answered: the second claim is moot
			qu.push(q)
			return
		}
	}
	delete(qu.held, s.q.ID)
	qu.a.metrics.depth.Store(int64(len(qu.held)))
}

// arm sets the timer to the moment the first paced lane may post again.
func (qu *queue) arm(t *time.Timer) {
	var first time.Time
	for _, l := range qu.lanes {
		if l.busy || len(l.items) == 0 {
			continue
		}
		if first.IsZero() || l.next.Before(first) {
			first = l.next
		}
	}
	if first.IsZero() {
		t.Stop()
		return
	}
	t.Reset(max(first.Sub(qu.a.now()), 0))
}

// drain stops taking work: questions not started go back to the store, and
// posts in flight get Config.Drain to finish before they are cancelled
// (a cancelled one stays pending, answered at the next start).
func (qu *queue) drain(cancelPosts context.CancelFunc) {
	grace := time.NewTimer(qu.a.cfg.Drain)
	defer grace.Stop()
	for qu.running > 0 {
		select {
		case s := <-qu.done:
			qu.settle(s)
		case <-grace.C:
			cancelPosts()
		}
	}
	var ids []int64
	for more := true; more; {
		select {
		case q := <-qu.a.handoff:
			<-qu.a.slots
			ids = append(ids, q.ID)
		default:
			more = false
		}
	}
	for _, l := range qu.lanes {
		for _, q := range l.items {
			ids = append(ids, q.ID)
		}
	}
	if err := qu.a.store.Release(context.Background(), ids); err != nil {
		qu.a.log.Error("release queued questions", "err", err)
	}
	qu.a.log.Info("reply queue stopped", "released", len(ids))
}
