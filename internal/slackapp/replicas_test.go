package slackapp

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// freezer stands between a replica and Slack: once frozen, no post
// reaches Slack any more, as when the process is killed.
type freezer struct {
	next    Poster
	mu      sync.RWMutex // held for reading while a post is on its way to Slack
	frozen  atomic.Bool
	blocked atomic.Int64 // posts stopped at the door
}

func (f *freezer) PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	f.mu.RLock()
	if f.frozen.Load() {
		f.mu.RUnlock()
		f.blocked.Add(1)
		<-ctx.Done() // a dead process posts nothing; the test's cleanup frees it
		return "", "", ctx.Err()
	}
	defer f.mu.RUnlock()
	return f.next.PostMessageContext(ctx, channel, opts...)
}

func (f *freezer) GetConversationRepliesContext(ctx context.Context, p *slack.GetConversationRepliesParameters) ([]slack.Message, bool, string, error) {
	return f.next.GetConversationRepliesContext(ctx, p)
}

func (f *freezer) AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error) {
	return f.next.AuthTestContext(ctx)
}

// freeze stops new posts and waits for those on their way to Slack.
func (f *freezer) freeze() {
	f.mu.Lock()
	f.frozen.Store(true)
	f.mu.Unlock()
}

// replica is one `bot serve` on the shared database: its own store
// connections, queue, HTTP server and lease holder name.
type replica struct {
	*App
	box    *outbox.Outbox
	cfg    outbox.Config
	name   string
	st     *store.Store
	srv    *httptest.Server
	poster *freezer
	cancel context.CancelFunc
	done   chan struct{}
}

func newReplica(t *testing.T, name, dbURL string, slackURL string) *replica {
	t.Helper()
	st, err := store.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	m, err := answers.Load("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var mp atomic.Pointer[answers.Matcher]
	mp.Store(m)
	r := &replica{name: name, st: st, done: make(chan struct{}),
		poster: &freezer{next: slack.New("xoxb-test", slack.OptionAPIURL(slackURL))}}
	r.cfg = outbox.Config{
		Workers: 8, Pace: time.Millisecond, PollEvery: 20 * time.Millisecond,
		// Leases long enough for a machine busy with -race; a killed
		// replica's questions come back after one.
		Lease: 4 * time.Second,
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})).With("replica", name)
	r.box = outbox.New(r.cfg, outbox.Deps{Store: st, Sender: NewReplier(&mp, r.poster, nil), Log: log,
		Backoff: func(int, time.Duration) time.Duration { return 5 * time.Millisecond }})
	r.App = New(Config{SigningSecret: testSecret, BotUserID: botUser, BotID: botID},
		Deps{Store: st, Outbox: r.box, Log: log})
	r.srv = httptest.NewServer(r.Routes())
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { defer close(r.done); r.box.Run(ctx) }()
	t.Cleanup(func() { r.stop(); r.srv.Close(); st.Close() })
	return r
}

// stop is SIGTERM: the queue gives back what it has not started.
func (r *replica) stop() {
	r.cancel()
	<-r.done
}

// kill is SIGKILL, seen from outside: once no post is between Slack and
// the database, the replica stops posting and writing at once. What it
// holds stays leased to it until the leases run out.
func (r *replica) kill(t *testing.T) {
	t.Helper()
	r.poster.freeze()
	// Wait until every worker that got past Slack has recorded its
	// delivery: then each question held is either unposted or delivered.
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(waitFor)
	for {
		held, blocked := int64(r.box.Held()), r.poster.blocked.Load()
		if blocked == int64(r.cfg.Workers) || blocked == held {
			t.Logf("replica %s killed holding %d questions, %d of them at Slack's door", r.name, held, blocked)
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("replica %s: workers not idle (held %d, blocked %d)", r.name, held, blocked)
		}
	}
	r.st.Close() // nothing it does from here on reaches the database
	r.srv.CloseClientConnections()
	r.srv.Close()
	r.stop()
}

// deliver posts one signed event to a replica; it reports whether the
// replica accepted it.
func deliver(client *http.Client, base string, body []byte, retry int) bool {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", base+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// load is one run of the two-replica test.
type load struct {
	events   int
	rate     int     // events per second
	fail5xx  float64 // share of posts Slack answers 500
	fail429  float64 // share answered 429 Retry-After
	killAt   int     // kill replica b after this many events; 0: no kill
	stopAt   int     // stop replica b (SIGTERM) after this many events; 0: no stop
	channels int
}

// runReplicas sends every event to both replicas (and 10% again as Slack
// retries, 10% as app_mention copies), then checks that each question got
// exactly one reply.
func runReplicas(t *testing.T, l load) {
	dbURL := storetest.Postgres(t)
	fake := newFakeSlack(t)
	fake.Fail(l.fail5xx, l.fail429)
	a := newReplica(t, "a", dbURL, fake.URL)
	b := newReplica(t, "b", dbURL, fake.URL)
	// Slack keeps connections open; so does this sender.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	questions := []string{"Quel est le salaire ?", "Le télétravail est-il possible ?", "Quel est le type de contrat ?",
		"Y a-t-il une cantine ?", "combien je serai payé", "bonjour"}
	rng := rand.New(rand.NewPCG(3, 4))
	var threads []string
	var acks []time.Duration
	var mu sync.Mutex
	var wg sync.WaitGroup
	bAlive := true
	pace := time.NewTicker(time.Second / time.Duration(l.rate))
	defer pace.Stop()
	start := time.Now()
	for i := range l.events {
		switch {
		case l.killAt > 0 && i == l.killAt:
			wg.Wait()
			b.kill(t)
			bAlive = false
			t.Logf("replica b killed after %d events", i)
		case l.stopAt > 0 && i == l.stopAt:
			wg.Wait()
			b.stop()
			bAlive = false
			t.Logf("replica b stopped after %d events", i)
		}
		<-pace.C
		channel := fmt.Sprintf("D%03d", i%l.channels)
		ts := fmt.Sprintf("1700000000.%06d", i)
		threads = append(threads, channel+"/"+ts)
		msg := message(channel, "im", "U"+strconv.Itoa(i%50), ts, questions[rng.IntN(len(questions))])
		bodies := [][]byte{callback("Ev"+strconv.Itoa(i), msg)}
		if rng.Float64() < 0.1 {
			mention := event{"type": "app_mention", "channel": channel, "user": msg["user"], "ts": ts,
				"text": "<@" + botUser + "> " + msg["text"].(string)}
			bodies = append(bodies, callback("EvM"+strconv.Itoa(i), mention))
		}
		retry := rng.Float64() < 0.1
		targets := []*replica{a}
		if bAlive {
			targets = append(targets, b)
		}
		for _, body := range bodies {
			for _, r := range targets {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sent := time.Now()
					ok := deliver(client, r.srv.URL, body, 0)
					mu.Lock()
					acks = append(acks, time.Since(sent))
					mu.Unlock()
					if !ok || retry {
						deliver(client, a.srv.URL, body, 1) // Slack's retry, to whichever replica is up
					}
				}()
			}
		}
	}
	wg.Wait()
	sent := time.Since(start)

	// Wait until every question is settled, then stop the replicas left so
	// that nothing is in flight when the replies are counted.
	deadline := time.After(90 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := a.st.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if c[store.Pending] == 0 && c[store.Delivered]+c[store.Failed] == l.events {
			if c[store.Failed] != 0 {
				t.Errorf("%d questions failed", c[store.Failed])
			}
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("not settled in time: %v", c)
		}
	}
	settled := time.Since(start)
	a.stop()
	if bAlive {
		b.stop()
	}
	lost, dup := fake.Tally(threads)
	n5xx, n429 := fake.Failed()
	slices.Sort(acks)
	p50, p99 := acks[len(acks)/2], acks[len(acks)*99/100]
	t.Logf("two replicas: %d events at %d/s (%d deliveries) in %v, all answered after %v; Slack 5xx %d, 429 %d; "+
		"ack p50 %v, p99 %v; lost %d, duplicated %d", l.events, l.rate, len(acks), sent.Round(time.Millisecond),
		settled.Round(time.Millisecond), n5xx, n429, p50.Round(time.Microsecond), p99.Round(time.Microsecond), lost, dup)
	if lost != 0 || dup != 0 {
		t.Errorf("lost %d, duplicated %d; want 0 and 0", lost, dup)
	}
}

// TestTwoReplicas runs two apps on one PostgreSQL database under the load
// of issue 3: ~1,000 events at ~200/s, each delivered to both replicas,
// with Slack failing posts with 5xx and 429.
func TestTwoReplicas(t *testing.T) {
	events := 1000
	if testing.Short() {
		events = 200
	}
	t.Run("both up", func(t *testing.T) {
		runReplicas(t, load{events: events, rate: 200, fail5xx: 0.1, fail429: 0.05, channels: 100})
	})
	t.Run("one stopped mid-run", func(t *testing.T) {
		runReplicas(t, load{events: events / 2, rate: 200, fail5xx: 0.1, fail429: 0.05, channels: 100, stopAt: events / 4})
	})
	t.Run("one killed mid-run", func(t *testing.T) {
		runReplicas(t, load{events: events / 2, rate: 200, fail5xx: 0.1, fail429: 0.05, channels: 100, killAt: events / 4})
	})
}
