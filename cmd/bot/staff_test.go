package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// seedDB records three settled questions (answer 👍, fallback, suggest) asked now.
func seedDB(t *testing.T, url string) {
	t.Helper()
	st, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	for i, d := range []string{"answer", "fallback", "suggest"} {
		ts := "1." + string(rune('1'+i))
		id, _, err := st.RecordQuestion(t.Context(), store.Question{EventID: "Ev" + ts, Text: "q", UserID: "U1",
			Channel: "D1", ChannelType: "im", TS: ts, ThreadTS: ts, AskedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		entry := map[string]string{"answer": "salaire"}[d]
		if err := st.Delivered(t.Context(), id, store.Outcome{Decision: d, EntryID: entry}, "9.9", now); err != nil {
			t.Fatal(err)
		}
		if d == "answer" {
			if err := st.RecordFeedback(t.Context(), id, "U2", true, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.AddAlternate(t.Context(), store.Alternate{EntryID: "salaire", Text: "c'est payé combien par mois ?",
		AddedBy: "USTAFF", AddedAt: now}); err != nil {
		t.Fatal(err)
	}
}

func runWith(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	if _, ok := env["BOT_CACHE"]; !ok {
		env["BOT_CACHE"] = testCache
	}
	var out, errOut bytes.Buffer
	err := run(t.Context(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestStatsJSON(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			seedDB(t, url)
			out, stderr, err := runWith(t, map[string]string{"DATABASE_URL": url}, "stats", "--json", "--period", "today")
			if err != nil {
				t.Fatalf("stats: %v\n%s", err, stderr)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			want := map[string]float64{"questions": 3, "answered": 1, "suggested": 1, "fallback": 1, "feedback_up": 1, "feedback_down": 0}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			text, _, err := runWith(t, map[string]string{"DATABASE_URL": url}, "stats", "all")
			if err != nil || !strings.Contains(text, "• Questions : 3") || !strings.Contains(text, "salaire 1") {
				t.Errorf("stats all = %v\n%s", err, text)
			}
		})
	}
	if _, _, err := runWith(t, map[string]string{"DATABASE_URL": storetest.SQLite(t)}, "stats", "--period", "lundi"); err == nil {
		t.Error("stats --period lundi succeeded")
	}
}

// learn --export writes the alternate into a copy of faq.yaml, which then
// passes check; a second export adds nothing.
func TestLearnExport(t *testing.T) {
	dir := t.TempDir()
	faq := filepath.Join(dir, "faq.yaml")
	data, err := os.ReadFile("../../data/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(faq, data, 0o644)
	copyFile(t, "../../data/announcement.md", filepath.Join(dir, "announcement.md"))
	db := filepath.Join(dir, "bot.db")
	seedDB(t, db)
	env := map[string]string{"DATABASE_URL": db, "BOT_FAQ": faq}
	if out, _, err := runWith(t, env, "learn"); err != nil || !strings.Contains(out, "salaire\tc'est payé combien par mois ?\t(USTAFF") {
		t.Errorf("learn = %v\n%s", err, out)
	}
	out, stderr, err := runWith(t, env, "learn", "--export")
	if err != nil || !strings.Contains(out, "1 alternate(s) written") {
		t.Fatalf("learn --export = %v\n%s%s", err, out, stderr)
	}
	after, _ := os.ReadFile(faq)
	if !strings.Contains(string(after), "- c'est payé combien par mois ?\n") || len(after) <= len(data) {
		t.Errorf("faq.yaml lacks the alternate")
	}
	if _, stderr, err := runWith(t, env, "check", "--announcements", "../../data/announcements.yaml"); err != nil {
		t.Errorf("check after export: %v\n%s", err, stderr)
	}
	if out, _, err := runWith(t, env, "learn", "--export"); err != nil || !strings.Contains(out, "already has") {
		t.Errorf("second export = %v\n%s", err, out)
	}
}

func TestRetentionDays(t *testing.T) {
	for v, want := range map[string]int{"": 90, "30": 30, "1": 1, "0": -1, "-3": -1, "trois": -1} {
		got, err := retentionDays(func(string) string { return v })
		if (want < 0) != (err != nil) || (err == nil && got != want) {
			t.Errorf("BOT_RETENTION_DAYS=%q: %d, %v", v, got, err)
		}
	}
}

// serve's purge job deletes what is past the retention at once, keeping
// the day's figures.
func TestPurgeJob(t *testing.T) {
	url := storetest.SQLite(t)
	seedDB(t, url) // asked now
	st, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(t.Context())
	later := func() time.Time { return time.Now().AddDate(0, 0, 31) }
	done := make(chan struct{})
	go func() { defer close(done); purge(ctx, st, 30, later, slog.New(slog.NewTextHandler(t.Output(), nil))) }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for n, _ := st.Counts(t.Context()); n[store.Delivered] != 0; n, _ = st.Counts(t.Context()) {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("not purged: %v", n)
		}
	}
	cancel()
	<-done
	f, err := st.Stats(t.Context(), time.Time{}, store.Day(later()))
	if err != nil || f.Questions != 3 || f.FeedbackUp != 1 {
		t.Errorf("figures after the purge = %+v, %v", f, err)
	}
}
