package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeBot answers /slack/events: 401 on a bad signature, and 500 to the
// first failFirst attempts of each event.
type fakeBot struct {
	t         *testing.T
	secret    string
	failFirst int

	mu       sync.Mutex
	attempts map[string][]int // event_id -> X-Slack-Retry-Num of each attempt
	inFlight int
	maxIn    int
	hold     chan struct{} // when set, each request waits on it
}

func (b *fakeBot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts := r.Header.Get("X-Slack-Request-Timestamp")
	if r.Header.Get("X-Slack-Signature") != sign(b.secret, ts, body) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var env struct {
		EventID string `json:"event_id"`
	}
	json.Unmarshal(body, &env)
	retry, _ := strconv.Atoi(r.Header.Get("X-Slack-Retry-Num"))
	b.mu.Lock()
	b.attempts[env.EventID] = append(b.attempts[env.EventID], retry)
	n := len(b.attempts[env.EventID])
	b.inFlight++
	b.maxIn = max(b.maxIn, b.inFlight)
	b.mu.Unlock()
	if b.hold != nil {
		<-b.hold
	}
	b.mu.Lock()
	b.inFlight--
	b.mu.Unlock()
	if n <= b.failFirst {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func testOptions(c, resends int) options {
	return options{concurrency: c, resends: resends, resendEvery: time.Millisecond, events: 20, channels: 4,
		retries: 0.3, mentions: 0.3}
}

func TestFireResendsUntilAcknowledged(t *testing.T) {
	b := &fakeBot{t: t, secret: "s3cret", failFirst: 2, attempts: map[string][]int{}}
	srv := httptest.NewServer(b)
	defer srv.Close()
	o := testOptions(4, 5)
	o.retries = 0 // one delivery per event_id: the 500s are counted per event_id
	ds, threads := events(o, []string{"Quel est le salaire ?", "Comment candidater ?"})
	f := newFirer([]string{srv.URL}, b.secret, o)
	got := f.fire(t.Context(), ds, 0, o.concurrency)
	if len(got.threads) != len(threads) || got.unacked != 0 {
		t.Errorf("%d of %d threads acknowledged, %d unacked", len(got.threads), len(threads), got.unacked)
	}
	if got.refused != 2*len(ds) || got.resent != 2*len(ds) || len(got.lat) != len(ds) {
		t.Errorf("refused %d resent %d latencies %d, want %d, %d, %d", got.refused, got.resent, len(got.lat), 2*len(ds), 2*len(ds), len(ds))
	}
	if n := f.acked.Load(); n != int64(len(ds)) {
		t.Errorf("acked counter %d, want %d", n, len(ds))
	}
	// Each resend carries an X-Slack-Retry-Num one higher.
	if a := b.attempts["Ev0000000"]; !slices.Equal(a, []int{0, 1, 2}) {
		t.Errorf("retry numbers of Ev0000000: %v, want [0 1 2]", a)
	}
}

func TestFireGivesUpAfterResends(t *testing.T) {
	b := &fakeBot{t: t, secret: "s3cret", failFirst: 1000, attempts: map[string][]int{}}
	srv := httptest.NewServer(b)
	defer srv.Close()
	o := testOptions(2, 3)
	o.events, o.retries, o.mentions = 3, 0, 0
	ds, _ := events(o, []string{"q"})
	got := newFirer([]string{srv.URL}, b.secret, o).fire(t.Context(), ds, 0, o.concurrency)
	if got.unacked != 3 || len(got.threads) != 0 || got.refused != 3*4 || len(got.lat) != 0 {
		t.Errorf("unacked %d threads %d refused %d latencies %d; want 3, 0, 12, 0", got.unacked, len(got.threads), got.refused, len(got.lat))
	}
}

// TestFireClosedLoopKeepsConcurrency holds every request until c are in
// flight at once: a closed loop reaches its concurrency and never exceeds it.
func TestFireClosedLoopKeepsConcurrency(t *testing.T) {
	const c = 5
	b := &fakeBot{t: t, secret: "s3cret", attempts: map[string][]int{}, hold: make(chan struct{})}
	srv := httptest.NewServer(b)
	defer srv.Close()
	o := testOptions(c, 0)
	o.events, o.retries, o.mentions = 40, 0, 0
	ds, _ := events(o, []string{"q"})
	done := make(chan fired)
	go func() { done <- newFirer([]string{srv.URL}, b.secret, o).fire(t.Context(), ds, 0, c) }()
	deadline := time.After(10 * time.Second)
	for {
		b.mu.Lock()
		in := b.inFlight
		b.mu.Unlock()
		if in == c {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("%d in flight, want %d", in, c)
		case <-time.After(time.Millisecond):
		}
	}
	close(b.hold)
	got := <-done
	if len(got.lat) != len(ds) || b.maxIn != c {
		t.Errorf("%d acks, max in flight %d; want %d and %d", len(got.lat), b.maxIn, len(ds), c)
	}
}

// With replicas, each delivery goes to one, some to two, and a resend
// after a failure goes to the next one.
func TestFireSpreadsOverReplicas(t *testing.T) {
	var bots []*fakeBot
	var bases []string
	for i := range 3 {
		b := &fakeBot{t: t, secret: "s", attempts: map[string][]int{}}
		if i == 0 {
			b.failFirst = 1000 // down: everything sent to it must go elsewhere
		}
		srv := httptest.NewServer(b)
		t.Cleanup(srv.Close)
		bots, bases = append(bots, b), append(bases, srv.URL)
	}
	o := testOptions(4, 5)
	o.events, o.replicas, o.doubled, o.retries, o.mentions = 200, 3, 0.2, 0, 0
	ds, threads := events(o, []string{"q"})
	if len(ds) <= 200+20 || len(ds) >= 200+60 {
		t.Errorf("%d deliveries for 200 events doubled at 20%%", len(ds))
	}
	got := newFirer(bases, "s", o).fire(t.Context(), ds, 0, o.concurrency)
	if len(got.threads) != len(threads) || got.unacked != 0 {
		t.Fatalf("%d of %d threads acknowledged, %d unacked", len(got.threads), len(threads), got.unacked)
	}
	by := map[int]int{}
	for _, i := range got.ackedBy {
		by[i]++
	}
	if by[0] != 0 || by[1] == 0 || by[2] == 0 {
		t.Errorf("first acks by replica %v: want none from the one down, some from each other", by)
	}
	if n := len(bots[0].attempts); n == 0 {
		t.Error("the replica down was never tried")
	}
}
