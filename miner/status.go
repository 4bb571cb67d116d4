package miner

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ganglion-subnet/ganglion/internal/buildinfo"
)

// recentErrors is how many errors Status remembers.
const recentErrors = 16

// Status is what `ganglion miner status` shows (GET /status).
type Status struct {
	Address        string        `json:"address"`
	PeerID         string        `json:"peer_id"`
	UID            *uint32       `json:"uid,omitempty"` // nil: not registered (or unknown)
	Version        string        `json:"version"`
	Peers          int           `json:"peers"`
	Models         []StatusModel `json:"models"`
	MaxConcurrency int           `json:"max_concurrency"`
	QueueDepth     int           `json:"queue_depth"`
	Active         int64         `json:"active_sequences"`
	TokensTotal    int64         `json:"tokens_total"`
	UptimeSeconds  float64       `json:"uptime_seconds"`
	Stopping       bool          `json:"stopping"`
	RecentErrors   []StatusError `json:"recent_errors"`
}

// StatusModel is one served model.
type StatusModel struct {
	Name          string `json:"name"`
	ID            string `json:"id"`
	ContextLength int    `json:"context_length"`
	Queued        int    `json:"queued"`
}

// StatusError is one recent error.
type StatusError struct {
	Time  time.Time `json:"time"`
	Kind  string    `json:"kind"`
	Error string    `json:"error"`
}

func (m *Miner) recordError(kind string, err error) {
	m.errMu.Lock()
	defer m.errMu.Unlock()
	m.errors = append(m.errors, StatusError{Time: m.now().UTC(), Kind: kind, Error: err.Error()})
	if len(m.errors) > recentErrors {
		m.errors = append(m.errors[:0], m.errors[len(m.errors)-recentErrors:]...)
	}
}

// Status reports the miner's state.
func (m *Miner) Status() Status {
	st := Status{
		Address: m.Address().Hex(), PeerID: m.node.ID().String(), Version: buildinfo.Version,
		Peers: len(m.node.Host().Network().Peers()), MaxConcurrency: m.cfg.MaxConcurrency,
		QueueDepth: m.queued(), Active: m.active.Load(), TokensTotal: m.tokens.Load(),
		Stopping: m.stopping.Load(), RecentErrors: []StatusError{},
	}
	if uid, ok := m.uid(); ok {
		st.UID = &uid
	}
	if t := m.started.Load(); t != 0 {
		st.UptimeSeconds = m.now().Sub(time.Unix(0, t)).Seconds()
	}
	for _, s := range m.models {
		st.Models = append(st.Models, StatusModel{Name: s.Name, ID: hex.EncodeToString(s.ID),
			ContextLength: s.cfg.SeqLen, Queued: s.queue.len()})
	}
	m.errMu.Lock()
	st.RecentErrors = append(st.RecentErrors, m.errors...)
	m.errMu.Unlock()
	return st
}

// Handler serves /healthz (200 while serving, 503 while shutting down),
// /status (JSON Status) and /metrics (Prometheus, from g).
func (m *Miner) Handler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if m.stopping.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(m.Status())
	})
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	return mux
}
