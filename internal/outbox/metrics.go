package outbox

import "github.com/prometheus/client_golang/prometheus"

// metrics are the outbox's; the gauges read its state when scraped and
// never wait for the database.
type metrics struct {
	questions *prometheus.CounterVec // decision, once settled
	replies   prometheus.Counter
	latency   prometheus.Histogram // question recorded → reply posted
	retries   prometheus.Counter
}

func newMetrics(o *Outbox, reg prometheus.Registerer) *metrics {
	m := &metrics{
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bot_questions_total",
			Help: "Questions settled (reply posted or given up), by the matcher's decision."}, []string{"decision"}),
		replies: prometheus.NewCounter(prometheus.CounterOpts{Name: "bot_replies_posted_total", Help: "Replies posted."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "bot_reply_latency_seconds",
			Help: "Time from a question recorded to its reply posted, retries included.",
			// Most replies take well under a second; retries after 5xx or 429
			// stretch to minutes.
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 1800},
		}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{Name: "bot_reply_retries_total", Help: "Replies put back for a later attempt."}),
	}
	if reg == nil {
		return m
	}
	reg.MustRegister(m.questions, m.replies, m.latency, m.retries,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_queue_held", Help: "Questions held by this replica's reply queue."},
			func() float64 { return float64(o.Held()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_queue_depth",
			Help: "Questions waiting for their reply, all replicas together, as the outbox last counted them (-1 if the database did not answer)."},
			func() float64 { return float64(o.Pending()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_replies_paused", Help: "1 while replies are paused because the platform refuses the credentials."},
			func() float64 {
				if o.Paused() != "" {
					return 1
				}
				return 0
			}),
	)
	return m
}
