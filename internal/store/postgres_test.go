package store

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// onPostgres runs a test that only PostgreSQL has a use for (several
// replicas, its batches), as a "postgres" subtest like those of
// eachBackend, so that CI counts it, or skips it without
// TEST_DATABASE_URL.
func onPostgres(t *testing.T, test func(t *testing.T, url string)) {
	t.Helper()
	t.Run("postgres", func(t *testing.T) { test(t, storetest.Postgres(t)) })
}

// One PostgreSQL batch holds what arrives together: a retry beside its
// first delivery, the app_mention copy of a message, a click with no
// message of its own. Each is recorded once, the first in batch order being
// the fresh one, as if they had come one by one.
func TestPostgresBatchDedupes(t *testing.T) { onPostgres(t, testPostgresBatchDedupes) }

func testPostgresBatchDedupes(t *testing.T, url string) {
	s := openAt(t, url)
	first, fresh, err := s.RecordQuestion(t.Context(), question("Ev0", "C0", "0.1"))
	if err != nil || !fresh {
		t.Fatal(fresh, err)
	}
	pick := Question{EventID: "pick:T1", Kind: KindPick, ParentID: first, UserID: "U1", Channel: "C0",
		ChannelType: "channel", ThreadTS: "0.1", EntryID: "salaire", AskedAt: t0}
	held := question("Ev3", "C3", "3.3")
	held.HeldUntil = t0.Add(time.Minute)
	batch := []Question{
		question("Ev1", "C1", "1.1"),
		question("Ev1", "C1", "1.1"),  // Slack's retry, in the same batch
		question("Ev1m", "C1", "1.1"), // the app_mention copy
		question("Ev0", "C0", "0.1"),  // seen in an earlier batch
		pick,
		question("Ev2", "C2", "2.2"),
		held,
	}
	wantFresh := []bool{true, false, false, false, true, true, true}
	reqs := make([]recordReq, len(batch))
	for i, q := range batch {
		reqs[i] = recordReq{q: q}
	}
	res, err := s.recordPostgres(t.Context(), reqs)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{first: true}
	for i, r := range res {
		if r.fresh != wantFresh[i] {
			t.Errorf("%s #%d: fresh %v, want %v", batch[i].EventID, i, r.fresh, wantFresh[i])
		}
		if r.fresh {
			if ids[r.id] {
				t.Errorf("%s: id %d given twice", batch[i].EventID, r.id)
			}
			ids[r.id] = true
			got, err := s.Question(t.Context(), r.id)
			_, _, kind, _, _ := questionArgs(batch[i])
			if err != nil || got.EventID != batch[i].EventID || got.Kind != kind || got.ParentID != batch[i].ParentID {
				t.Errorf("question %d = %+v, %v; want %+v", r.id, got, err, batch[i])
			}
		}
	}
	// The held one is for this store's worker; the others are due.
	got, err := s.Claim(t.Context(), t0, time.Minute, 10)
	if err != nil || len(got) != 4 {
		t.Fatalf("Claim = %+v, %v; want Ev0, Ev1, Ev2 and the pick but not the held Ev3", got, err)
	}
}

// Batches that share events, recorded at once by two replicas in opposite
// arrival orders, never deadlock: each batch inserts its events in one
// global order. (In arrival order PostgreSQL found a deadlock and failed
// one of them after deadlock_timeout.)
func TestPostgresBatchesSharingEventsNeverDeadlock(t *testing.T) {
	onPostgres(t, testPostgresBatchesSharingEventsNeverDeadlock)
}

func testPostgresBatchesSharingEventsNeverDeadlock(t *testing.T, url string) {
	a, b := openAt(t, url), openAt(t, url)
	for i := range 30 {
		var qs []Question
		for j := range 6 {
			ts := fmt.Sprintf("%d.%d", i, j)
			qs = append(qs, question("Ev"+ts, "C"+strconv.Itoa(j), ts))
		}
		reversed := slices.Clone(qs)
		slices.Reverse(reversed)
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for k, st := range []*Store{a, b} {
			batch := qs
			if k == 1 {
				batch = reversed
			}
			wg.Go(func() {
				reqs := make([]recordReq, len(batch))
				for n, q := range batch {
					reqs[n] = recordReq{q: q}
				}
				<-start
				_, errs[k] = st.recordPostgres(t.Context(), reqs)
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
	}
}
