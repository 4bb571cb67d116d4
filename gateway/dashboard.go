package gateway

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"time"

	"go.uber.org/zap"
)

// ErrNoData is returned by a DashboardSource method whose data this process
// does not have (e.g. scores without a validator store); the page shows the
// panel as unavailable.
var ErrNoData = errors.New("gateway: no data for this dashboard panel")

// DashboardSource is the subnet state the dashboard shows besides what the
// gateway knows itself (its queries and the miners' announcements). Each
// method may return ErrNoData; others errors are shown on the page.
type DashboardSource interface {
	// Metagraph returns the subnet's neurons.
	Metagraph(ctx context.Context) (*DashMetagraph, error)
	// Epochs returns recent epochs, newest first.
	Epochs(ctx context.Context) ([]DashEpoch, error)
	// ScoreHistory returns a per-miner series of scores by epoch.
	ScoreHistory(ctx context.Context) (*DashScores, error)
}

// DashMetagraph is the metagraph panel. Amounts are decimal coins.
type DashMetagraph struct {
	Netuid      uint16       `json:"netuid"`
	Block       uint64       `json:"block"`
	EpochLength uint64       `json:"epoch_length"`
	Epoch       uint64       `json:"epoch"`  // current epoch (block / epoch length)
	Source      string       `json:"source"` // where the figures come from, shown under the table
	Neurons     []DashNeuron `json:"neurons"`
}

// DashNeuron is one uid. Nil pointers are unknown (shown as "—").
type DashNeuron struct {
	UID            uint16     `json:"uid"`
	Role           string     `json:"role"` // "miner", "validator", or what the gateway saw
	Address        string     `json:"address"`
	Permit         bool       `json:"validator_permit"`
	Stake          string     `json:"stake"`           // coins
	Emission       string     `json:"emission"`        // coins: latest epoch's
	Incentive      *float64   `json:"incentive"`       // 0..1
	Dividends      *float64   `json:"dividends"`       // 0..1
	ValidatorTrust *float64   `json:"validator_trust"` // 0..1
	Score          *float64   `json:"score"`           // the validator's score of a miner (EMA)
	LastSeen       *time.Time `json:"last_seen"`
	// Serving is set by the gateway: the miner announces a model the
	// gateway serves.
	Serving bool `json:"serving"`
}

// DashEpoch is one epoch. Status is "in progress", "settled" (this
// validator signed its report; waiting for quorum on chain), "finalized"
// or "pays nothing".
type DashEpoch struct {
	Epoch  uint64 `json:"epoch"`
	Status string `json:"status"`
	Root   string `json:"root,omitempty"`
	Total  string `json:"total,omitempty"`   // coins
	Quorum string `json:"quorum,omitempty"`  // signed / total stake at finalisation, e.g. "80.0%"
	TxHash string `json:"tx_hash,omitempty"` // the finalising transaction
	Block  uint64 `json:"block,omitempty"`   // its block
}

// DashScores is the score chart: one series per miner.
type DashScores struct {
	Metric string       `json:"metric"` // what the values are, e.g. "incentive"
	Series []DashSeries `json:"series"`
}

// DashSeries is one miner's scores, by epoch ascending.
type DashSeries struct {
	UID     uint16      `json:"uid"`
	Address string      `json:"address"`
	Points  []DashPoint `json:"points"`
}

// DashPoint is one score.
type DashPoint struct {
	Epoch uint64  `json:"epoch"`
	Value float64 `json:"value"`
}

// WithDashboard serves the dashboard at GET / (a page embedded in the
// binary, no external resources) and its JSON under /dashboard/api/, and
// keeps a feed of recent queries. src may be nil: the page then shows
// the gateway's own data (queries, announcing miners) only.
func WithDashboard(src DashboardSource) Option {
	return func(g *Gateway) error {
		g.dash = src
		g.feed = newFeed()
		return nil
	}
}

//go:embed web
var webFS embed.FS

// dashboardTimeout bounds one source call.
const dashboardTimeout = 5 * time.Second

// contentSecurity forbids every origin but the gateway's own: the page
// works offline and inserted text can never run.
const contentSecurity = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (g *Gateway) mountDashboard(mux *http.ServeMux) {
	if g.feed == nil {
		return
	}
	web, _ := fs.Sub(webFS, "web")
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { serveAsset(w, web, "index.html") })
	mux.HandleFunc("GET /dashboard/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "index.html" || !assetType(name) {
			writeError(w, &apiError{status: http.StatusNotFound, Message: "no dashboard file " + name,
				Type: "invalid_request_error", Code: strp("not_found")})
			return
		}
		serveAsset(w, web, name)
	})
	mux.HandleFunc("GET /dashboard/api/info", g.dashInfo)
	mux.HandleFunc("GET /dashboard/api/metagraph", func(w http.ResponseWriter, r *http.Request) {
		g.dashServe(w, r, "metagraph", func(ctx context.Context) (any, error) { return g.dashMetagraph(ctx) })
	})
	mux.HandleFunc("GET /dashboard/api/epochs", func(w http.ResponseWriter, r *http.Request) {
		g.dashServe(w, r, "epochs", func(ctx context.Context) (any, error) {
			if g.dash == nil {
				return nil, ErrNoData
			}
			return g.dash.Epochs(ctx)
		})
	})
	mux.HandleFunc("GET /dashboard/api/scores", func(w http.ResponseWriter, r *http.Request) {
		g.dashServe(w, r, "scores", func(ctx context.Context) (any, error) {
			if g.dash == nil {
				return nil, ErrNoData
			}
			return g.dash.ScoreHistory(ctx)
		})
	})
	mux.HandleFunc("GET /dashboard/api/feed", func(w http.ResponseWriter, r *http.Request) {
		g.dashServe(w, r, "feed", func(context.Context) (any, error) { return g.feed.recent(), nil })
	})
}

var assetTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

func assetType(name string) bool {
	i := strings.LastIndexByte(name, '.')
	return i >= 0 && assetTypes[name[i:]] != ""
}

func serveAsset(w http.ResponseWriter, web fs.FS, name string) {
	b, err := fs.ReadFile(web, name)
	if err != nil {
		writeError(w, &apiError{status: http.StatusNotFound, Message: "no dashboard file " + name,
			Type: "invalid_request_error", Code: strp("not_found")})
		return
	}
	h := w.Header()
	h.Set("Content-Type", assetTypes[name[strings.LastIndexByte(name, '.'):]])
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// dashServe answers {"available": true, "data": …}, or available false
// with the reason when the source lacks the data, or 502 on its error.
func (g *Gateway) dashServe(w http.ResponseWriter, r *http.Request, panel string, fn func(context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), dashboardTimeout)
	defer cancel()
	v, err := fn(ctx)
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case errors.Is(err, ErrNoData):
		why := "this process has no source for it"
		if g.dash == nil {
			why = "the gateway runs without a chain (--rpc)"
		}
		writeJSON(w, http.StatusOK, map[string]any{"available": false, "reason": why})
	case err != nil:
		g.log.Debug("dashboard source", zap.String("panel", panel), zap.Error(err))
		writeError(w, &apiError{status: http.StatusBadGateway, Message: fmt.Sprintf("%s: %v", panel, err),
			Type: "server_error", Code: strp("source_failed")})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"available": true, "data": v})
	}
}

// dashMetagraph is the source's metagraph with the gateway's view of the
// miners (last announcement, serving); without a source, the miners the
// gateway heard from.
func (g *Gateway) dashMetagraph(ctx context.Context) (*DashMetagraph, error) {
	var mg *DashMetagraph
	if g.dash != nil {
		var err error
		if mg, err = g.dash.Metagraph(ctx); err != nil && !errors.Is(err, ErrNoData) {
			return nil, err
		}
	}
	type seen struct {
		at      time.Time
		serving bool
	}
	heard := map[string]seen{}
	g.minersMu.Lock()
	for _, mi := range g.miners {
		s := seen{at: mi.seen.UTC()}
		for _, m := range g.list {
			if mi.models[string(m.ID)] != nil {
				s.serving = time.Since(mi.seen) <= g.cfg.AnnounceTTL
			}
		}
		heard[addrHex(mi.addr)] = s
	}
	g.minersMu.Unlock()
	if mg == nil {
		if len(heard) == 0 && g.dash != nil {
			return nil, ErrNoData
		}
		mg = &DashMetagraph{Source: "miners' announcements heard by this gateway (no chain)", Neurons: []DashNeuron{}}
		addrs := make([]string, 0, len(heard))
		for a := range heard {
			addrs = append(addrs, a)
		}
		sort.Strings(addrs)
		for i, a := range addrs {
			mg.Neurons = append(mg.Neurons, DashNeuron{UID: uint16(i), Role: "miner", Address: a})
		}
	}
	out := *mg
	out.Neurons = append([]DashNeuron{}, mg.Neurons...)
	for i := range out.Neurons {
		n := &out.Neurons[i]
		s, ok := heard[strings.ToLower(n.Address)]
		if !ok {
			continue
		}
		n.Serving = s.serving
		if n.LastSeen == nil || s.at.After(*n.LastSeen) {
			at := s.at
			n.LastSeen = &at
		}
	}
	return &out, nil
}

// dashInfo describes the gateway for the page's header and prompt box.
func (g *Gateway) dashInfo(w http.ResponseWriter, _ *http.Request) {
	type model struct {
		Name    string `json:"name"`
		Miners  int    `json:"miners"`
		Context uint32 `json:"context_length"`
	}
	ms := []model{}
	for _, s := range g.served() {
		ms = append(ms, model{Name: s.m.Name, Miners: s.miners, Context: s.context})
	}
	known := []string{}
	for _, m := range g.list {
		known = append(known, m.Name)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"available": true, "data": map[string]any{
		"auth": g.keys != nil, "served": ms, "models": known, "address": g.node.Address().Hex(),
		"peer": g.node.ID().String(), "chain": g.dash != nil, "verify_fraction": g.verifyFraction,
	}})
}
