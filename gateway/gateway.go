package gateway

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// Config holds the gateway's knobs; zero fields take DefaultConfig's.
type Config struct {
	// Listen is the HTTP address (host:port; port 0 picks one).
	Listen string
	// FirstFrameTimeout bounds the wait for a miner's first frame before
	// the gateway retries another miner.
	FirstFrameTimeout time.Duration
	// Deadline bounds a whole query (the Query's deadline).
	Deadline time.Duration
	// Attempts is how many miners one request may try.
	Attempts int
	// AnnounceTTL: a miner not heard from for this long is forgotten.
	AnnounceTTL time.Duration
	// RetryAfter is the retry-after sent with 503 when no miner is free.
	RetryAfter time.Duration
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Listen: "127.0.0.1:8080", FirstFrameTimeout: 10 * time.Second, Deadline: 2 * time.Minute,
		Attempts: 3, AnnounceTTL: 2 * time.Minute, RetryAfter: time.Second}
}

func (c *Config) fill() error {
	d := DefaultConfig()
	if c.Listen == "" {
		c.Listen = d.Listen
	}
	if c.FirstFrameTimeout == 0 {
		c.FirstFrameTimeout = d.FirstFrameTimeout
	}
	if c.Deadline == 0 {
		c.Deadline = d.Deadline
	}
	if c.Attempts == 0 {
		c.Attempts = d.Attempts
	}
	if c.AnnounceTTL == 0 {
		c.AnnounceTTL = d.AnnounceTTL
	}
	if c.RetryAfter == 0 {
		c.RetryAfter = d.RetryAfter
	}
	if c.FirstFrameTimeout < 0 || c.Deadline < 0 || c.Attempts < 1 || c.AnnounceTTL < 0 || c.RetryAfter < 0 {
		return fmt.Errorf("%w: timeouts must be positive and attempts at least 1", ErrBadConfig)
	}
	return nil
}

// Model is a model the gateway can tokenize for.
type Model struct {
	Name      string            // readable id clients use
	ID        []byte            // 32 bytes: sha256 of the model file
	Tokenizer *models.Tokenizer // required
	// ChatTemplate is the GGUF chat template (Jinja) if the file has one;
	// the gateway recognises its family (see template.go).
	ChatTemplate string
	EOS          int
	// ContextLength bounds prompt + completion (0: as announced).
	ContextLength int
	// Weights, when set, allow re-executing sampled receipts (WithVerify).
	Weights *models.Weights
}

// FromLoaded describes a model loaded with models.Load.
func FromLoaded(name string, m *models.Model) (Model, error) {
	id, err := models.ParseID(m.ID)
	if err != nil {
		return Model{}, fmt.Errorf("%w: %s: %v", ErrBadConfig, name, err)
	}
	if m.Tokenizer == nil {
		return Model{}, fmt.Errorf("%w: %s has no tokenizer", ErrBadConfig, name)
	}
	return Model{Name: name, ID: id, Tokenizer: m.Tokenizer, ChatTemplate: m.ChatTemplate, EOS: m.EOS,
		ContextLength: m.Weights.Config.SeqLen, Weights: m.Weights}, nil
}

// Scores ranks miners for routing (validator scores in production); higher
// is preferred. Unknown miners score 0.
type Scores interface {
	Score(miner [20]byte) (float64, bool)
}

// Option configures a Gateway.
type Option func(*Gateway) error

// WithLogger sets the logger.
func WithLogger(l *zap.Logger) Option { return func(g *Gateway) error { g.log = l; return nil } }

// WithMetrics sets the metrics.
func WithMetrics(m *Metrics) Option { return func(g *Gateway) error { g.metrics = m; return nil } }

// WithScores sets the routing scores (default: uniform).
func WithScores(s Scores) Option { return func(g *Gateway) error { g.scores = s; return nil } }

// WithUIDs names miners' uids (from the metagraph) in answers.
func WithUIDs(fn func(miner [20]byte) (uint32, bool)) Option {
	return func(g *Gateway) error { g.uids = fn; return nil }
}

// WithKeys requires API keys from this store (default: open access).
func WithKeys(k *Keys) Option { return func(g *Gateway) error { g.keys = k; return nil } }

// WithRegistry serves the registry's metrics at /metrics.
func WithRegistry(r prometheus.Gatherer) Option {
	return func(g *Gateway) error { g.gatherer = r; return nil }
}

// WithHandler serves h for pattern (an http.ServeMux pattern) next to the
// API, for a process that embeds the gateway and adds its own read-only
// endpoints (the validator's /v1/scores). Patterns must not collide with the
// gateway's own routes.
func WithHandler(pattern string, h http.Handler) Option {
	return func(g *Gateway) error {
		if pattern == "" || h == nil {
			return fmt.Errorf("%w: WithHandler needs a pattern and a handler", ErrBadConfig)
		}
		g.extra = append(g.extra, route{pattern, h})
		return nil
	}
}

type route struct {
	pattern string
	h       http.Handler
}

// WithListener serves on l instead of listening on Config.Listen.
func WithListener(l net.Listener) Option { return func(g *Gateway) error { g.ln = l; return nil } }

// Gateway is the HTTP API. Create with New, serve with Run.
type Gateway struct {
	cfg      Config
	node     *p2p.Node
	log      *zap.Logger
	metrics  *Metrics
	scores   Scores
	uids     func([20]byte) (uint32, bool)
	keys     *Keys
	gatherer prometheus.Gatherer
	ln       net.Listener
	extra    []route

	models map[string]*Model // by name and by hex id
	list   []*Model

	minersMu sync.Mutex
	miners   map[[20]byte]*minerInfo

	verifyQ chan verifyJob

	verifyFraction float64

	dash DashboardSource // WithDashboard (dashboard.go)
	feed *feed           // recent queries, kept when the dashboard is on

	running atomic.Bool
	addr    atomic.Value // string
	ready   chan struct{}
}

// New creates a gateway publishing through node for the given models.
func New(cfg Config, node *p2p.Node, ms []Model, opts ...Option) (*Gateway, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if node == nil {
		return nil, fmt.Errorf("%w: nil node", ErrBadConfig)
	}
	g := &Gateway{cfg: cfg, node: node, log: zap.NewNop(), metrics: NopMetrics(), models: map[string]*Model{},
		miners: map[[20]byte]*minerInfo{}, verifyQ: make(chan verifyJob, 64), ready: make(chan struct{})}
	for i := range ms {
		m := ms[i]
		if m.Name == "" || len(m.ID) != protocol.HashSize || m.Tokenizer == nil {
			return nil, fmt.Errorf("%w: model %d needs a name, a 32-byte id and a tokenizer", ErrBadConfig, i)
		}
		if _, dup := g.models[m.Name]; dup {
			return nil, fmt.Errorf("%w: model %q twice", ErrBadConfig, m.Name)
		}
		g.models[m.Name] = &m
		g.models[hex.EncodeToString(m.ID)] = &m
		g.list = append(g.list, &m)
	}
	for _, o := range opts {
		if err := o(g); err != nil {
			return nil, err
		}
	}
	if err := g.checkRoutes(); err != nil {
		return nil, err
	}
	return g, nil
}

// checkRoutes builds the handler once so that a WithHandler pattern that is
// malformed or collides with the API fails New instead of panicking in Run.
func (g *Gateway) checkRoutes() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: routes: %v", ErrBadConfig, r)
		}
	}()
	g.Handler()
	return nil
}

// Addr returns the address the gateway listens on once Run started
// listening (Ready is closed).
func (g *Gateway) Addr() string { s, _ := g.addr.Load().(string); return s }

// Ready is closed when the gateway listens.
func (g *Gateway) Ready() <-chan struct{} { return g.ready }

// Handler returns the HTTP handler (for embedding in another server).
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", g.handleModels)
	mux.HandleFunc("GET /v1/models/{id...}", g.handleModel)
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) { g.handleCompletion(w, r, true) })
	mux.HandleFunc("POST /v1/completions", func(w http.ResponseWriter, r *http.Request) { g.handleCompletion(w, r, false) })
	mux.HandleFunc("GET /v1/usage", g.handleUsage)
	for _, r := range g.extra {
		mux.Handle(r.pattern, r.h)
	}
	if g.gatherer != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(g.gatherer, promhttp.HandlerOpts{}))
	}
	g.mountDashboard(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusNotFound, Message: fmt.Sprintf("no route %s %s", r.Method, r.URL.Path),
			Type: "invalid_request_error", Code: strp("not_found")})
	})
	return g.withRequestID(mux)
}

func (g *Gateway) withRequestID(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		w.Header().Set("x-request-id", "req_"+hex.EncodeToString(b[:]))
		h.ServeHTTP(w, r)
	})
}

// Run follows miners' announcements, publishes queries and serves HTTP
// until ctx ends.
func (g *Gateway) Run(ctx context.Context) error {
	if !g.running.CompareAndSwap(false, true) {
		return errors.New("gateway: already running")
	}
	sub, err := g.node.Subscribe(protocol.TopicAnnounce)
	if err != nil {
		return fmt.Errorf("gateway: subscribe to announcements: %w", err)
	}
	ln := g.ln
	if ln == nil {
		ln, err = net.Listen("tcp", g.cfg.Listen)
		if err != nil {
			sub.Cancel()
			return fmt.Errorf("gateway: listen: %w", err)
		}
	}
	g.addr.Store(ln.Addr().String())
	close(g.ready)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); g.keysLoop(ctx) }()
	go func() { defer wg.Done(); g.verifyLoop(ctx) }()
	go func() { defer wg.Done(); g.followAnnounces(ctx, sub) }()
	srv := &http.Server{Handler: g.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	g.log.Info("gateway serving", zap.String("addr", ln.Addr().String()), zap.Int("models", len(g.list)))
	select {
	case <-ctx.Done():
	case err = <-errc:
		cancel()
	}
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = srv.Shutdown(sctx)
	scancel()
	sub.Cancel()
	wg.Wait()
	if g.keys != nil {
		if ferr := g.keys.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// keysLoop picks up keys created or revoked by the CLI and flushes usage.
func (g *Gateway) keysLoop(ctx context.Context) {
	if g.keys == nil {
		return
	}
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := g.keys.Reload(); err != nil {
				g.log.Warn("reload api keys", zap.Error(err))
			}
			if err := g.keys.Flush(); err != nil {
				g.log.Warn("save api key usage", zap.Error(err))
			}
		}
	}
}

// doPublish publishes q (p2p.Node.Publish is safe for concurrent callers:
// it waits while a peer's outbound queue is backed up instead of dropping).
func (g *Gateway) doPublish(ctx context.Context, q *protocol.Query) error {
	if _, err := g.node.Publish(ctx, q); err != nil {
		return err
	}
	g.metrics.Published.Inc()
	return nil
}

func randUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}
