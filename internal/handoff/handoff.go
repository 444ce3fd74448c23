// Package handoff hands the questions the bot could not answer to staff:
// every second it opens a handoff for each fallback reply delivered (a 👎
// opens one from the app), and posts or updates each handoff's card in the
// staff channel until the card shows the handoff's state. A card is held
// by one replica at a time under a lease, so that a crashed replica's card
// is posted by another; it knows no chat platform: a Sender posts.
package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/store"
)

// Sender is what the handoffs need from the chat platform.
type Sender interface {
	// PostCard posts h's card in the staff channel and returns where it
	// is, and the link to the candidate's message ("" if none could be
	// had). When recheck is set an earlier attempt may have posted it:
	// PostCard looks for that card first and returns it if found.
	PostCard(ctx context.Context, h store.Handoff, recheck bool) (channel, ts, permalink string, err error)
	// UpdateCard shows h's state on its card, posted before.
	UpdateCard(ctx context.Context, h store.Handoff) error
}

// Config tunes the loop; zero fields take their defaults.
type Config struct {
	Every  time.Duration // how often fallbacks and cards are looked for; default 1s
	Lease  time.Duration // how long a card being posted is held; default 1m
	Window time.Duration // fallbacks delivered this long ago are still handed over; default 1h
	// CountEvery is how often the figures the metrics show are counted; default 15s.
	CountEvery time.Duration
}

// Deps are the loop's collaborators.
type Deps struct {
	Store  *store.Store
	Sender Sender
	Now    func() time.Time
	Log    *slog.Logger
	// Backoff says how long to wait before card attempt n+1; tests make it tiny.
	Backoff func(attempt int, retryAfter time.Duration) time.Duration
	// Registry gets the handoff figures; nil: not exported.
	Registry prometheus.Registerer
	// Changed, when set, is told after a pass that showed a card: every
	// change of a handoff's state is shown, so what lists them (the staff
	// Home) may refresh.
	Changed func()
}

// maxAttempts bounds the tries of one card before it is given up.
const maxAttempts = 50

// batch is how many cards one pass handles.
const batch = 20

// callTimeout bounds one call to the platform, well inside the lease.
const callTimeout = 20 * time.Second

// Loop opens handoffs and keeps their cards in step.
type Loop struct {
	cfg     Config
	store   *store.Store
	sender  Sender
	now     func() time.Time
	log     *slog.Logger
	backoff func(int, time.Duration) time.Duration
	gauges  *prometheus.GaugeVec
	changed func()
}

// New builds the loop; call Run.
func New(cfg Config, d Deps) *Loop {
	if cfg.Every <= 0 {
		cfg.Every = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.Window <= 0 {
		cfg.Window = time.Hour
	}
	if cfg.CountEvery <= 0 {
		cfg.CountEvery = 15 * time.Second
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Backoff == nil {
		d.Backoff = outbox.Backoff
	}
	l := &Loop{cfg: cfg, store: d.Store, sender: d.Sender, now: d.Now, log: d.Log, backoff: d.Backoff, changed: d.Changed,
		gauges: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "bot_handoffs",
			Help: "Questions handed to staff since the start of the records (figure: opened, answered, answer_median_seconds), as last counted."},
			[]string{"figure"})}
	if d.Registry != nil {
		d.Registry.MustRegister(l.gauges)
	}
	return l
}

// Run opens handoffs and posts and updates their cards until ctx is
// cancelled.
func (l *Loop) Run(ctx context.Context) error {
	tick := time.NewTicker(l.cfg.Every)
	defer tick.Stop()
	count := time.NewTicker(l.cfg.CountEvery)
	defer count.Stop()
	l.count(ctx)
	for {
		l.Pass(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-count.C:
			l.count(ctx)
		}
	}
}

// Pass opens the handoffs of new fallbacks and settles the cards due.
func (l *Loop) Pass(ctx context.Context) {
	now := l.now()
	n, err := l.store.OpenFallbackHandoffs(ctx, now.Add(-l.cfg.Window), now)
	switch {
	case err != nil && ctx.Err() == nil:
		l.log.Error("open handoffs", "err", err)
	case n > 0:
		l.log.Info("questions handed to staff", "handoffs", n)
	}
	cards, err := l.store.ClaimHandoffCards(context.WithoutCancel(ctx), now, l.cfg.Lease, batch)
	if err != nil {
		if ctx.Err() == nil {
			l.log.Error("claim handoff cards", "err", err)
		}
		return
	}
	for _, h := range cards {
		l.show(ctx, h)
	}
	if len(cards) > 0 && l.changed != nil {
		l.changed()
	}
}

// show posts or updates one card and records the outcome, even when ctx
// was cancelled meanwhile: a card posted is never left unrecorded.
func (l *Loop) show(ctx context.Context, h store.Handoff) {
	rec := context.WithoutCancel(ctx)
	cctx, cancel := context.WithTimeout(rec, callTimeout)
	defer cancel()
	log := l.log.With("question_id", h.QuestionID, "reason", h.Reason, "status", h.Status)
	var channel, ts, permalink string
	var err error
	if h.CardTS == "" {
		// Claimed before without settling: that holder may have posted it.
		channel, ts, permalink, err = l.sender.PostCard(cctx, h, h.Attempts > 1)
	} else {
		err = l.sender.UpdateCard(cctx, h)
	}
	if err == nil {
		if err := l.store.CardShown(rec, h.QuestionID, h.Version, channel, ts, permalink); err != nil {
			log.Error("card shown but not recorded", "err", err)
		}
		log.Info("handoff card shown", "card_ts", firstOf(ts, h.CardTS))
		return
	}
	f := outbox.Classify(err)
	// A refused token is no reason to drop the card: it goes once a valid
	// token is back, as replies do.
	giveUp := f.Kind == outbox.Lasting || h.Attempts >= maxAttempts
	wait := l.backoff(h.Attempts, f.RetryAfter)
	if giveUp {
		log.Error("handoff card not shown, giving up", "err", err, "error", f.Code)
	} else {
		log.Warn("handoff card not shown, will retry", "err", err, "error", f.Code, "retry_in", wait)
	}
	if err := l.store.CardRetry(rec, h.QuestionID, l.now().Add(wait), fmt.Sprintf("%s: %v", f.Code, err), giveUp); err != nil {
		log.Error("reschedule handoff card", "err", err)
	}
}

// count refreshes the figures the metrics show, off the scrape's path.
func (l *Loop) count(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	f, err := l.store.HandoffStats(cctx, time.Time{}, l.now().Add(time.Hour))
	if err != nil {
		if ctx.Err() == nil {
			l.log.Warn("count handoffs", "err", err)
		}
		return
	}
	l.gauges.WithLabelValues("opened").Set(float64(f.Opened))
	l.gauges.WithLabelValues("answered").Set(float64(f.Answered))
	l.gauges.WithLabelValues("answer_median_seconds").Set(f.Median.Seconds())
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
