package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// apiFlags configure the consumer API a validator serves with --api.
type apiFlags struct {
	addr, keysFile string
	noAuth         bool
	verify         float64
	attempts       int
	firstFrame     time.Duration
}

func (f *apiFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.addr, "api", "", "serve the OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/completions, /v1/usage)\n"+
		"and the validator's /v1/scores here, on this validator's node and key")
	fs.StringVar(&f.keysFile, "api-keys-file", "", "API key store of --api (default HOME/gateway/keys.json; `ganglion gateway keys` manages it)")
	fs.BoolVar(&f.noAuth, "api-no-auth", false, "serve --api without API keys (development only)")
	fs.Float64Var(&f.verify, "api-verify-fraction", 0.05, "fraction of --api answers re-executed with the local model (0..1)")
	fs.IntVar(&f.attempts, "api-attempts", 3, "miners one API request may try before 503")
	fs.DurationVar(&f.firstFrame, "api-first-token-timeout", 10*time.Second, "wait for a miner's first frame before trying another")
}

// validatorAPI builds the gateway a validator serves with --api: it publishes
// consumers' queries with the validator's key through the validator's node
// (miners answer only permitted validators), routes by the validator's own
// score EMAs and mounts the validator's read-only score API next to it.
func (a *app) validatorAPI(out io.Writer, f apiFlags, node *p2p.Node, name string, m *loaded, st *store.Store,
	ms *chain.MetagraphSync, reg *prometheus.Registry, log *zap.Logger) (*gateway.Gateway, *storeScores, error) {
	gm, err := gatewayFromLoaded(name, m)
	if err != nil {
		return nil, nil, fmt.Errorf("api: %w", err)
	}
	scores := &storeScores{st: st, log: log}
	if err := scores.refresh(); err != nil {
		return nil, nil, fmt.Errorf("api: %w", err)
	}
	api := validator.NewAPI(st)
	opts := []gateway.Option{gateway.WithLogger(log), gateway.WithMetrics(gateway.NewMetrics(reg)), gateway.WithRegistry(reg),
		gateway.WithVerify(f.verify), gateway.WithScores(scores),
		gateway.WithUIDs(func(a [20]byte) (uint32, bool) {
			n, ok := ms.Lookup(a)
			return uint32(n.UID), ok
		}),
		gateway.WithDashboard(dashboardFor(ms, st, log.Named("dashboard")))}
	for _, pattern := range validator.APIRoutes {
		opts = append(opts, gateway.WithHandler(pattern, api))
	}
	if f.noAuth {
		fmt.Fprintln(out, "warning: --api-no-auth: the API is open to anyone who can reach it")
	} else {
		k, err := a.openGatewayKeys(f.keysFile)
		if err != nil {
			return nil, nil, fmt.Errorf("api: %w", err)
		}
		opts = append(opts, gateway.WithKeys(k))
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return nil, nil, fmt.Errorf("api: listen: %w", err)
	}
	gw, err := gateway.New(gateway.Config{Listen: f.addr, Attempts: f.attempts, FirstFrameTimeout: f.firstFrame}, node,
		[]gateway.Model{gm}, append(opts, gateway.WithListener(ln))...)
	if err != nil {
		_ = ln.Close()
		return nil, nil, fmt.Errorf("api: %w", err)
	}
	fmt.Fprintf(out, "api: http://%s/v1 (model %s)\n", ln.Addr(), gm.Name)
	fmt.Fprintf(out, "dashboard: http://%s/\n", ln.Addr())
	return gw, scores, nil
}

// storeScores serves the validator's score EMAs to the gateway's router from
// a snapshot refreshed every few seconds (routing must not read the store on
// every pick).
type storeScores struct {
	st   *store.Store
	log  *zap.Logger
	snap atomic.Pointer[map[[20]byte]float64]
}

// Score implements gateway.Scores.
func (s *storeScores) Score(miner [20]byte) (float64, bool) {
	m := s.snap.Load()
	if m == nil {
		return 0, false
	}
	v, ok := (*m)[miner]
	return v, ok
}

func (s *storeScores) refresh() error {
	all, err := s.st.Scores()
	if err != nil {
		return fmt.Errorf("read scores: %w", err)
	}
	m := make(map[[20]byte]float64, len(all))
	for _, ms := range all {
		m[[20]byte(ms.Miner)] = ms.EMA.Value
	}
	s.snap.Store(&m)
	return nil
}

// run refreshes the snapshot every interval until ctx ends.
func (s *storeScores) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.refresh(); err != nil {
				s.log.Warn("routing scores", zap.Error(err))
			}
		}
	}
}
