package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

const (
	testSecret = "test-signing-secret"
	botUser    = "UBOT"
	botID      = "BBOT"
	formURL    = "https://example.gouv.fr/candidater"
	waitFor    = 10 * time.Second
)

// fakeSlack is a Web API that records chat.postMessage forms. script, if
// set, answers a call instead: it returns the status, headers and body.
type fakeSlack struct {
	t      testing.TB
	URL    string
	posts  chan url.Values // successful posts
	calls  atomic.Int64
	mu     sync.Mutex
	script func(n int64, form url.Values) (status int, retryAfter string, body string)
	ts     atomic.Int64
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, posts: make(chan url.Values, 100)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth.test", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"ok":true,"user_id":%q,"bot_id":%q,"team":"BIN"}`, botUser, botID)
	})
	mux.HandleFunc("POST /chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("parse form: %v", err)
		}
		n := f.calls.Add(1)
		f.mu.Lock()
		script := f.script
		f.mu.Unlock()
		if script != nil {
			status, retryAfter, body := script(n, r.PostForm)
			if status != 0 {
				if retryAfter != "" {
					w.Header().Set("Retry-After", retryAfter)
				}
				w.WriteHeader(status)
				fmt.Fprint(w, body)
				return
			}
		}
		f.posts <- r.PostForm
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06d"}`, r.PostForm.Get("channel"), f.ts.Add(1))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.URL = srv.URL + "/"
	return f
}

func (f *fakeSlack) setScript(s func(n int64, form url.Values) (int, string, string)) {
	f.mu.Lock()
	f.script = s
	f.mu.Unlock()
}

// next waits for the next successful post.
func (f *fakeSlack) next(t *testing.T) url.Values {
	t.Helper()
	select {
	case p := <-f.posts:
		return p
	case <-time.After(waitFor):
		t.Fatal("no chat.postMessage within", waitFor)
		return nil
	}
}

// testApp is an app on a temp store and a fake Slack, its queue running.
type testApp struct {
	*App
	store   *store.Store
	fake    *fakeSlack
	handler http.Handler
	path    string
	waits   chan time.Duration // Retry-After values the backoff was given
}

type appOption func(*Config, *Deps)

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
	ta := &testApp{store: st, fake: fake, path: path, waits: make(chan time.Duration, 100)}
	cfg := Config{
		SigningSecret: testSecret, BotUserID: botUser, BotID: botID,
		StaffIDs:         map[string]bool{"USTAFF": true},
		QuestionChannels: map[string]bool{"CQUESTIONS": true},
		Pace:             time.Millisecond, PollEvery: 10 * time.Millisecond,
	}
	deps := Deps{
		Matcher: &mp, Store: st, Log: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Slack: slack.New("xoxb-test", slack.OptionAPIURL(fake.URL)),
		Backoff: func(_ int, retryAfter time.Duration) time.Duration {
			select {
			case ta.waits <- retryAfter:
			default:
			}
			return time.Millisecond
		},
	}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	ta.App = New(cfg, deps)
	ta.handler = ta.Routes()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	if run {
		go func() { ta.Run(ctx); close(done) }()
	} else {
		close(done)
	}
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
	})
	return ta
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
