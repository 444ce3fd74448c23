// Package outbox delivers the replies to recorded questions: a question is
// recorded before it is acknowledged, then claimed, queued in its channel's
// lane, paced, posted by a worker, retried after a passing failure, and
// given back at shutdown. Leases are renewed while a question waits, so
// that replicas never post one question twice. It knows no chat platform:
// a Sender composes and posts.
package outbox

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/betagouv/bin-bot/internal/store"
)

// Sender is what the outbox needs from the chat platform.
type Sender interface {
	// Compose decides the reply to q, without I/O: the matcher's outcome
	// (recorded with the reply) and the message, opaque to the outbox. A
	// nil Message settles q as delivered without posting anything.
	Compose(q store.Question) Draft
	// Post sends the draft in q's thread and returns the reply's id. When
	// a.Recheck is set an earlier attempt may have reached the platform:
	// Post looks for that reply first and returns its id if found. A
	// refusal should be a *Failure saying what kind it is.
	Post(ctx context.Context, a Attempt) (replyID string, err error)
	// Check reports whether the platform accepts the credentials again;
	// asked while the outbox is paused by an Auth failure.
	Check(ctx context.Context) error
}

// Draft is a reply composed and not yet posted.
type Draft struct {
	Outcome store.Outcome
	Message any
}

// Attempt is one try at posting a question's reply.
type Attempt struct {
	Q       store.Question
	Draft   Draft
	Recheck bool // an earlier attempt may have been posted: look before posting again
}

// Config tunes the outbox; zero fields take their defaults.
type Config struct {
	Workers    int           // posts in flight at once; default 8
	Pace       time.Duration // minimum gap between two posts in one channel; default 1s
	PollEvery  time.Duration // how often due retries are looked for; default 1s
	Lease      time.Duration // how long a claimed question is held; default 5m
	Drain      time.Duration // at shutdown, how long in-flight posts may finish; default 5s
	CheckEvery time.Duration // while paused, how often the credentials are tried; default 30s
	CountEvery time.Duration // how often the pending questions of all replicas are counted; default 5s
}

// Deps are the outbox's collaborators.
type Deps struct {
	Store  *store.Store
	Sender Sender
	Now    func() time.Time
	Log    *slog.Logger
	// Backoff says how long to wait before post attempt n+1 after a
	// passing failure; retryAfter is the platform's (0 if none). Tests
	// make it tiny.
	Backoff func(attempt int, retryAfter time.Duration) time.Duration
	// Registry gets the outbox's metrics; nil: not exported.
	Registry prometheus.Registerer
}

// Outbox records questions and delivers their replies. Record may be called
// from any goroutine; Run owns the queue.
type Outbox struct {
	cfg     Config
	store   *store.Store
	sender  Sender
	now     func() time.Time
	log     *slog.Logger
	backoff func(int, time.Duration) time.Duration
	metrics *metrics

	wake chan struct{} // a question was recorded and not handed over: claim at once
	// handoff carries questions recorded already held for this process,
	// sparing a claim each; slots bounds them so a send never blocks.
	handoff chan store.Question
	slots   chan struct{}
	pause   chan string // Pause's reasons, for Run

	held    atomic.Int64           // questions this replica holds: claimed or handed over, not settled
	paused  atomic.Pointer[string] // why posting is paused; nil when it is not
	pending atomic.Int64           // questions pending on every replica, as last counted; -1 unknown
}

// handoffSize is how many recorded questions may wait for Run in memory;
// beyond it they wait in the store for a claim.
const handoffSize = 512

// New builds an outbox; call Run to deliver.
func New(cfg Config, d Deps) *Outbox {
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Pace <= 0 {
		cfg.Pace = time.Second
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.Drain <= 0 {
		cfg.Drain = 5 * time.Second
	}
	if cfg.CheckEvery <= 0 {
		cfg.CheckEvery = 30 * time.Second
	}
	if cfg.CountEvery <= 0 {
		cfg.CountEvery = 5 * time.Second
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Backoff == nil {
		d.Backoff = Backoff
	}
	o := &Outbox{cfg: cfg, store: d.Store, sender: d.Sender, now: d.Now, log: d.Log, backoff: d.Backoff,
		wake: make(chan struct{}, 1), handoff: make(chan store.Question, handoffSize),
		slots: make(chan struct{}, handoffSize), pause: make(chan string, 1)}
	o.pending.Store(-1)
	o.metrics = newMetrics(o, d.Registry)
	return o
}

// Record stores a question and hands it to Run. It returns fresh=false
// when the question was seen before (a retried event, the same message
// delivered twice), and records nothing then.
func (o *Outbox) Record(ctx context.Context, q store.Question) (id int64, fresh bool, err error) {
	held := false
	if o.held.Load() < maxHeld { // else memory stays bounded: a claim finds it later
		select {
		case o.slots <- struct{}{}:
			held = true
			q.HeldUntil = o.now().Add(o.cfg.Lease)
		default: // Run is behind: a claim will find it
		}
	}
	id, fresh, err = o.store.RecordQuestion(ctx, q)
	if fresh && err == nil {
		o.addPending(1) // before the hand-off: its delivery takes it off
	}
	switch {
	case held && fresh && err == nil:
		q.ID = id
		o.handoff <- q
	case held:
		<-o.slots
	}
	if fresh && err == nil && !held {
		o.notify()
	}
	return id, fresh, err
}

// notify wakes Run without ever blocking the caller.
func (o *Outbox) notify() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Pause stops posting until the platform accepts the credentials again
// (Sender.Check): the app was uninstalled or its tokens revoked. Questions
// keep being recorded, and wait.
func (o *Outbox) Pause(reason string) {
	o.setPaused(reason)
	select {
	case o.pause <- reason:
	default:
	}
}

func (o *Outbox) setPaused(reason string) {
	if reason == "" {
		o.paused.Store(nil)
		return
	}
	o.paused.Store(&reason)
}

// Paused says why posting is paused, or "" when it is not.
func (o *Outbox) Paused() string {
	if p := o.paused.Load(); p != nil {
		return *p
	}
	return ""
}

// Held is how many questions this replica holds: claimed or handed over,
// not yet settled.
func (o *Outbox) Held() int { return int(o.held.Load()) }

// addPending keeps the last count in step with this replica's own
// records and settlements until the next count; unknown stays unknown.
func (o *Outbox) addPending(delta int64) {
	for {
		n := o.pending.Load()
		if n < 0 || o.pending.CompareAndSwap(n, max(n+delta, 0)) {
			return
		}
	}
}

// Pending is how many questions wait for their reply on every replica, as
// last counted by Run and kept in step since; -1 before the first count or
// after a failed one.
func (o *Outbox) Pending() int { return int(o.pending.Load()) }
