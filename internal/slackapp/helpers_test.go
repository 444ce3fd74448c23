package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/livefaq"
	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
)

const (
	testSecret = "test-signing-secret"
	botUser    = slackfake.BotUser
	botID      = slackfake.BotID
	formURL    = "https://example.gouv.fr/candidater"
	waitFor    = slackfake.WaitFor
)

// fakeSlack is the shared fake Slack.
type fakeSlack = slackfake.Server

func newFakeSlack(t testing.TB) *fakeSlack { return slackfake.New(t) }

// testApp is an app on a temp store and a fake Slack, its outbox running.
type testApp struct {
	*App
	box     *outbox.Outbox
	faq     *livefaq.FAQ
	console *console.Console
	matcher *atomic.Pointer[answers.Matcher]
	log     *slog.Logger
	store   *store.Store
	fake    *fakeSlack
	slack   *slack.Client
	reg     *prometheus.Registry
	handler http.Handler
	path    string
	waits   chan time.Duration // Retry-After values the backoff was given
}

// setup is what a test may change before the app is built.
type setup struct {
	app   *Config
	box   *outbox.Config
	deps  *Deps
	faq   *livefaq.Config
	slack *Poster // the Web API replies go to
}

type appOption func(setup)

func mustLoad(t testing.TB) *answers.Matcher {
	t.Helper()
	m, err := answers.Load("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func newTestApp(t testing.TB, fake *fakeSlack, path string, run bool, opts ...appOption) *testApp {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "bot.db")
	}
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	var mp atomic.Pointer[answers.Matcher]
	mp.Store(mustLoad(t))
	ta := &testApp{store: st, fake: fake, path: path, waits: make(chan time.Duration, 100), reg: prometheus.NewRegistry(),
		slack: slack.New("xoxb-test", slack.OptionAPIURL(fake.URL)), matcher: &mp}
	cfg := Config{
		SigningSecret: testSecret, BotUserID: botUser, BotID: botID,
		StaffIDs:         map[string]bool{"USTAFF": true},
		QuestionChannels: map[string]bool{"CQUESTIONS": true},
	}
	ocfg := outbox.Config{Pace: time.Millisecond, PollEvery: 10 * time.Millisecond}
	deps := Deps{Store: st, Log: slog.New(slog.NewTextHandler(t.Output(), nil)), Metrics: NewMetrics(ta.reg),
		Matcher: &mp, Views: ta.slack}
	var api Poster = ta.slack
	backoff := func(_ int, retryAfter time.Duration) time.Duration {
		select {
		case ta.waits <- retryAfter:
		default:
		}
		return time.Millisecond
	}
	var fcfg livefaq.Config
	for _, o := range opts {
		o(setup{&cfg, &ocfg, &deps, &fcfg, &api})
	}
	ta.log = deps.Log
	ta.faq = livefaq.New(fcfg, &mp, st, deps.Log, ta.reg)
	ta.console = console.New(console.Deps{Store: st, FAQ: ta.faq, Matcher: &mp, Now: deps.Now, Log: deps.Log})
	deps.Console = ta.console
	ta.box = outbox.New(ocfg, outbox.Deps{Store: st, Sender: NewReplier(&mp, api, deps.Metrics), Now: deps.Now,
		Log: deps.Log, Backoff: backoff, Registry: ta.reg})
	deps.Outbox = ta.box
	ta.App = New(cfg, deps)
	ta.handler = ta.Routes()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if run {
		wg.Go(func() { ta.box.Run(ctx) })
		wg.Go(func() { ta.faq.Run(ctx) })
		// The outbox's first count comes before the test's first question,
		// so that bot_queue_depth is exact from there on.
		tick, deadline := time.NewTicker(time.Millisecond), time.After(waitFor)
		defer tick.Stop()
		for ta.box.Pending() < 0 {
			select {
			case <-tick.C:
			case <-deadline:
				t.Fatal("the outbox never counted its questions")
			}
		}
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		ta.Close()
		st.Close()
	})
	return ta
}

// metric reads a counter or gauge from the test app's registry: name and
// label pairs; 0 when it has no sample yet.
func (ta *testApp) metric(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	families, err := ta.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	samples:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue samples
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// signed builds a request signed now with the test secret.
func signed(method, path, contentType string, body []byte) *http.Request {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	return r
}

func (ta *testApp) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	ta.handler.ServeHTTP(w, r)
	return w
}

// event is an inner event; callback wraps it in an event_callback body.
type event map[string]any

func callback(eventID string, ev event) []byte {
	body, _ := json.Marshal(map[string]any{
		"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": ev,
		"authorizations": []map[string]any{{"team_id": "T1", "user_id": botUser, "is_bot": true}},
	})
	return body
}

// postEvent sends a signed event and expects 200.
func (ta *testApp) postEvent(t *testing.T, eventID string, ev event, headers ...string) {
	t.Helper()
	r := signed("POST", "/slack/events", "application/json", callback(eventID, ev))
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	if w := ta.serve(r); w.Code != http.StatusOK {
		t.Fatalf("POST /slack/events = %d %s", w.Code, w.Body)
	}
}

func (ta *testApp) counts(t *testing.T) map[string]int {
	t.Helper()
	c, err := ta.store.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func total(c map[string]int) int { return c[store.Pending] + c[store.Delivered] + c[store.Failed] }

// waitDelivered waits until n questions are delivered.
func (ta *testApp) waitDelivered(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(waitFor)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if c := ta.counts(t); c[store.Delivered]+c[store.Failed] >= n {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("questions not settled in time: %v", ta.counts(t))
		case <-tick.C:
		}
	}
}

func message(channel, channelType, user, ts, text string) event {
	return event{"type": "message", "channel": channel, "channel_type": channelType, "user": user,
		"ts": ts, "event_ts": ts, "text": text}
}

// setScript answers the fake's posts from s: status, Retry-After, body;
// status 0 accepts the post.
func setScript(f *fakeSlack, s func(n int64, form url.Values) (int, string, string)) {
	if s == nil {
		f.Script(nil)
		return
	}
	f.Script(func(n int64, form url.Values) slackfake.Reply {
		status, retryAfter, body := s(n, form)
		return slackfake.Reply{Status: status, RetryAfter: retryAfter, Body: body}
	})
}

// logBuffer collects a test app's log, safe for its goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logTo sends the app's log, debug lines included, to b as well as the test's.
func logTo(b *logBuffer) appOption {
	return func(s setup) {
		s.deps.Log = slog.New(slog.NewTextHandler(io.MultiWriter(b, os.Stderr), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}
