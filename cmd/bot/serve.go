package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	runtimedebug "runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"golang.org/x/sync/errgroup"

	"github.com/betagouv/bin-bot/internal/announcer"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/handoff"
	"github.com/betagouv/bin-bot/internal/livefaq"
	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/slackapp"
	"github.com/betagouv/bin-bot/internal/store"
)

// runServe runs the Slack app: HTTP Events API, or Socket Mode when
// SLACK_APP_TOKEN is set (the HTTP server then still serves /healthz and
// /metrics).
func runServe(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("serve")
	addr := fs.String("addr", envOr(c.getenv, "BOT_ADDR", ":3000"), "HTTP listen address (env BOT_ADDR)")
	opsAddr := fs.String("ops-addr", c.getenv("BOT_OPS_ADDR"), "serve /healthz and /metrics on this address instead of --addr (env BOT_OPS_ADDR)")
	dbURL := c.databaseFlag(fs)
	apiURL := fs.String("slack-api-url", envOr(c.getenv, "SLACK_API_URL", slack.APIURL), "Slack Web API base URL (env SLACK_API_URL)")
	workers := fs.Int("workers", 8, "replies posted at once")
	lease := fs.Duration("lease", 5*time.Minute, "how long a question claimed by this live replica is held before another may take it (a dead replica's are taken at once)")
	debug := fs.Bool("debug", false, "log every event")
	annFile := fs.String("announcements", "", "announcements file (env BOT_ANNOUNCEMENTS; default announcements.yaml beside faq.yaml)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	token, appToken, secret := c.getenv("SLACK_BOT_TOKEN"), c.getenv("SLACK_APP_TOKEN"), c.getenv("SLACK_SIGNING_SECRET")
	switch {
	case token == "":
		return fmt.Errorf("serve: SLACK_BOT_TOKEN is not set: %w", errUsage)
	case appToken == "" && secret == "":
		return fmt.Errorf("serve: SLACK_SIGNING_SECRET is not set (HTTP mode): %w", errUsage)
	}
	retention, err := retentionDays(c.getenv)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: level}))

	m, err := c.cachedMatcher()
	if err != nil {
		return err
	}
	var matcher atomic.Pointer[answers.Matcher]
	matcher.Store(m)
	// Loading leaves tens of megabytes of garbage (the file read, the
	// learning if there was no cache); a server that runs for months gives
	// it back to the system now rather than keep it resident.
	runtimedebug.FreeOSMemory()
	if c.getenv("GOMEMLIMIT") == "" { // the old limit is put back when serve returns (tests run it in their process)
		defer runtimedebug.SetMemoryLimit(runtimedebug.SetMemoryLimit(servingMemoryLimit))
	}

	st, err := store.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer st.Close() // last: after the server and the workers have stopped

	// A bounded wait: a hung connection must not hold a worker (and its
	// question's lease) forever.
	opts := []slack.Option{slack.OptionAPIURL(withSlash(*apiURL)),
		slack.OptionHTTPClient(&http.Client{Timeout: 30 * time.Second})}
	if appToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(appToken))
	}
	api := slack.New(token, opts...)
	// auth.test names the bot, so that it never answers itself. Without it
	// the bot still knows itself from each event's authorizations and from
	// bot_id, so a Slack hiccup at start does not keep it down.
	authCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	auth, err := api.AuthTestContext(authCtx)
	cancel()
	var refused slack.SlackErrorResponse
	switch {
	case errors.As(err, &refused) && badToken[refused.Err]:
		return fmt.Errorf("serve: SLACK_BOT_TOKEN refused by Slack: %s", refused.Err)
	case err != nil:
		log.Warn("slack auth.test failed: the bot recognises itself from events only", "err", err)
		auth = &slack.AuthTestResponse{}
	}

	plan, err := c.announcementPlan(*annFile, m.FAQ())
	if err != nil {
		return err
	}
	// One registry for every part's metrics; each part gets the little it
	// needs from its neighbours.
	reg := prometheus.NewRegistry()
	metrics := slackapp.NewMetrics(reg)
	replier := slackapp.NewReplier(&matcher, api, metrics) // posts replies and announcements
	box := outbox.New(outbox.Config{Workers: *workers, Lease: *lease},
		outbox.Deps{Store: st, Sender: replier, Log: log, Registry: reg})
	faq := livefaq.New(livefaq.Config{Path: c.faq, Options: []answers.Option{c.cache()}}, &matcher, st, log, reg)
	ann := announcer.New(plan, announcer.Deps{Matcher: &matcher, Store: st, Poster: replier, Log: log, Registry: reg})
	staff := console.New(console.Deps{Store: st, FAQ: faq, Matcher: &matcher, Announcer: ann, Log: log})
	staffIDs := set(c.getenv("BOT_STAFF_IDS"))
	staffChannel := strings.TrimSpace(c.getenv("BOT_STAFF_CHANNEL"))
	charts := slackapp.NewCharts(slackapp.ChartDeps{Store: st, Slack: api, Log: log, HandedPerDay: st.HandoffsPerDay})
	home := slackapp.NewHome(slackapp.HomeDeps{Matcher: &matcher, Store: st, Slack: api, StaffIDs: staffIDs,
		Scheduled: ann.Occurrences, Charts: charts, Log: log, Waiting: st.WaitingHandoffs})
	app := slackapp.New(slackapp.Config{
		SigningSecret:    secret,
		BotUserID:        auth.UserID,
		BotID:            auth.BotID,
		StaffIDs:         staffIDs,
		QuestionChannels: set(c.getenv("BOT_QUESTION_CHANNELS")),
		StaffChannel:     staffChannel,
	}, slackapp.Deps{Store: st, Outbox: box, Console: staff, Log: log, Metrics: metrics, Matcher: &matcher, Views: api,
		Home: home, Charts: charts})
	app.SetAnnouncer(ann)
	var cards *handoff.Loop // questions handed to staff; none without a staff channel
	if staffChannel != "" {
		cards = handoff.New(handoff.Config{}, handoff.Deps{Store: st,
			Sender: slackapp.NewCardSender(staffChannel, &matcher, api, metrics), Log: log, Registry: reg,
			Changed: home.Changed})
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	handler := app.Routes()
	var opsLn net.Listener
	if *opsAddr != "" {
		if opsLn, err = net.Listen("tcp", *opsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("serve: %w", err)
		}
		handler = app.SlackRoutes()
	}

	// The loops behind the front doors run under their own lifetime,
	// stopped after the server: a question acknowledged during shutdown is
	// still handed to the outbox.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	var loops errgroup.Group
	loops.Go(func() error { return box.Run(work) })  // replies: claims, lanes, leases
	loops.Go(func() error { return faq.Run(work) })  // alternates attached on other replicas
	loops.Go(func() error { return ann.Run(work) })  // announcements when due
	loops.Go(func() error { return home.Run(work) }) // App Home views: on open, and when they change
	if cards != nil {
		loops.Go(func() error { return cards.Run(work) }) // handoff cards in the staff channel
	}
	loops.Go(func() error { purge(work, st, retention, time.Now, log); return nil })

	// The front doors stop on ctx, or when one of them fails.
	front, frontCtx := errgroup.WithContext(ctx)
	front.Go(func() error { return serveHTTP(frontCtx, newServer(handler), ln) })
	if opsLn != nil {
		front.Go(func() error { return serveHTTP(frontCtx, newServer(app.OpsRoutes()), opsLn) })
	}
	mode := "http"
	if appToken != "" {
		mode = "socket"
		front.Go(func() error { return app.RunSocket(frontCtx, socketmode.New(api)) })
	}
	log.Info("serving", "addr", ln.Addr().String(), "ops_addr", *opsAddr, "mode", mode, "staff_channel", staffChannel, "bot_user_id", auth.UserID, "team", auth.Team)
	<-frontCtx.Done()
	log.Info("shutting down")
	runErr := front.Wait()
	app.Close() // follow-ups to response_url finish
	stopWork()
	if err := loops.Wait(); err != nil && runErr == nil {
		runErr = err
	}
	log.Info("stopped")
	return runErr
}

// newServer bounds every phase of a request: a slow client holds nothing.
func newServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
}

// serveHTTP serves on ln until ctx is cancelled, then lets requests in
// flight finish for up to 10 s.
func serveHTTP(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}

// badToken are auth.test errors no retry cures: serve stops at once.
var badToken = map[string]bool{"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true}

// envOr reads a setting with a default.
func envOr(getenv env, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// withSlash ends a base URL with "/": slack-go appends method names to it.
func withSlash(u string) string {
	if !strings.HasSuffix(u, "/") {
		return u + "/"
	}
	return u
}

// set reads a comma-separated list of ids.
func set(list string) map[string]bool {
	out := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out[id] = true
		}
	}
	return out
}

// servingMemoryLimit is the heap's soft limit once the model is loaded
// (GOMEMLIMIT, when set, wins). Without it the runtime lets the heap grow to
// twice what is live (the model, 30 MB) before collecting: 96 MB of RSS
// under a burst of 2,000 questions, 67 MB with it. A relearning in the
// background (a staff attachment, /bin reload) collects more often under it
// and takes about twice as long (1.5 s).
const servingMemoryLimit = 48 << 20
