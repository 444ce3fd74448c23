package slackapp

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// value reads a counter or gauge.
func value(t *testing.T, m prometheus.Metric) float64 {
	t.Helper()
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		t.Fatal(err)
	}
	switch {
	case d.Counter != nil:
		return d.Counter.GetValue()
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	}
	t.Fatalf("not a counter or gauge: %v", &d)
	return 0
}

// TestMetricsExposition scrapes /metrics after one answered question: the
// issue's five families are there, in Prometheus text format.
func TestMetricsExposition(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	w := ta.serve(httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`bot_questions_total{decision="answer"} 1`,
		"# TYPE bot_reply_latency_seconds histogram",
		"bot_reply_latency_seconds_count 1",
		"bot_queue_depth 0",
		"bot_queue_held ",
		"bot_faq_entries ",
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if n := len(ta.matcher.Load().FAQ().Entries); !strings.Contains(body, fmt.Sprintf("bot_faq_entries %d\n", n)) {
		t.Errorf("bot_faq_entries is not %d", n)
	}
	if t.Failed() {
		t.Log(body)
	}
}

// TestScrapeLeavesTheDatabaseAlone: /metrics reads the outbox's own count;
// a scrape never waits for the database (on SQLite, the one connection
// acknowledgements need).
func TestScrapeLeavesTheDatabaseAlone(t *testing.T) {
	var log logBuffer
	ta := newTestApp(t, newFakeSlack(t), "", true, logTo(&log))
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	ta.fake.Next(t)
	ta.waitDelivered(t, 1)
	ta.store.Close() // a scrape that needed it would fail now
	before := strings.Count(log.String(), "count pending")
	for range 3 {
		body := ta.serve(httptest.NewRequest("GET", "/metrics", nil)).Body.String()
		if !strings.Contains(body, "bot_queue_depth 0\n") {
			t.Errorf("bot_queue_depth not the outbox's count:\n%s", body)
		}
	}
	if after := strings.Count(log.String(), "count pending"); after != before {
		t.Errorf("scrapes counted pending questions in the database %d times", after-before)
	}
}
