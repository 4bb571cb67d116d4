package validator

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the validator's Prometheus metrics.
type Metrics struct {
	Probes         *prometheus.CounterVec // by outcome (scoring.Outcome names)
	Divergences    prometheus.Counter     // answers proven wrong by re-execution
	VerifySeconds  prometheus.Histogram
	Epoch          prometheus.Gauge
	EpochsSettled  prometheus.Counter
	WeightMessages *prometheus.CounterVec // by kind (commit, reveal) and result (accepted, rejected)
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := NopMetrics()
	reg.MustRegister(m.Probes, m.Divergences, m.VerifySeconds, m.Epoch, m.EpochsSettled, m.WeightMessages)
	return m
}

// NopMetrics returns metrics registered nowhere.
func NopMetrics() *Metrics {
	return &Metrics{
		Probes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ganglion_validator_probes_total",
			Help: "Probes sent to miners, by outcome."}, []string{"outcome"}),
		Divergences: prometheus.NewCounter(prometheus.CounterOpts{Name: "ganglion_validator_divergences_total",
			Help: "Answers whose re-execution diverged (proven wrong)."}),
		VerifySeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "ganglion_validator_verify_seconds",
			Help: "Time to verify one receipt by re-execution.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
		Epoch: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ganglion_validator_epoch", Help: "Current epoch."}),
		EpochsSettled: prometheus.NewCounter(prometheus.CounterOpts{Name: "ganglion_validator_epochs_settled_total",
			Help: "Epochs settled (Yuma run, report signed)."}),
		WeightMessages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ganglion_validator_weight_messages_total",
			Help: "Weight commits and reveals received, by kind and result."}, []string{"kind", "result"}),
	}
}
