package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// eachBackend runs test once per backend, each on a database of its own:
// SQLite always, PostgreSQL when TEST_DATABASE_URL is set (else skipped).
func eachBackend(t *testing.T, test func(t *testing.T, s *Store, url string)) {
	t.Helper()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			test(t, openAt(t, url), url)
		})
	}
}

// openAt opens the store at url, closed when the test ends.
func openAt(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2021, 12, 1, 10, 0, 0, 0, time.UTC)

func question(event, channel, ts string) Question {
	return Question{EventID: event, Text: "Quel est le salaire ?", UserID: "U1", Channel: channel,
		ChannelType: "channel", TS: ts, ThreadTS: ts, AskedAt: t0}
}

func TestRecordQuestionDedupes(t *testing.T) { eachBackend(t, testRecordQuestionDedupes) }

func testRecordQuestionDedupes(t *testing.T, s *Store, _ string) {
	ctx := t.Context()
	cases := []struct {
		name      string
		q         Question
		wantFresh bool
	}{
		{"first", question("Ev1", "C1", "1.1"), true},
		{"retry of the same event", question("Ev1", "C1", "1.1"), false},
		{"app_mention copy of the message", question("Ev2", "C1", "1.1"), false},
		{"same ts in another channel", question("Ev3", "C2", "1.1"), true},
		{"click, no message ts", Question{EventID: "pick:1", Kind: KindPick, Channel: "C1", ThreadTS: "1.1", EntryID: "salaire", AskedAt: t0}, true},
		{"second click", Question{EventID: "pick:2", Kind: KindPick, Channel: "C1", ThreadTS: "1.1", EntryID: "salaire", AskedAt: t0}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, fresh, err := s.RecordQuestion(ctx, c.q)
			if err != nil || fresh != c.wantFresh {
				t.Fatalf("RecordQuestion = %v, %v; want fresh %v", fresh, err, c.wantFresh)
			}
		})
	}
}

func TestRecordQuestionConcurrentDuplicates(t *testing.T) {
	eachBackend(t, testRecordQuestionConcurrentDuplicates)
}

func testRecordQuestionConcurrentDuplicates(t *testing.T, s *Store, _ string) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := "EvA"
			if i%2 == 1 {
				ev = "EvB" // the app_mention copy
			}
			_, ok, err := s.RecordQuestion(context.Background(), question(ev, "C1", "5.5"))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				fresh++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if fresh != 1 {
		t.Fatalf("%d fresh records of one message, want 1", fresh)
	}
}

func TestClaimLeaseAndSettle(t *testing.T) { eachBackend(t, testClaimLeaseAndSettle) }

func testClaimLeaseAndSettle(t *testing.T, s *Store, url string) {
	ctx := t.Context()
	var ids []int64
	for i, ts := range []string{"1.1", "1.2", "1.3"} {
		id, _, err := s.RecordQuestion(ctx, question("Ev"+ts, "C1", ts))
		if err != nil {
			t.Fatal(err)
		}
		if i >= 0 {
			ids = append(ids, id)
		}
	}
	got, err := s.Claim(ctx, t0, time.Minute, 2)
	if err != nil || len(got) != 2 || got[0].ID != ids[0] || got[1].ID != ids[1] {
		t.Fatalf("Claim = %+v, %v", got, err)
	}
	if got[0].Text != "Quel est le salaire ?" || got[0].AskedAt != t0 || got[0].ThreadTS != "1.1" {
		t.Errorf("claimed question = %+v", got[0])
	}
	again, _ := s.Claim(ctx, t0, time.Minute, 10)
	if len(again) != 1 || again[0].ID != ids[2] {
		t.Fatalf("second Claim = %+v, want only the third", again)
	}
	if after, _ := s.Claim(ctx, t0.Add(2*time.Minute), time.Minute, 10); len(after) != 3 {
		t.Fatalf("Claim after the lease = %d questions, want 3", len(after))
	}
	o := Outcome{Decision: "answer", EntryID: "salaire", Score: 0.9}
	if err := s.Delivered(ctx, ids[0], o, "9.9", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Retry(ctx, ids[1], o, t0.Add(time.Hour), "500 Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	if err := s.Fail(ctx, ids[2], o, "not_in_channel"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.Claim(ctx, t0.Add(10*time.Minute), time.Minute, 10); len(due) != 0 {
		t.Fatalf("Claim before the retry time = %+v", due)
	}
	due, _ := s.Claim(ctx, t0.Add(time.Hour), time.Minute, 10)
	if len(due) != 1 || due[0].ID != ids[1] || due[0].Attempts != 1 {
		t.Fatalf("Claim at the retry time = %+v", due)
	}
	counts, err := s.Counts(ctx)
	if err != nil || counts[Delivered] != 1 || counts[Failed] != 1 || counts[Pending] != 1 {
		t.Fatalf("Counts = %v, %v", counts, err)
	}

	// A restart: the pending question is held by a lease of the dead process
	// until released; Release makes it due at once.
	if err := s.Release(ctx, []int64{ids[1]}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := openAt(t, url)
	due, _ = s2.Claim(ctx, t0.Add(time.Hour), time.Minute, 10)
	if len(due) != 1 || due[0].ID != ids[1] {
		t.Fatalf("Claim after reopening = %+v", due)
	}
}

func TestThreadAndFeedback(t *testing.T) { eachBackend(t, testThreadAndFeedback) }

func testThreadAndFeedback(t *testing.T, s *Store, _ string) {
	ctx := t.Context()
	id, _, _ := s.RecordQuestion(ctx, question("Ev1", "C1", "1.1"))
	if ok, err := s.AskedInThread(ctx, "C1", "1.1", "U1"); !ok || err != nil {
		t.Errorf("AskedInThread(asker) = %v, %v", ok, err)
	}
	if ok, _ := s.AskedInThread(ctx, "C1", "1.1", "U2"); ok {
		t.Error("AskedInThread(someone else) = true")
	}
	for _, up := range []bool{true, false, true} {
		if err := s.RecordFeedback(ctx, id, "U2", up, t0); err != nil {
			t.Fatal(err)
		}
	}
	s.RecordFeedback(ctx, id, "U3", false, t0)
	s.RecordFeedback(ctx, 999, "U3", false, t0) // unknown question: ignored
	up, down, err := s.Feedback(ctx)
	if up != 1 || down != 1 || err != nil {
		t.Errorf("Feedback = %d up, %d down, %v; want 1, 1", up, down, err)
	}
	if _, err := s.Question(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Question(999) error = %v, want ErrNotFound", err)
	}
}

func TestOpenPostgresUnreachable(t *testing.T) {
	// Nothing listens on port 1: the URL is taken as PostgreSQL, not as a
	// SQLite file named "postgres:", and the error says so.
	for _, u := range []string{"postgres://nobody@127.0.0.1:1/bot?connect_timeout=2", "postgresql://nobody@127.0.0.1:1/bot?connect_timeout=2"} {
		s, err := Open(t.Context(), u)
		if err == nil {
			s.Close()
			t.Fatalf("Open(%s) succeeded", u)
		}
	}
}

func TestDollarPlaceholders(t *testing.T) {
	got := dollarPlaceholders("a = ? AND b IN (?, ?)")
	if want := "a = $1 AND b IN ($2, $3)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Several replicas claiming at once never take the same question, and
// between them take every one.
func TestConcurrentClaimsNeverShare(t *testing.T) { eachBackend(t, testConcurrentClaimsNeverShare) }

func testConcurrentClaimsNeverShare(t *testing.T, s *Store, url string) {
	ctx := t.Context()
	const n = 300
	for i := range n {
		ts := fmt.Sprintf("1.%d", i)
		if _, _, err := s.RecordQuestion(ctx, question("Ev"+ts, "C1", ts)); err != nil {
			t.Fatal(err)
		}
	}
	replicas := []*Store{s, s}
	if s.d.name == "postgres" {
		replicas[1] = openAt(t, url) // a second pool, as another process has
	}
	var mu sync.Mutex
	got := map[int64]int{}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				qs, err := replicas[w%2].Claim(context.Background(), t0, time.Hour, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(qs) == 0 {
					return
				}
				mu.Lock()
				for _, q := range qs {
					got[q.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(got) != n {
		t.Errorf("%d questions claimed, want %d", len(got), n)
	}
	for id, k := range got {
		if k != 1 {
			t.Errorf("question %d claimed %d times", id, k)
		}
	}
}

// A command opening the SQLite file beside a running bot takes none of
// the bot's held questions from it.
func TestAsToolReleasesNothing(t *testing.T) {
	url := storetest.SQLite(t)
	s := openAt(t, url)
	q := question("Ev1", "C1", "1.1")
	q.HeldUntil = t0.Add(time.Hour)
	if _, _, err := s.RecordQuestion(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	tool, err := Open(t.Context(), url, AsTool())
	if err != nil {
		t.Fatal(err)
	}
	defer tool.Close()
	if got, _ := s.Claim(t.Context(), t0, time.Minute, 10); len(got) != 0 {
		t.Errorf("the tool released a held question: %+v", got)
	}
}

// A replica renews its own leases, and loses the ones another replica
// took after they ran out; releasing those does not take them back.
func TestRenewOnlyOwnLeases(t *testing.T) { eachBackend(t, testRenewOnlyOwnLeases) }

func testRenewOnlyOwnLeases(t *testing.T, s *Store, url string) {
	ctx := t.Context()
	other := openAt(t, url) // another holder on the same database
	var ids []int64
	for _, ts := range []string{"1.1", "1.2"} {
		q := question("Ev"+ts, "C1", ts)
		q.HeldUntil = t0.Add(time.Minute)
		id, _, err := s.RecordQuestion(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if kept, err := s.Renew(ctx, ids, t0.Add(2*time.Minute)); err != nil || len(kept) != 2 {
		t.Fatalf("Renew own = %v, %v", kept, err)
	}
	if got, _ := other.Claim(ctx, t0.Add(time.Minute), time.Minute, 10); len(got) != 0 {
		t.Fatalf("another holder claimed renewed leases: %+v", got)
	}
	if got, _ := other.Claim(ctx, t0.Add(3*time.Minute), time.Minute, 10); len(got) != 2 {
		t.Fatalf("after the leases ran out, the other holder claimed %+v", got)
	}
	if kept, err := s.Renew(ctx, ids, t0.Add(5*time.Minute)); err != nil || len(kept) != 0 {
		t.Fatalf("Renew after losing them = %v, %v", kept, err)
	}
	s.Release(ctx, ids)
	if got, _ := s.Claim(ctx, t0.Add(3*time.Minute), time.Minute, 10); len(got) != 0 {
		t.Fatalf("Release freed another holder's questions: %+v", got)
	}
	if err := other.Delivered(ctx, ids[0], Outcome{Decision: "answer"}, "9.9", t0); err != nil {
		t.Fatal(err)
	}
	if kept, _ := other.Renew(ctx, ids, t0.Add(5*time.Minute)); len(kept) != 1 || kept[0] != ids[1] {
		t.Fatalf("Renew kept %v, want only the unsettled one", kept)
	}
}
