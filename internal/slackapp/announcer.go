package slackapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/store"
)

// Announcer posts the programme's announcements when they fall due, each
// exactly once across restarts and replicas: the store lets one claim per
// post. A post missed while the bot was down goes out late within the
// plan's grace window; later than that it is recorded as skipped, logged,
// and shown to staff in `/bin announce list`.
type Announcer struct {
	plan    *announce.Plan
	matcher *atomic.Pointer[answers.Matcher]
	store   *store.Store
	slack   Poster
	now     func() time.Time
	log     *slog.Logger
	backoff func(int, time.Duration) time.Duration

	// HTTP posts to Slack's response_url after a send is confirmed.
	HTTP *http.Client
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

	missed atomic.Int64 // posts skipped beyond the grace window, for metrics
	sent   atomic.Int64 // on-demand sends finished, for tests and metrics
}

// NewAnnouncer builds the announcer of a plan; d gives the store, Slack,
// matcher (for the facts the texts use), clock, log and backoff.
func NewAnnouncer(plan *announce.Plan, d Deps) *Announcer {
	d = d.withDefaults()
	return &Announcer{plan: plan, matcher: d.Matcher, store: d.Store, slack: d.Slack, now: d.Now, log: d.Log,
		backoff: d.Backoff, HTTP: &http.Client{Timeout: 10 * time.Second},
		Every: 30 * time.Second, Stale: 10 * time.Minute, Pace: time.Second, Attempts: 5}
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

// occurrences lists the plan's scheduled posts with the current facts.
func (an *Announcer) occurrences() []announce.Occurrence {
	deadline, ok, _ := an.matcher.Load().FAQ().Deadline()
	return an.plan.Occurrences(deadline, ok)
}

// Tick posts what is due now, records what was missed beyond grace, and
// takes over posts a dead replica left unfinished.
func (an *Announcer) Tick(ctx context.Context) error {
	now := an.now()
	occs := an.occurrences()
	var due []announce.Occurrence
	for _, o := range occs {
		switch an.plan.StatusAt(o, now) {
		case announce.Due:
			ok, err := an.store.ClaimAnnouncement(ctx, claimOf(o, store.AnnouncementPosting, now, ""))
			if err != nil {
				return err
			}
			if ok {
				due = append(due, o)
			}
		case announce.Missed:
			late := now.Sub(o.At).Round(time.Minute)
			ok, err := an.store.ClaimAnnouncement(ctx, claimOf(o, store.AnnouncementSkipped, now,
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
			if t, ok := an.find(p.Name); ok {
				an.log.Info("announcement taken over", "announcement", p.Name, "channel", p.Channel)
				an.post(ctx, p.Key, p.Name, p.Channel, t.text)
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

func claimOf(o announce.Occurrence, status string, now time.Time, cause string) store.AnnouncementPost {
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
	r := announcementReply(text, an.matcher.Load().FAQ().FormURL.Value)
	for attempt := 1; ; attempt++ {
		_, ts, err := an.slack.PostMessageContext(ctx, channel,
			slack.MsgOptionText(r.text, false), slack.MsgOptionBlocks(r.blocks...), slack.MsgOptionDisableLinkUnfurl())
		if err == nil {
			an.finish(ctx, key, store.AnnouncementPosted, ts, "")
			an.log.Info("announcement posted", "announcement", name, "channel", channel, "ts", ts)
			return
		}
		f := classify(err)
		code := f.Code
		if f.Kind != outbox.Passing {
			an.finish(ctx, key, store.AnnouncementFailed, "", code)
			an.log.Error("announcement refused by Slack", "announcement", name, "channel", channel, "error", code)
			return
		}
		if attempt >= an.Attempts || ctx.Err() != nil {
			an.log.Warn("announcement not posted yet", "announcement", name, "channel", channel, "error", code, "retry_in", an.Stale.String())
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

// announcementReply is an announcement's message: the text and the
// "Postuler" button, with the form link in the plain-text fallback.
func announcementReply(text, formURL string) reply {
	apply := slack.NewButtonBlockElement(actionApply, "", plain("Postuler")).WithStyle(slack.StylePrimary)
	apply.URL = formURL
	bs := sections(text, maxBlocks-1)
	return reply{text: clip(text) + "\n\nPostuler : " + formURL, blocks: append(bs, slack.NewActionBlock("actions", apply))}
}

// Missed is how many posts were skipped beyond the grace window.
func (an *Announcer) Missed() int64 { return an.missed.Load() }
