// Package slackapp is everything that speaks Slack: it takes events, slash
// commands and button clicks in (HTTP or Socket Mode), hands the questions
// to the outbox, and composes and posts the answers chosen by package
// answers in threads.
package slackapp

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announcer"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/store"
)

// Poster is the part of *slack.Client that replies use: post, look in a
// thread for a reply already posted, and ask whether the token is accepted.
type Poster interface {
	PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error)
	GetConversationRepliesContext(ctx context.Context, params *slack.GetConversationRepliesParameters) ([]slack.Message, bool, string, error)
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
}

// Outbox is what the app needs from the reply outbox.
type Outbox interface {
	// Record stores a question before it is acknowledged and hands it on
	// for its reply; fresh=false when it was seen before.
	Record(ctx context.Context, q store.Question) (id int64, fresh bool, err error)
	// Pause stops replies until the token is accepted again.
	Pause(reason string)
	// Paused says why replies are paused, or "".
	Paused() string
}

// Config is what the app needs to know about its workspace.
type Config struct {
	SigningSecret    string          // HTTP mode: verifies every /slack/* request
	BotUserID        string          // the bot's own user (auth.test): never answered, mention stripped
	BotID            string          // the bot's bot id (auth.test)
	StaffIDs         map[string]bool // may run the staff command
	QuestionChannels map[string]bool // top-level messages there are questions
	// StaffChannel, when set, is where questions the bot could not answer
	// are handed to staff (the handoff loop posts the cards); a 👎 then
	// opens a handoff too.
	StaffChannel string

	AckWithin time.Duration // a staff command slower than this is answered via response_url; default 2s
}

// Deps are the app's collaborators.
type Deps struct {
	Store  *store.Store
	Outbox Outbox
	Now    func() time.Time
	Log    *slog.Logger
	// HTTP posts to response_url; default a client with a 30s timeout.
	HTTP *http.Client
	// Console answers staff's /bin.
	Console *console.Console
	// Metrics are counted into and served at /metrics; nil: NewMetrics(nil).
	Metrics *Metrics
	// Home, when set, publishes the App Home tab and opens its answers.
	Home *Home
	// Charts, when set, adds the chart to `/bin stats`.
	Charts *Charts
	// Matcher is the FAQ in service: the entries the Répondre modal offers.
	Matcher *atomic.Pointer[answers.Matcher]
	// Views opens the Répondre modal (views.open); nil: no modal.
	Views ModalOpener
}

// App is the Slack side of the bot.
type App struct {
	cfg     Config
	store   *store.Store
	outbox  Outbox
	now     func() time.Time
	log     *slog.Logger
	metrics *Metrics
	console *console.Console
	http    *http.Client
	jobs    jobs // follow-ups to response_url in flight
	// announcer, when set, answers /bin announce.
	announcer *announcer.Announcer
	home      *Home   // nil: app_home_opened is ignored
	charts    *Charts // nil: /bin stats is text only
	faq       *atomic.Pointer[answers.Matcher]
	views     ModalOpener
}

// withDefaults fills the collaborators tests and serve may leave out.
func (d Deps) withDefaults() Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return d
}

// New builds the app; serve its Routes, or RunSocket.
func New(cfg Config, d Deps) *App {
	d = d.withDefaults()
	if cfg.AckWithin <= 0 {
		cfg.AckWithin = 2 * time.Second
	}
	if d.HTTP == nil {
		d.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	a := &App{cfg: cfg, store: d.Store, outbox: d.Outbox, now: d.Now, log: d.Log,
		http: d.HTTP, console: d.Console, home: d.Home, charts: d.Charts, faq: d.Matcher, views: d.Views}
	a.metrics = d.Metrics
	if a.metrics == nil {
		a.metrics = NewMetrics(nil)
	}
	return a
}

// SetAnnouncer adds the announcements: `/bin announce` and its buttons.
// Call it before serving.
func (a *App) SetAnnouncer(an *announcer.Announcer) {
	a.announcer = an
	a.console.SetAnnouncer(an)
}

// matcher is the matcher in service; nil when the app was given none.
func (a *App) matcher() *answers.Matcher {
	if a.faq == nil {
		return nil
	}
	return a.faq.Load()
}

// Metrics returns the app's metrics.
func (a *App) Metrics() *Metrics { return a.metrics }

// Close refuses new follow-ups to response_url and waits for those in
// flight. Call it once the server has stopped.
func (a *App) Close() { a.jobs.close() }
