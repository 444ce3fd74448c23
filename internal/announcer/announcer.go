// Package announcer posts the programme's announcements when they fall
// due, each exactly once across restarts and replicas: the store lets one
// claim per post. A post missed while the bot was down goes out late within
// the plan's grace window; later than that it is recorded as skipped,
// logged, and shown to staff. It knows no chat platform: a Poster posts.
package announcer

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/store"
)

// Poster is what the announcer needs from the chat platform: post one
// announcement's text in a channel, with the form link. A refusal should
// be an *outbox.Failure saying whether a retry may cure it.
type Poster interface {
	PostAnnouncement(ctx context.Context, channel, text string) (ts string, err error)
}

// Deps are the announcer's collaborators: the matcher gives the facts the
// texts use.
type Deps struct {
	Matcher  *atomic.Pointer[answers.Matcher]
	Store    *store.Store
	Poster   Poster
	Now      func() time.Time
	Log      *slog.Logger
	Backoff  func(attempt int, retryAfter time.Duration) time.Duration
	Registry prometheus.Registerer // nil: not exported
}

// Announcer posts a plan's announcements.
type Announcer struct {
	plan    *announce.Plan
	matcher *atomic.Pointer[answers.Matcher]
	store   *store.Store
	poster  Poster
	now     func() time.Time
	log     *slog.Logger
	backoff func(int, time.Duration) time.Duration

	// Every is how often due posts are looked for; default 30s.
	Every time.Duration
	// Stale is how long a claimed post may stay unfinished before another
	// replica takes it over (its claimer died); default 10m.
	Stale time.Duration
	// Pace is the gap between two posts in one channel; default 1s.
	Pace time.Duration
	// Attempts bounds the tries of one post within a tick; a post still
	// failing for a passing reason is taken over again after Stale.
	Attempts int

	missed atomic.Int64 // posts skipped beyond the grace window
	sent   atomic.Int64 // on-demand sends finished
}

// New builds the announcer of a plan.
func New(plan *announce.Plan, d Deps) *Announcer {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Backoff == nil {
		d.Backoff = outbox.Backoff
	}
	an := &Announcer{plan: plan, matcher: d.Matcher, store: d.Store, poster: d.Poster, now: d.Now, log: d.Log,
		backoff: d.Backoff, Every: 30 * time.Second, Stale: 10 * time.Minute, Pace: time.Second, Attempts: 5}
	if d.Registry != nil {
		d.Registry.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "bot_announcements_missed_total",
				Help: "Announcement posts skipped, due beyond the grace window."}, func() float64 { return float64(an.missed.Load()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "bot_announcements_sent_total",
				Help: "On-demand announcement sends finished."}, func() float64 { return float64(an.sent.Load()) }))
	}
	return an
}

// Run posts due announcements until ctx ends.
func (an *Announcer) Run(ctx context.Context) error {
	tick := time.NewTicker(an.Every)
	defer tick.Stop()
	for {
		if err := an.Tick(ctx); err != nil && ctx.Err() == nil {
			an.log.Error("announcements", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Plan is the announcements file in service.
func (an *Announcer) Plan() *announce.Plan { return an.plan }

// Occurrences lists the plan's scheduled posts with the current facts.
func (an *Announcer) Occurrences() []announce.Occurrence {
	deadline, ok, _ := an.matcher.Load().FAQ().Deadline()
	return an.plan.Occurrences(deadline, ok)
}

// Tick posts what is due now, records what was missed beyond grace, and
// takes over posts a dead replica left unfinished.
func (an *Announcer) Tick(ctx context.Context) error {
	now := an.now()
	occs := an.Occurrences()
	var due []announce.Occurrence
	for _, o := range occs {
		switch an.plan.StatusAt(o, now) {
		case announce.Due:
			ok, err := an.store.ClaimAnnouncement(ctx, ClaimOf(o, store.AnnouncementPosting, now, ""))
			if err != nil {
				return err
			}
			if ok {
				due = append(due, o)
			}
		case announce.Missed:
			late := now.Sub(o.At).Round(time.Minute)
			ok, err := an.store.ClaimAnnouncement(ctx, ClaimOf(o, store.AnnouncementSkipped, now,
				fmt.Sprintf("missed by %s, beyond the %s grace window", late, an.plan.Grace)))
			if err != nil {
				return err
			}
			if ok {
				an.missed.Add(1)
				an.log.Warn("announcement missed", "announcement", o.Name, "channel", o.Channel, "due_at", o.At, "late", late.String())
			}
		}
	}
	stale, err := an.store.ReclaimAnnouncements(ctx, now.Add(-an.Stale), now)
	if err != nil {
		return err
	}
	for _, p := range stale {
		if p.SentBy != "" { // sent on demand: same text, same channel
			if t, ok := an.Find(p.Name); ok {
				an.log.Info("announcement taken over", "announcement", p.Name, "channel", p.Channel)
				an.post(ctx, p.Key, p.Name, p.Channel, t.Text)
				continue
			}
		} else if o, ok := findKey(occs, p.Key); ok {
			an.log.Info("announcement taken over", "announcement", o.Name, "channel", o.Channel)
			due = append(due, o)
			continue
		}
		an.finish(ctx, p.Key, store.AnnouncementFailed, "", "no longer in the announcements file")
	}
	an.postAll(ctx, due)
	return nil
}

// ClaimOf is the claim of an occurrence's post.
func ClaimOf(o announce.Occurrence, status string, now time.Time, cause string) store.AnnouncementPost {
	return store.AnnouncementPost{Key: o.Key, Name: o.Name, Channel: o.Channel, DueAt: o.At,
		Status: status, ClaimedAt: now, LastError: cause}
}

func findKey(occs []announce.Occurrence, key string) (announce.Occurrence, bool) {
	for _, o := range occs {
		if o.Key == key {
			return o, true
		}
	}
	return announce.Occurrence{}, false
}

// postAll posts claimed occurrences, pacing the posts of each channel.
func (an *Announcer) postAll(ctx context.Context, occs []announce.Occurrence) {
	last := map[string]time.Time{}
	for _, o := range occs {
		if wait := an.Pace - time.Since(last[o.Channel]); !last[o.Channel].IsZero() && wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		an.post(ctx, o.Key, o.Name, o.Channel, an.text(o))
		last[o.Channel] = time.Now()
	}
}

// text renders an occurrence as of its own time.
func (an *Announcer) text(o announce.Occurrence) string {
	return announce.Text(an.matcher.Load(), o)
}

// post sends one claimed post, retrying passing errors a few times; it
// records the outcome, or leaves the claim for a later take-over.
func (an *Announcer) post(ctx context.Context, key, name, channel, text string) {
	for attempt := 1; ; attempt++ {
		ts, err := an.poster.PostAnnouncement(ctx, channel, text)
		if err == nil {
			an.finish(ctx, key, store.AnnouncementPosted, ts, "")
			an.log.Info("announcement posted", "announcement", name, "channel", channel, "ts", ts)
			return
		}
		f := outbox.Classify(err)
		switch f.Kind {
		case outbox.Lasting:
			an.finish(ctx, key, store.AnnouncementFailed, "", f.Code)
			an.log.Error("announcement refused", "announcement", name, "channel", channel, "error", f.Code)
			return
		case outbox.Auth:
			// Not this post's fault: it is taken over once stale, by when
			// the token may be back.
			an.log.Error("announcement not posted: the token is refused", "announcement", name, "channel", channel,
				"error", f.Code, "retry_in", an.Stale.String())
			return
		}
		if attempt >= an.Attempts || ctx.Err() != nil {
			an.log.Warn("announcement not posted yet", "announcement", name, "channel", channel, "error", f.Code, "retry_in", an.Stale.String())
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(an.backoff(attempt, f.RetryAfter)):
		}
	}
}

func (an *Announcer) finish(ctx context.Context, key, status, ts, cause string) {
	// The outcome must be written even if the bot is stopping.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := an.store.FinishAnnouncement(ctx, key, status, ts, cause, an.now()); err != nil {
		an.log.Error("record announcement", "key", key, "err", err)
	}
}

// Missed is how many posts were skipped beyond the grace window.
func (an *Announcer) Missed() int64 { return an.missed.Load() }

// Sent is how many on-demand sends have finished.
func (an *Announcer) Sent() int64 { return an.sent.Load() }
