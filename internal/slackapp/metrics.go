package slackapp

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the app's Prometheus metrics, on a registry of its own: two
// apps in one process (tests, replicas) never share or clash.
type Metrics struct {
	reg       *prometheus.Registry
	events    *prometheus.CounterVec // result: accepted, duplicate, ignored, unparsed
	refused   *prometheus.CounterVec // reason: signature, too_large, malformed...
	questions *prometheus.CounterVec // decision, once settled
	replies   prometheus.Counter
	latency   prometheus.Histogram   // question recorded → reply posted
	errors    *prometheus.CounterVec // method, error
	retries   prometheus.Counter
	feedback  *prometheus.CounterVec // vote: up, down
	reloads   *prometheus.CounterVec // result: ok, refused
	depth     atomic.Int64           // questions held by this replica's queue
}

// newMetrics registers the app's metrics; the gauges read the app's state
// when scraped.
func newMetrics(a *App) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := promauto{m.reg}
	m.events = f.counterVec("bot_events_total", "Slack events received, by what became of them.", "result")
	m.refused = f.counterVec("bot_requests_refused_total", "Slack requests refused (signature, size, body).", "reason")
	m.questions = f.counterVec("bot_questions_total", "Questions settled (reply posted or given up), by the matcher's decision.", "decision")
	m.replies = f.counter("bot_replies_posted_total", "Replies posted in Slack.")
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "bot_reply_latency_seconds",
		Help: "Time from a question recorded to its reply posted, retries included.",
		// Most replies take well under a second; retries after 5xx or 429
		// stretch to minutes.
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 1800},
	})
	m.reg.MustRegister(m.latency)
	m.errors = f.counterVec("bot_slack_errors_total", "Errors from Slack's Web API and response_url, by method and error.", "method", "error")
	m.retries = f.counter("bot_reply_retries_total", "Replies put back for a later attempt.")
	m.feedback = f.counterVec("bot_feedback_total", "Feedback buttons clicked.", "vote")
	m.reloads = f.counterVec("bot_faq_reloads_total", "FAQ rebuilds (reload, alternates attached), by result.", "result")
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_queue_held", Help: "Questions held by this replica's reply queue."},
			func() float64 { return float64(m.depth.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_faq_entries", Help: "FAQ entries loaded."},
			func() float64 { return float64(len(a.matcher.Load().FAQ().Entries)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_queue_depth", Help: "Questions waiting for their reply, all replicas together (from the database; -1 if it did not answer)."},
			func() float64 {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				n, err := a.store.Pending(ctx)
				if err != nil {
					a.log.Warn("metrics: count pending questions", "err", err)
					return -1
				}
				return float64(n)
			}),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Handler serves the metrics in Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// promauto registers metrics on one registry as they are made.
type promauto struct{ reg *prometheus.Registry }

func (p promauto) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	p.reg.MustRegister(c)
	return c
}

func (p promauto) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	p.reg.MustRegister(c)
	return c
}
