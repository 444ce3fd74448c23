package main

import (
	"slices"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

func TestExplainDuplicates(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	p := func(s int, ts, proc string) post {
		return post{at: t0.Add(time.Duration(s) * time.Second), ts: ts, proc: proc}
	}
	dupes := map[string][]post{
		"D1 1.1": {p(11, "b", "r1.0"), p(9, "a", "r0.0")},                     // killed r0.0, then r1.0; the database knows the second
		"D2 1.2": {p(9, "c", "r0.0"), p(11, "d", "r0.1")},                     // but here it knows the first: a delivered reply posted again
		"D3 1.3": {p(3, "e", "r1.0"), p(4, "f", "r0.0")},                      // the first is not the killed process's
		"D4 1.4": {p(9, "g", "r0.0"), p(11, "h", "r1.0"), p(12, "i", "r1.0")}, // three posts
		"D5 1.5": {p(9, "j", "r0.1"), p(11, "k", "r0.1")},                     // twice from one process
		"D6 1.6": {p(9, "l", "r0.0"), p(11, "m", "r0.1")},                     // killed r0.0, then its successor
	}
	recorded := map[string]string{"D1 1.1": "b", "D2 1.2": "c", "D3 1.3": "f", "D4 1.4": "h", "D5 1.5": "k", "D6 1.6": "m"}
	r := explainDuplicates(dupes, "r0.0", recorded)
	if r.threads != 6 || r.extra != 7 || r.explained != 2 {
		t.Errorf("threads %d extra %d explained %d, want 6, 7, 2", r.threads, r.extra, r.explained)
	}
	if want := []string{"D2 1.2", "D3 1.3", "D4 1.4", "D5 1.5"}; !slices.Equal(r.unexplained, want) {
		t.Errorf("unexplained %v, want %v", r.unexplained, want)
	}
	if r := explainDuplicates(dupes, "", recorded); r.explained != 0 {
		t.Errorf("without a kill %d explained, want 0", r.explained)
	}
}

// TestRecordedReplies reads a database written by the real store, on each
// backend, so that a change of schema breaks this test rather than the load
// test's verdict.
func TestRecordedReplies(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			db := runDatabase{url: b.URL(t)}
			if b.Name == "postgres" {
				db.pg = db.url
			}
			testRecordedReplies(t, db)
		})
	}
}

func testRecordedReplies(t *testing.T, db runDatabase) {
	st, err := store.Open(t.Context(), db.url)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, ch := range []string{"D1", "D2"} {
		q := store.Question{EventID: "Ev" + ch, Text: "salaire ?", UserID: "U1", Channel: ch, ChannelType: "im",
			TS: "1.1", ThreadTS: "1.1", AskedAt: now}
		id, _, err := st.RecordQuestion(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := st.Delivered(t.Context(), id, store.Outcome{Decision: "answer"}, "1700000000.000007", now); err != nil {
				t.Fatal(err)
			}
		}
	}
	st.Close()
	got, err := db.recordedReplies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["D1 1.1"] != "1700000000.000007" {
		t.Errorf("recorded = %v, want only D1's reply ts (D2 is pending)", got)
	}
}
