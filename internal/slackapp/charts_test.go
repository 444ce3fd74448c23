package slackapp

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
)

// The chart is handed out once Slack says the upload is processed: files.info
// is asked again, without a real wait, until the file has its type.
func TestChartWaitsUntilSlackProcessedIt(t *testing.T) {
	fake := newFakeSlack(t)
	fake.ServeUploads()
	var looks atomic.Int64
	fake.Answer("files.info", func(c slackfake.Call) any {
		mime := ""
		if looks.Add(1) >= 3 {
			mime = "image/png"
		}
		return map[string]any{"ok": true, "file": map[string]any{"id": c.Form.Get("file"), "mimetype": mime}}
	})
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var waits []time.Duration
	c := NewCharts(ChartDeps{Store: st, Slack: slack.New("xoxb-test", slack.OptionAPIURL(fake.URL)),
		Now:  func() time.Time { return december1 },
		Wait: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }})
	id, err := c.FileID(t.Context())
	if err != nil || id != "F1" {
		t.Fatalf("FileID = %q, %v", id, err)
	}
	if looks.Load() != 3 || len(waits) != 2 {
		t.Errorf("files.info asked %d times, %d waits; want 3 and 2", looks.Load(), len(waits))
	}
	// A file Slack never says is processed is still shown after the tries.
	looks.Store(-100)
	c.Refused("F1") // fresh: kept
	if id, _ := c.FileID(t.Context()); id != "F1" {
		t.Errorf("a freshly refused file was dropped: %q", id)
	}
}

// A store that fails gives an error, not a chart and not a panic.
func TestChartWithoutItsFigures(t *testing.T) {
	fake := newFakeSlack(t)
	fake.ServeUploads()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	c := NewCharts(ChartDeps{Store: st, Slack: slack.New("xoxb-test", slack.OptionAPIURL(fake.URL))})
	if id, err := c.FileID(t.Context()); err == nil || id != "" {
		t.Errorf("FileID on a closed store = %q, %v", id, err)
	}
}
