package slackapp

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the app's Prometheus metrics, on the registry serve gives
// (the outbox's are there too) or one of its own: two apps in one process
// (tests, replicas) never share or clash.
type Metrics struct {
	reg      *prometheus.Registry
	events   *prometheus.CounterVec // result: accepted, duplicate, ignored, unparsed, home
	refused  *prometheus.CounterVec // reason: signature, too_large, malformed...
	errors   *prometheus.CounterVec // method, error
	feedback *prometheus.CounterVec // vote: up, down
	handoffs *prometheus.CounterVec // event: thumbs_down, claimed, answered, replied, off_topic, attached, refused
}

// NewMetrics registers the Slack side's metrics on reg (nil: a registry of
// their own); the App and the Replier count into them.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &Metrics{reg: reg}
	f := promauto{m.reg}
	m.events = f.counterVec("bot_events_total", "Slack events received, by what became of them.", "result")
	m.refused = f.counterVec("bot_requests_refused_total", "Slack requests refused (signature, size, body).", "reason")
	m.errors = f.counterVec("bot_slack_errors_total", "Errors from Slack's Web API and response_url, by method and error.", "method", "error")
	m.handoffs = f.counterVec("bot_handoff_events_total", "What happened to questions handed to staff, seen by this replica.", "event")
	m.feedback = f.counterVec("bot_feedback_total", "Feedback votes: first votes and changes of mind, not repeated clicks.", "vote")
	m.reg.MustRegister(
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

func (p promauto) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	p.reg.MustRegister(c)
	return c
}
