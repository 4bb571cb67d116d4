package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// Every long-running role (miner, validator, gateway, chain dev) serves
// Prometheus /metrics and /healthz on --metrics ADDR (metrics.listen); this
// file is that endpoint, shared by all of them, and `ganglion health`, which
// probes it (the Docker HEALTHCHECK: the runtime image has no curl).

// newRegistry returns a registry with the Go runtime and process collectors,
// the base of every role's /metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// registerPeers adds ganglion_p2p_peers: the peers node is connected to.
func registerPeers(reg prometheus.Registerer, node *p2p.Node) {
	reg.MustRegister(peersGauge(func() int { return len(node.Host().Network().Peers()) }))
}

func peersGauge(peers func() int) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ganglion_p2p_peers",
		Help: "Peers the libp2p host is connected to."}, func() float64 { return float64(peers()) })
}

// metricsHandler serves /metrics from g and /healthz: "ok" while healthy
// returns nil (nil: always), 503 with its error otherwise.
func metricsHandler(g prometheus.Gatherer, healthy func() error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if healthy != nil {
			if err := healthy(); err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}

// serveMetrics serves h on addr in the background and prints
// "metrics: http://ADDR/metrics" to out. The returned stop shuts the server
// down (in-flight scrapes get 2 s) and waits for it. An empty addr serves
// nothing; stop is then a no-op.
func serveMetrics(out io.Writer, addr string, h http.Handler, log *zap.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listener: %w", err)
	}
	fmt.Fprintf(out, "metrics: http://%s/metrics\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", zap.Error(err))
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}

// healthURL turns a metrics listen address into the URL of its /healthz,
// dialling loopback for a wildcard host.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("metrics address %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

func (a *app) healthCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "health [URL]",
		Short: "Probe a running role's /healthz; exit status 0 when it answers 200",
		Long: "Probe a running miner's, validator's, gateway's or dev chain's health endpoint. Without URL it asks\n" +
			"http://METRICS/healthz with METRICS from --metrics or metrics.listen (GANGLION_METRICS_LISTEN); a\n" +
			"wildcard host (0.0.0.0) is dialled on 127.0.0.1. It is the Docker image's HEALTHCHECK.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var url string
			if len(args) == 1 {
				url = args[0]
				if !strings.Contains(url, "://") {
					url = "http://" + url
				}
			} else {
				cfg, err := a.loadConfig(cmd)
				if err != nil {
					return err
				}
				if cfg.Metrics.Listen == "" {
					return errors.New("health: no address: give URL, --metrics ADDR or metrics.listen")
				}
				if url, err = healthURL(cfg.Metrics.Listen); err != nil {
					return fmt.Errorf("health: %w", err)
				}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return fmt.Errorf("health: %w", err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("health: %w", err)
			}
			defer func() { _ = resp.Body.Close() }()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			msg := strings.TrimSpace(string(body))
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("health: %s: %s %s", url, resp.Status, msg)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", url, msg)
			return nil
		},
	}
	cmd.Flags().String("metrics", "", "metrics address of the role (metrics.listen)")
	bindFlag(cmd.Flags(), "metrics", "metrics.listen")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	return cmd
}

// devChainMetrics is chain dev's endpoint: /healthz answers ok once the
// contracts are deployed, /metrics adds ganglion_devchain_head_block.
func devChainMetrics(dev *devchain.Chain) http.Handler {
	ready := func() error {
		select {
		case <-dev.Ready():
			return nil
		default:
			return errors.New("deploying the contracts")
		}
	}
	reg := newRegistry()
	reg.MustRegister(headBlockGauge(func() (uint64, error) {
		if err := ready(); err != nil {
			return 0, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return dev.Backend().BlockNumber(ctx)
	}))
	return metricsHandler(reg, ready)
}

// headBlockGauge is ganglion_devchain_head_block; 0 while head fails.
func headBlockGauge(head func() (uint64, error)) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ganglion_devchain_head_block",
		Help: "Number of the dev chain's latest block."}, func() float64 {
		n, err := head()
		if err != nil {
			return 0
		}
		return float64(n)
	})
}

// minerScoreDesc is ganglion_validator_miner_score.
var minerScoreDesc = prometheus.NewDesc("ganglion_validator_miner_score",
	"The validator's score EMA of each miner it has probed: what its weight row is made of.", []string{"uid", "miner"}, nil)

// scoreCollector serves the validator's score EMAs from its store at every
// scrape (a read transaction over one small bucket).
type scoreCollector struct {
	scores func() ([]store.MinerScore, error)
}

func (c scoreCollector) Describe(ch chan<- *prometheus.Desc) { ch <- minerScoreDesc }

func (c scoreCollector) Collect(ch chan<- prometheus.Metric) {
	all, err := c.scores()
	if err != nil {
		return // the store is closing or damaged: the validator's log says so
	}
	for _, s := range all {
		ch <- prometheus.MustNewConstMetric(minerScoreDesc, prometheus.GaugeValue, s.EMA.Value,
			strconv.Itoa(int(s.UID)), strings.ToLower(s.Miner.Hex()))
	}
}
