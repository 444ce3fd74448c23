package outbox

import (
	"context"
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

// queue is Run's state; only Run's goroutine touches it. Workers report
// back on done.
type queue struct {
	o       *Outbox
	lanes   map[string]*lane
	held    map[int64]bool           // claimed and not yet settled; len kept in o.held
	flying  map[int64]bool           // being posted now
	again   map[int64]store.Question // claimed anew while in flight: due again once settled
	recheck map[int64]bool           // an attempt may have been posted: every later one looks first
	running int
	done    chan settled
	checks  chan error // results of Sender.Check while paused
	probing bool       // a Check is in flight
}

func (qu *queue) hold(id int64) {
	if !qu.held[id] {
		qu.held[id] = true
		qu.o.held.Add(1)
	}
}

func (qu *queue) unhold(id int64) {
	if qu.held[id] {
		delete(qu.held, id)
		qu.o.held.Add(-1)
	}
}

// Run delivers recorded questions until ctx is cancelled: at start the
// undelivered ones, then each new one as it is recorded, and retries when
// due. On cancellation it stops taking work, gives queued questions back to
// the store, and lets posts in flight finish for Config.Drain.
func (o *Outbox) Run(ctx context.Context) error {
	qu := &queue{o: o, lanes: map[string]*lane{}, held: map[int64]bool{}, flying: map[int64]bool{},
		again: map[int64]store.Question{}, recheck: map[int64]bool{}, done: make(chan settled), checks: make(chan error, 1)}
	postCtx, cancelPosts := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelPosts()
	poll := time.NewTicker(o.cfg.PollEvery)
	defer poll.Stop()
	pace := time.NewTimer(time.Hour)
	defer pace.Stop()
	renew := time.NewTicker(o.cfg.Lease / 3)
	defer renew.Stop()
	check := time.NewTicker(o.cfg.CheckEvery)
	defer check.Stop()
	count := time.NewTicker(o.cfg.CountEvery)
	defer count.Stop()

	qu.count(ctx)
	qu.claim(ctx)
	for {
		if o.Paused() == "" {
			qu.start(postCtx)
			qu.arm(pace)
		} else {
			pace.Stop() // nothing is posted: no lane is due
		}
		select {
		case <-ctx.Done():
			qu.drain(cancelPosts)
			return nil
		case q := <-o.handoff:
			<-o.slots
			qu.take(q)
			qu.takeWaiting()
		case <-o.wake:
			qu.claim(ctx)
		case <-poll.C:
			qu.claim(ctx)
		case s := <-qu.done:
			qu.settle(s)
		case <-renew.C:
			qu.renew(ctx)
		case <-pace.C:
		case <-o.pause:
			qu.probe(ctx) // at once: a revocation event may come after the token is back
		case <-check.C:
			qu.probe(ctx)
		case err := <-qu.checks:
			qu.probing = false
			if err == nil && o.Paused() != "" {
				o.log.Info("credentials accepted again: replies resume", "was", o.Paused())
				o.setPaused("")
				qu.claim(ctx)
			}
		case <-count.C:
			qu.count(ctx)
		}
	}
}

// probe asks the Sender, off the loop, whether posting may resume.
func (qu *queue) probe(ctx context.Context) {
	if qu.o.Paused() == "" || qu.probing {
		return
	}
	qu.probing = true
	go func() {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		qu.checks <- qu.o.sender.Check(cctx)
	}()
}

// count refreshes the pending count the metrics show, so that a scrape
// never waits for the database. Records and settlements keep it in step
// between counts; one that lands while the count runs may be counted
// twice or not at all until the next count: a gauge, never a lock on the
// acknowledgement's path.
func (qu *queue) count(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	n, err := qu.o.store.Pending(cctx)
	if err != nil {
		if ctx.Err() == nil {
			qu.o.log.Warn("count pending questions", "err", err)
		}
		qu.o.pending.Store(-1)
		return
	}
	qu.o.pending.Store(int64(n))
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
	kept, err := qu.o.store.Renew(context.WithoutCancel(ctx), ids, qu.o.now().Add(qu.o.cfg.Lease))
	if err != nil {
		qu.o.log.Error("renew leases", "err", err)
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
			qu.unhold(q.ID)
			delete(qu.recheck, q.ID)
			lost++
		}
		l.items = items
	}
	if lost > 0 {
		qu.o.log.Warn("leases lost to another replica", "questions", lost)
	}
}

// take queues a question handed over by Record.
func (qu *queue) take(q store.Question) {
	if qu.held[q.ID] { // claimed after its lease ran out, before it came
		return
	}
	qu.hold(q.ID)
	qu.push(q)
}

// takeWaiting takes every question already waiting in the handoff, so that
// a burst is held (and its leases renewed) here rather than in the channel.
func (qu *queue) takeWaiting() {
	for {
		select {
		case q := <-qu.o.handoff:
			<-qu.o.slots
			qu.take(q)
		default:
			return
		}
	}
}

// claim takes due questions from the store into their channels' lanes.
// Nothing is claimed while paused: other replicas may still post.
func (qu *queue) claim(ctx context.Context) {
	if qu.o.Paused() != "" {
		return
	}
	// Not cancelled half-way: claimed rows must reach a lane, or they
	// stay locked until their lease runs out.
	ctx = context.WithoutCancel(ctx)
	for len(qu.held) < maxHeld {
		now := qu.o.now()
		qs, err := qu.o.store.Claim(ctx, now, qu.o.cfg.Lease, min(claimBatch, maxHeld-len(qu.held)))
		if err != nil {
			qu.o.log.Error("claim questions", "err", err)
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
				qu.hold(q.ID)
				qu.push(q)
			}
		}
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
	now := qu.o.now()
	for ch, l := range qu.lanes {
		if qu.running >= qu.o.cfg.Workers {
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
		recheck := qu.recheck[q.ID]
		go func() { qu.done <- qu.o.deliver(ctx, q, recheck) }()
	}
}

// settle frees the worker and the lane of a finished attempt.
func (qu *queue) settle(s settled) {
	qu.running--
	delete(qu.flying, s.q.ID)
	if s.uncertain {
		qu.recheck[s.q.ID] = true
	} else if !s.pending {
		delete(qu.recheck, s.q.ID)
	}
	if l := qu.lanes[s.q.Channel]; l != nil {
		l.busy = false
		if s.posted {
			l.next = qu.o.now().Add(max(qu.o.cfg.Pace, s.pauseBy))
		}
	}
	if s.paused {
		// Put back untouched, ahead of its lane: answered once resumed.
		l := qu.lanes[s.q.Channel]
		if l == nil {
			qu.push(s.q)
		} else {
			l.items = append([]store.Question{s.q}, l.items...)
		}
		return
	}
	if q, ok := qu.again[s.q.ID]; ok {
		delete(qu.again, s.q.ID)
		if s.pending { // else it was answered: the second claim is moot
			qu.push(q)
			return
		}
	}
	qu.unhold(s.q.ID)
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
	t.Reset(max(first.Sub(qu.o.now()), 0))
}

// drain stops taking work: questions not started go back to the store, and
// posts in flight get Config.Drain to finish before they are cancelled
// (a cancelled one stays pending, answered at the next start).
func (qu *queue) drain(cancelPosts context.CancelFunc) {
	grace := time.NewTimer(qu.o.cfg.Drain)
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
		case q := <-qu.o.handoff:
			<-qu.o.slots
			ids = append(ids, q.ID)
		default:
			more = false
		}
	}
	for _, l := range qu.lanes {
		for _, q := range l.items {
			ids = append(ids, q.ID)
			qu.unhold(q.ID)
		}
	}
	if err := qu.o.store.Release(context.Background(), ids); err != nil {
		qu.o.log.Error("release queued questions", "err", err)
	}
	qu.o.log.Info("reply queue stopped", "released", len(ids))
}
