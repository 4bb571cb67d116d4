package miner

import "github.com/prometheus/client_golang/prometheus"

// Metrics of the miner. Build with NewMetrics or NopMetrics.
type Metrics struct {
	QueueDepth      prometheus.Gauge       // queries waiting for a slot
	ActiveSequences prometheus.Gauge       // sequences being generated
	Queries         prometheus.Counter     // queries targeted at this miner
	Tokens          prometheus.Counter     // generated tokens (rate() gives tokens/s)
	Rejections      *prometheus.CounterVec // reason: busy, rate_limited, unknown_model, deadline, shutting_down, bad_request
	Dropped         *prometheus.CounterVec // reason: unauthorised, malformed, reject_backlog
	Errors          *prometheus.CounterVec // kind: stream, engine, announce
	Completed       *prometheus.CounterVec // finish: stop, length, deadline
	BatchRows       prometheus.Histogram   // rows per Forward step
	Duration        prometheus.Histogram   // seconds from arrival to receipt
}

// NewMetrics registers the miner metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := newMetrics()
	reg.MustRegister(m.QueueDepth, m.ActiveSequences, m.Queries, m.Tokens, m.Rejections, m.Dropped,
		m.Errors, m.Completed, m.BatchRows, m.Duration)
	return m
}

// NopMetrics returns metrics that are kept but never exported.
func NopMetrics() *Metrics { return newMetrics() }

func newMetrics() *Metrics {
	const ns, sub = "ganglion", "miner"
	return &Metrics{
		QueueDepth: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "queue_depth",
			Help: "Queries waiting for a generation slot."}),
		ActiveSequences: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "active_sequences",
			Help: "Sequences being generated."}),
		Queries: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "queries_total",
			Help: "Queries targeted at this miner from authorised senders."}),
		Tokens: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "tokens_total",
			Help: "Generated tokens; rate() gives tokens per second."}),
		Rejections: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "rejections_total",
			Help: "Queries answered with a Reject, by reason."}, []string{"reason"}),
		Dropped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "dropped_total",
			Help: "Queries dropped without an answer, by reason."}, []string{"reason"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "errors_total",
			Help: "Errors, by kind."}, []string{"kind"}),
		Completed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "completed_total",
			Help: "Answers finished with a receipt, by finish reason."}, []string{"finish"}),
		BatchRows: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "batch_rows",
			Help: "Rows per batched Forward step.", Buckets: prometheus.ExponentialBuckets(1, 2, 10)}),
		Duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "query_duration_seconds",
			Help: "Seconds from a query's arrival to its receipt.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)}),
	}
}
