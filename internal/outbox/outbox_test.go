package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// sender is a Sender whose answers the test sets; it records every attempt.
type sender struct {
	mu       sync.Mutex
	post     func(a Attempt) (string, error) // nil: posted
	check    error                           // what Check answers
	attempts []Attempt
	checks   int
}

func (s *sender) Compose(q store.Question) Draft {
	return Draft{Outcome: store.Outcome{Decision: "answer", EntryID: "salaire", Score: 1}, Message: "reply to " + q.Text}
}

func (s *sender) Post(_ context.Context, a Attempt) (string, error) {
	s.mu.Lock()
	s.attempts = append(s.attempts, a)
	post := s.post
	s.mu.Unlock()
	if post == nil {
		return fmt.Sprintf("9.%d", a.Q.ID), nil
	}
	return post(a)
}

func (s *sender) Check(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks++
	return s.check
}

func (s *sender) set(post func(Attempt) (string, error), check error) {
	s.mu.Lock()
	s.post, s.check = post, check
	s.mu.Unlock()
}

func (s *sender) tries() []Attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Attempt(nil), s.attempts...)
}

// start runs an outbox on a fresh database of each backend.
func start(t *testing.T, s *sender, st *store.Store, cfg Config) *Outbox {
	t.Helper()
	cfg.Pace, cfg.PollEvery = time.Millisecond, 5*time.Millisecond
	o := New(cfg, Deps{Store: st, Sender: s, Log: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); o.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return o
}

func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func record(t *testing.T, o *Outbox, n int) {
	t.Helper()
	for i := range n {
		ts := fmt.Sprintf("1.%d", i)
		if _, fresh, err := o.Record(t.Context(), store.Question{EventID: "Ev" + ts, Kind: store.KindQuestion,
			Text: "Quel est le salaire ?", UserID: "U1", Channel: fmt.Sprintf("D%d", i), ChannelType: "im",
			TS: ts, ThreadTS: ts, AskedAt: time.Now()}); err != nil || !fresh {
			t.Fatalf("record %d: fresh=%v, %v", i, fresh, err)
		}
	}
}

// eventually waits until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("never: %s", what)
		case <-tick.C:
		}
	}
}

func counts(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	c, err := st.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAuthFailurePausesUntilCheckPasses: a refused token stops every
// post, keeps the questions pending and held, and posting resumes once
// Check passes.
func TestAuthFailurePausesUntilCheckPasses(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := &sender{}
			refused := errors.New("invalid_auth")
			s.set(func(Attempt) (string, error) { return "", &Failure{Kind: Auth, Code: "invalid_auth", Err: refused} }, refused)
			st := openStore(t, b.URL(t))
			o := start(t, s, st, Config{Workers: 1, CheckEvery: 2 * time.Millisecond})
			record(t, o, 3)
			eventually(t, "paused", func() bool { return o.Paused() == "invalid_auth" })
			eventually(t, "checked while paused", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.checks >= 3 })
			if n := len(s.tries()); n != 1 {
				t.Errorf("%d posts tried, want 1: none once paused", n)
			}
			if c := counts(t, st); c[store.Pending] != 3 || c[store.Failed] != 0 {
				t.Errorf("while paused: %v, want 3 pending", c)
			}
			if o.Held() != 3 {
				t.Errorf("held %d, want 3", o.Held())
			}
			s.set(nil, nil)
			eventually(t, "all delivered and settled", func() bool { return counts(t, st)[store.Delivered] == 3 && o.Held() == 0 })
			if o.Paused() != "" {
				t.Errorf("after resuming: paused %q", o.Paused())
			}
		})
	}
}

// TestRecheckOnlyAfterAnUncertainFailure: no attempt looks first until one
// may have been posted; from then on every attempt does (that post may be
// there whatever came after).
func TestRecheckOnlyAfterAnUncertainFailure(t *testing.T) {
	s := &sender{}
	var n int
	s.set(func(a Attempt) (string, error) {
		n++
		switch n {
		case 1:
			return "", &Failure{Kind: Passing, Code: "ratelimited", Err: errors.New("429")}
		case 2:
			return "", &Failure{Kind: Passing, Code: "network", Uncertain: true, Err: errors.New("timeout")}
		case 3:
			return "", &Failure{Kind: Passing, Code: "ratelimited", Err: errors.New("429")}
		}
		return "9.9", nil
	}, nil)
	st := openStore(t, storetest.SQLite(t))
	o := start(t, s, st, Config{})
	record(t, o, 1)
	eventually(t, "delivered", func() bool { return counts(t, st)[store.Delivered] == 1 })
	var got []bool
	for _, a := range s.tries() {
		got = append(got, a.Recheck)
	}
	if fmt.Sprint(got) != "[false false true true]" {
		t.Errorf("Recheck per attempt = %v, want [false false true true]", got)
	}
}

// TestHeldAndPendingAreTheOutboxsState: Held and Pending follow the
// questions recorded and settled, without asking the database.
func TestHeldAndPendingAreTheOutboxsState(t *testing.T) {
	s := &sender{}
	release := make(chan struct{})
	s.set(func(Attempt) (string, error) { <-release; return "9.9", nil }, nil)
	st := openStore(t, storetest.SQLite(t))
	o := start(t, s, st, Config{Workers: 1})
	eventually(t, "first count", func() bool { return o.Pending() == 0 })
	record(t, o, 4)
	if o.Pending() != 4 {
		t.Errorf("pending %d after 4 recorded, want 4", o.Pending())
	}
	eventually(t, "all held", func() bool { return o.Held() == 4 })
	close(release)
	eventually(t, "all settled", func() bool { return o.Held() == 0 && o.Pending() == 0 })
	if c := counts(t, st); c[store.Delivered] != 4 {
		t.Errorf("counts %v", c)
	}
}

// TestLastingFailureFailsTheQuestion: no retry for what no retry cures.
func TestLastingFailureFailsTheQuestion(t *testing.T) {
	s := &sender{}
	s.set(func(Attempt) (string, error) {
		return "", &Failure{Kind: Lasting, Code: "not_in_channel", Err: errors.New("not_in_channel")}
	}, nil)
	st := openStore(t, storetest.SQLite(t))
	o := start(t, s, st, Config{})
	record(t, o, 1)
	eventually(t, "failed", func() bool { return counts(t, st)[store.Failed] == 1 })
	if n := len(s.tries()); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	if o.Paused() != "" {
		t.Errorf("paused %q by a lasting failure", o.Paused())
	}
}
