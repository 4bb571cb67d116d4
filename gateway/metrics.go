package gateway

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the gateway's Prometheus metrics (ganglion_gateway_*).
type Metrics struct {
	Requests  *prometheus.CounterVec   // by endpoint and status code
	Retries   *prometheus.CounterVec   // by reason
	Tokens    *prometheus.CounterVec   // by direction (in, out)
	Latency   *prometheus.HistogramVec // time to first byte of the answer, by endpoint
	InFlight  prometheus.Gauge
	Miners    prometheus.Gauge       // miners announcing a model the gateway serves
	Verified  *prometheus.CounterVec // re-executed receipts by result
	Published prometheus.Counter
}

func newMetrics() *Metrics {
	return &Metrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ganglion_gateway_requests_total",
			Help: "HTTP requests by endpoint and status code."}, []string{"endpoint", "code"}),
		Retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ganglion_gateway_retries_total",
			Help: "Queries retried on another miner, by reason."}, []string{"reason"}),
		Tokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ganglion_gateway_tokens_total",
			Help: "Tokens by direction (in: prompt, out: completion)."}, []string{"direction"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ganglion_gateway_first_token_seconds",
			Help: "Time from request to the first answer frame.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)},
			[]string{"endpoint"}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ganglion_gateway_in_flight",
			Help: "Requests being answered."}),
		Miners: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ganglion_gateway_miners",
			Help: "Miners announcing a model the gateway serves."}),
		Verified: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ganglion_gateway_verified_total",
			Help: "Receipts re-executed, by result."}, []string{"result"}),
		Published: prometheus.NewCounter(prometheus.CounterOpts{Name: "ganglion_gateway_queries_published_total",
			Help: "Queries published."}),
	}
}

// NewMetrics registers the gateway's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := newMetrics()
	reg.MustRegister(m.Requests, m.Retries, m.Tokens, m.Latency, m.InFlight, m.Miners, m.Verified, m.Published)
	return m
}

// NopMetrics returns unregistered metrics.
func NopMetrics() *Metrics { return newMetrics() }
