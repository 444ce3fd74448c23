package slackapp

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// Metrics are the app's counters, written in Prometheus text format. Hand
// made for now; few enough that a library is not worth it yet.
type Metrics struct {
	events    labelled     // events by result: accepted, duplicate, ignored
	refused   labelled     // /slack/* requests refused, by reason
	questions labelled     // questions settled, by decision
	replies   atomic.Int64 // replies posted
	errors    labelled     // Slack Web API errors, by error
	retries   atomic.Int64 // posts put back for a later attempt
	feedback  labelled     // clicks on the feedback buttons: up, down
	depth     atomic.Int64 // questions held by the queue, not yet settled
}

func newMetrics() *Metrics { return &Metrics{} }

// labelled is a counter with one label.
type labelled struct {
	mu sync.Mutex
	m  map[string]int64
}

// Add adds n to the counter of one label value.
func (l *labelled) Add(label string, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]int64{}
	}
	l.m[label] += n
}

// Get returns the count of one label value.
func (l *labelled) Get(label string) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.m[label]
}

func (l *labelled) write(w io.Writer, name, label, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
	l.mu.Lock()
	keys := make([]string, 0, len(l.m))
	for k := range l.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s{%s=%q} %d\n", name, label, k, l.m[k])
	}
	l.mu.Unlock()
}

// Write writes every metric in Prometheus text format.
func (m *Metrics) Write(w io.Writer) {
	m.events.write(w, "bot_events_total", "result", "Slack events received, by what became of them.")
	m.refused.write(w, "bot_requests_refused_total", "reason", "Slack requests refused (signature, size, body).")
	m.questions.write(w, "bot_questions_total", "decision", "Questions settled, by the matcher's decision.")
	fmt.Fprintf(w, "# HELP bot_replies_posted_total Replies posted in Slack.\n# TYPE bot_replies_posted_total counter\nbot_replies_posted_total %d\n", m.replies.Load())
	m.errors.write(w, "bot_slack_errors_total", "error", "Errors from Slack's Web API.")
	fmt.Fprintf(w, "# HELP bot_reply_retries_total Replies put back for a later attempt.\n# TYPE bot_reply_retries_total counter\nbot_reply_retries_total %d\n", m.retries.Load())
	m.feedback.write(w, "bot_feedback_total", "vote", "Feedback buttons clicked.")
	fmt.Fprintf(w, "# HELP bot_queue_depth Questions held by the reply queue.\n# TYPE bot_queue_depth gauge\nbot_queue_depth %d\n", m.depth.Load())
}
