// Package slackapp is everything that speaks Slack: it takes events, slash
// commands and button clicks in (HTTP or Socket Mode), records questions in
// the store, and posts the answers chosen by package answers in threads.
package slackapp

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// Poster is the part of *slack.Client that replies use.
type Poster interface {
	PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error)
}

// Config is what the app needs to know about its workspace.
type Config struct {
	SigningSecret    string          // HTTP mode: verifies every /slack/* request
	BotUserID        string          // the bot's own user (auth.test): never answered, mention stripped
	BotID            string          // the bot's bot id (auth.test)
	StaffIDs         map[string]bool // may run the staff command
	QuestionChannels map[string]bool // top-level messages there are questions

	Workers   int           // posts in flight at once; default 8
	Pace      time.Duration // minimum gap between two posts in one channel; default 1s
	PollEvery time.Duration // how often due retries are looked for; default 1s
	Lease     time.Duration // how long a claimed question is held; default 5m
	Drain     time.Duration // at shutdown, how long in-flight posts may finish; default 5s

	FAQPath   string        // faq.yaml, re-read by /bin reload
	AckWithin time.Duration // a staff command slower than this is answered via response_url; default 2s
	SyncEvery time.Duration // how often alternates attached on another replica are looked for; default 30s
}

// Deps are the app's collaborators.
type Deps struct {
	Matcher *atomic.Pointer[answers.Matcher] // swapped live by a reload
	Store   *store.Store
	Slack   Poster
	Now     func() time.Time
	Log     *slog.Logger
	// Backoff says how long to wait before post attempt n+1 after a passing
	// error; retryAfter is Slack's Retry-After (0 if none). Tests make it tiny.
	Backoff func(attempt int, retryAfter time.Duration) time.Duration
	// HTTP posts to response_url; default a client with a 30s timeout.
	HTTP *http.Client
	// MatcherOptions build the matchers of reloads and attached alternates.
	MatcherOptions []answers.Option
}

// App is the Slack side of the bot.
type App struct {
	cfg     Config
	matcher *atomic.Pointer[answers.Matcher]
	store   *store.Store
	slack   Poster
	now     func() time.Time
	log     *slog.Logger
	backoff func(int, time.Duration) time.Duration
	metrics *Metrics
	wake    chan struct{} // a question was recorded: the queue looks at once
	// handoff carries questions recorded already held for this process's
	// queue, sparing a claim each; slots bounds them so a send never blocks.
	handoff chan store.Question
	slots   chan struct{}
	staff   map[string]subcommand
	http    *http.Client
	faq     faqState
	mopts   []answers.Option
	jobs    jobs // follow-ups to response_url in flight
	// announcer, when set, posts announcements and answers /bin announce.
	announcer *Announcer
}

// withDefaults fills the collaborators tests and serve may leave out.
func (d Deps) withDefaults() Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Backoff == nil {
		d.Backoff = Backoff
	}
	return d
}

// New builds the app; call Run to start answering.
func New(cfg Config, d Deps) *App {
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
	d = d.withDefaults()
	if cfg.AckWithin <= 0 {
		cfg.AckWithin = 2 * time.Second
	}
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = 30 * time.Second
	}
	if d.HTTP == nil {
		d.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	a := &App{cfg: cfg, matcher: d.Matcher, store: d.Store, slack: d.Slack, now: d.Now, log: d.Log,
		backoff: d.Backoff, wake: make(chan struct{}, 1),
		handoff: make(chan store.Question, handoffSize), slots: make(chan struct{}, handoffSize),
		http: d.HTTP, mopts: d.MatcherOptions, faq: faqState{base: d.Matcher.Load().FAQ()}}
	a.metrics = newMetrics(a)
	a.staff = a.subcommands()
	return a
}

// SetAnnouncer adds the announcements: `/bin announce` and its buttons.
// Call it before serving.
func (a *App) SetAnnouncer(an *Announcer) {
	a.announcer = an
	a.staff["announce"] = an.subcommand()
}

// Metrics returns the app's metrics.
func (a *App) Metrics() *Metrics { return a.metrics }

// handoffSize is how many recorded questions may wait for the queue in
// memory; beyond it they wait in the store for a claim.
const handoffSize = 512

// enqueue records a question and hands it to the queue. It returns
// fresh=false when the question was seen before.
func (a *App) enqueue(ctx context.Context, q store.Question) (id int64, fresh bool, err error) {
	held := false
	if a.metrics.depth.Load() < maxHeld { // else memory stays bounded: a claim finds it later
		select {
		case a.slots <- struct{}{}:
			held = true
			q.HeldUntil = a.now().Add(a.cfg.Lease)
		default: // the queue is behind: a claim will find it
		}
	}
	id, fresh, err = a.store.RecordQuestion(ctx, q)
	switch {
	case held && fresh && err == nil:
		q.ID = id
		a.handoff <- q
	case held:
		<-a.slots
	}
	if fresh && err == nil && !held {
		a.notify()
	}
	return id, fresh, err
}

// notify wakes the queue without ever blocking the caller.
func (a *App) notify() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}
