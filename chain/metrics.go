package chain

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the chain client's and relayer's Prometheus metrics.
type Metrics struct {
	TxSent          prometheus.Counter
	TxFailed        prometheus.Counter
	Retries         prometheus.Counter
	GasUsed         prometheus.Counter
	Finalized       prometheus.Counter
	PendingReports  prometheus.Gauge
	SignaturesAdded prometheus.Counter
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := newMetrics()
	reg.MustRegister(m.TxSent, m.TxFailed, m.Retries, m.GasUsed, m.Finalized, m.PendingReports, m.SignaturesAdded)
	return m
}

// NopMetrics returns metrics registered nowhere.
func NopMetrics() *Metrics { return newMetrics() }

func newMetrics() *Metrics {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "ganglion_chain_" + name, Help: help})
	}
	return &Metrics{
		TxSent:          c("tx_sent_total", "Transactions mined successfully."),
		TxFailed:        c("tx_failed_total", "Transactions that failed to send or reverted."),
		Retries:         c("rpc_retries_total", "JSON-RPC calls retried after a transient error."),
		GasUsed:         c("gas_used_total", "Gas used by mined transactions."),
		Finalized:       c("reports_finalized_total", "Epoch reports the relayer saw final."),
		SignaturesAdded: c("report_signatures_total", "Valid report signatures the relayer collected."),
		PendingReports: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ganglion_chain_reports_pending", Help: "Epoch reports in the relayer's outbox not yet final.",
		}),
	}
}
