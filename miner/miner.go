package miner

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/internal/buildinfo"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// Config holds the miner's knobs. Zero fields take the defaults of
// DefaultConfig.
type Config struct {
	// MaxConcurrency is how many sequences of one model are generated at
	// once (batched into the same Forward steps).
	MaxConcurrency int
	// Slots is the number of workers per model; each runs its own batch of
	// up to MaxConcurrency/Slots sequences.
	Slots int
	// Threads per worker.
	Threads int
	// QueueSize bounds the queries waiting per model; beyond it the miner
	// answers busy at once.
	QueueSize int
	// RatePerSecond and Burst are each sender's token bucket; a negative
	// rate disables the limit.
	RatePerSecond float64
	Burst         int
	// PrefillRows bounds the prompt rows one Forward step takes (longer
	// prompts are prefilled over several steps), which bounds the step's
	// scratch memory and keeps running sequences streaming.
	PrefillRows int
	// MaxTokens caps generated tokens per query (0: the context length).
	MaxTokens int
	// AnnounceInterval is the period of capability announcements.
	AnnounceInterval time.Duration
	// Grace is how long shutdown lets in-flight sequences finish before
	// cancelling them with Reject/shutting_down.
	Grace time.Duration
	// StreamOpenTimeout bounds opening a stream to the querier.
	StreamOpenTimeout time.Duration
	// ChunkInterval is the least time between two token chunks of one
	// answer: tokens generated meanwhile go out together (fewer frames, same
	// tokens). Negative: one chunk per wake-up, as fast as they come.
	ChunkInterval time.Duration
	// MaxPendingRejects bounds concurrently sent rejects; beyond it a reject
	// is dropped (counted in dropped_total{reason="reject_backlog"}).
	MaxPendingRejects int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		MaxConcurrency:    8,
		Slots:             1,
		Threads:           1,
		QueueSize:         32,
		PrefillRows:       256,
		RatePerSecond:     20,
		Burst:             40,
		AnnounceInterval:  30 * time.Second,
		Grace:             10 * time.Second,
		StreamOpenTimeout: 10 * time.Second,
		ChunkInterval:     5 * time.Millisecond,
		MaxPendingRejects: 64,
	}
}

func (c *Config) fill() error {
	d := DefaultConfig()
	if c.MaxConcurrency == 0 {
		c.MaxConcurrency = d.MaxConcurrency
	}
	if c.Slots == 0 {
		c.Slots = d.Slots
	}
	if c.Threads == 0 {
		c.Threads = d.Threads
	}
	if c.QueueSize == 0 {
		c.QueueSize = d.QueueSize
	}
	if c.RatePerSecond == 0 {
		c.RatePerSecond, c.Burst = d.RatePerSecond, d.Burst
	}
	if c.Burst == 0 {
		c.Burst = max(1, int(c.RatePerSecond))
	}
	if c.AnnounceInterval == 0 {
		c.AnnounceInterval = d.AnnounceInterval
	}
	if c.Grace == 0 {
		c.Grace = d.Grace
	}
	if c.StreamOpenTimeout == 0 {
		c.StreamOpenTimeout = d.StreamOpenTimeout
	}
	if c.PrefillRows == 0 {
		c.PrefillRows = d.PrefillRows
	}
	if c.ChunkInterval == 0 {
		c.ChunkInterval = d.ChunkInterval
	}
	if c.MaxPendingRejects == 0 {
		c.MaxPendingRejects = d.MaxPendingRejects
	}
	switch {
	case c.MaxConcurrency < 1:
		return fmt.Errorf("%w: max concurrency %d", ErrBadConfig, c.MaxConcurrency)
	case c.Slots < 1 || c.Slots > c.MaxConcurrency:
		return fmt.Errorf("%w: %d slots for max concurrency %d", ErrBadConfig, c.Slots, c.MaxConcurrency)
	case c.Threads < 1, c.QueueSize < 1, c.PrefillRows < 1, c.Burst < 1, c.MaxTokens < 0, c.AnnounceInterval < 0, c.Grace < 0:
		return fmt.Errorf("%w: threads, queue size, burst, max tokens, intervals must be positive", ErrBadConfig)
	}
	return nil
}

// Model is one model the miner serves.
type Model struct {
	Name    string          // readable name for announcements (e.g. "stories260K")
	ID      []byte          // 32 bytes: sha256 of the model file (models.Model.ID decoded)
	Weights *models.Weights // shared, read-only
	// ContextLength overrides the weights' SeqLen when > 0.
	ContextLength int
	// Tokenizer, when set, fills the chunks' optional text.
	Tokenizer *models.Tokenizer
}

// FromLoaded describes a model loaded with models.Load.
func FromLoaded(name string, m *models.Model) (Model, error) {
	id, err := models.ParseID(m.ID)
	if err != nil {
		return Model{}, fmt.Errorf("%w: %s: %v", ErrBadModel, name, err)
	}
	return Model{Name: name, ID: id, Weights: m.Weights, Tokenizer: m.Tokenizer}, nil
}

// Membership answers whether an address holds a role (p2p.Membership; the
// chain-backed one in production).
type Membership = p2p.Membership

// Option configures a Miner.
type Option func(*Miner) error

// WithLogger sets the logger (default: none).
func WithLogger(l *zap.Logger) Option {
	return func(m *Miner) error { m.log = l; return nil }
}

// WithMetrics sets the metrics (default: NopMetrics).
func WithMetrics(x *Metrics) Option {
	return func(m *Miner) error { m.metrics = x; return nil }
}

// WithMembership sets who may query: registered validators (default
// p2p.AllowAll, for development; the query topic's validator already
// enforces the validator role on every hop).
func WithMembership(x Membership) Option {
	return func(m *Miner) error { m.members = x; return nil }
}

// WithStake sets the stake lookup used to order the queue (default: every
// sender has stake 0, first come first served).
func WithStake(fn func(common.Address) float64) Option {
	return func(m *Miner) error { m.stake = fn; return nil }
}

// WithUID tells the miner its uid, for queries that target it by uid only.
func WithUID(fn func() (uint32, bool)) Option {
	return func(m *Miner) error { m.uid = fn; return nil }
}

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option {
	return func(m *Miner) error { m.now = now; return nil }
}

// served is one model with its engine and queue.
type served struct {
	Model
	engine *models.Engine
	cfg    models.Config
	queue  *queue
}

// job is one admitted query.
type job struct {
	q        *protocol.Query
	from     peer.ID
	sender   common.Address
	stake    float64
	seq      uint64
	seed     uint64
	arrived  time.Time
	deadline time.Time
	model    *served
}

func (j *job) before(k *job) bool {
	if j.stake != k.stake {
		return j.stake > k.stake
	}
	return j.seq < k.seq
}

// Miner serves inference: see the package documentation.
type Miner struct {
	cfg     Config
	node    *p2p.Node
	log     *zap.Logger
	metrics *Metrics
	members Membership
	stake   func(common.Address) float64
	uid     func() (uint32, bool)
	now     func() time.Time

	models  []*served
	byID    map[string]*served
	limiter *limiter
	rejects chan struct{} // semaphore for reject senders

	running  atomic.Bool
	stopping atomic.Bool
	hard     chan struct{} // closed when the grace period ends
	senders  sync.WaitGroup
	started  atomic.Int64 // Unix ns when Run started

	active atomic.Int64
	tokens atomic.Int64

	errMu  sync.Mutex
	errors []StatusError
}

// New builds a miner for node serving ms. It starts nothing: see Run.
func New(cfg Config, node *p2p.Node, ms []Model, opts ...Option) (*Miner, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if node == nil {
		return nil, fmt.Errorf("%w: no p2p node", ErrBadConfig)
	}
	if len(ms) == 0 {
		return nil, ErrNoModels
	}
	m := &Miner{
		cfg: cfg, node: node, log: zap.NewNop(), metrics: NopMetrics(), members: p2p.AllowAll{},
		stake: func(common.Address) float64 { return 0 }, uid: func() (uint32, bool) { return 0, false },
		now: time.Now, byID: map[string]*served{}, hard: make(chan struct{}),
		rejects: make(chan struct{}, cfg.MaxPendingRejects),
	}
	for _, o := range opts {
		if err := o(m); err != nil {
			return nil, err
		}
	}
	m.limiter = newLimiter(cfg.RatePerSecond, cfg.Burst)
	for _, md := range ms {
		if len(md.ID) != protocol.HashSize || md.Weights == nil {
			return nil, fmt.Errorf("%w: %q needs a 32-byte id and weights", ErrBadModel, md.Name)
		}
		if _, dup := m.byID[string(md.ID)]; dup {
			return nil, fmt.Errorf("%w: %q is served twice", ErrBadModel, md.Name)
		}
		var eo []models.EngineOption
		if md.ContextLength > 0 {
			eo = append(eo, models.ContextLength(md.ContextLength))
		}
		e, err := models.NewEngine(md.Weights, eo...)
		if err != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrBadModel, md.Name, err)
		}
		s := &served{Model: md, engine: e, cfg: e.Config(), queue: newQueue(cfg.QueueSize)}
		m.models = append(m.models, s)
		m.byID[string(md.ID)] = s
	}
	return m, nil
}

// Address returns the miner's address.
func (m *Miner) Address() common.Address { return m.node.Address() }

// Run serves until ctx ends, then shuts down gracefully: queued queries are
// rejected with shutting_down, in-flight sequences get Config.Grace to finish
// and are then cancelled (Reject/shutting_down). It returns after every
// answer was sent or abandoned.
func (m *Miner) Run(ctx context.Context) error {
	if !m.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	m.started.Store(m.now().UnixNano())
	sub, err := m.node.Subscribe(protocol.TopicQuery)
	if err != nil {
		return fmt.Errorf("miner: subscribe to queries: %w", err)
	}
	// Relay the validators' topics: validators that reach each other only
	// through miners (bootstrapped to miners alone) still exchange weights and
	// report signatures.
	for _, kind := range []string{protocol.TopicWeights, protocol.TopicReports} {
		stop, err := m.node.Relay(kind)
		if err != nil {
			sub.Cancel()
			return fmt.Errorf("miner: %w", err)
		}
		defer stop()
	}
	workers := make([][]*models.Worker, len(m.models))
	for i, s := range m.models {
		for k := 0; k < m.cfg.Slots; k++ {
			w, err := s.engine.NewWorker(models.Threads(m.cfg.Threads), models.UseGraph(false))
			if err != nil {
				sub.Cancel()
				return fmt.Errorf("miner: worker for %s: %w", s.Name, err)
			}
			workers[i] = append(workers[i], w)
		}
	}
	var slots sync.WaitGroup
	per := (m.cfg.MaxConcurrency + m.cfg.Slots - 1) / m.cfg.Slots
	for i, s := range m.models {
		for _, w := range workers[i] {
			slots.Add(1)
			go func() {
				defer slots.Done()
				m.runSlot(s, w, per)
			}()
		}
	}
	intakeCtx, stopIntake := context.WithCancel(context.Background())
	intakeDone := make(chan struct{})
	go func() {
		defer close(intakeDone)
		m.intake(intakeCtx, sub)
	}()
	annDone := make(chan struct{})
	go func() {
		defer close(annDone)
		m.announceLoop(ctx)
	}()
	m.log.Info("miner serving", zap.Stringer("address", m.Address()), zap.Int("models", len(m.models)),
		zap.Int("max_concurrency", m.cfg.MaxConcurrency))

	<-ctx.Done()
	m.log.Info("miner shutting down", zap.Duration("grace", m.cfg.Grace))
	m.stopping.Store(true)
	stopIntake()
	<-intakeDone
	sub.Cancel()
	for _, s := range m.models {
		for _, j := range s.queue.close() {
			m.reject(j, protocol.RejectReason_REJECT_REASON_SHUTTING_DOWN, 0, "miner shutting down")
		}
	}
	m.metrics.QueueDepth.Set(0)
	done := make(chan struct{})
	go func() { slots.Wait(); close(done) }()
	t := time.NewTimer(m.cfg.Grace)
	select {
	case <-done:
		t.Stop()
	case <-t.C:
		m.log.Warn("grace period over: cancelling in-flight sequences", zap.Int64("active", m.active.Load()))
		close(m.hard)
		<-done
	}
	<-annDone
	m.senders.Wait()
	m.log.Info("miner stopped")
	return nil
}

// intake reads the query topic.
func (m *Miner) intake(ctx context.Context, sub *p2p.Subscription) {
	for {
		msg, err := sub.Next(ctx)
		if err != nil {
			return
		}
		m.handle(msg)
	}
}

// handle decides what to do with one validated gossip message.
func (m *Miner) handle(msg *p2p.Message) {
	q, ok := msg.Message.(*protocol.Query)
	if !ok {
		m.drop("malformed", msg, "not a query")
		return
	}
	seed, targeted := m.targeted(q)
	if !targeted {
		return
	}
	if !bytes.Equal(q.Sender, msg.Sender.Bytes()) {
		m.drop("malformed", msg, "sender field differs from signer")
		return
	}
	if !m.members.IsMember(msg.Sender, p2p.RoleValidator) {
		m.drop("unauthorised", msg, "sender is not a registered validator")
		return
	}
	now := m.now()
	j := &job{q: q, from: msg.From, sender: msg.Sender, stake: m.stake(msg.Sender), seed: seed, arrived: now,
		deadline: time.UnixMilli(q.DeadlineMs)}
	m.metrics.Queries.Inc()
	if m.stopping.Load() {
		m.reject(j, protocol.RejectReason_REJECT_REASON_SHUTTING_DOWN, 0, "miner shutting down")
		return
	}
	if ok, wait := m.limiter.allow(msg.Sender, now); !ok {
		m.reject(j, protocol.RejectReason_REJECT_REASON_RATE_LIMITED, wait, "rate limit exceeded")
		return
	}
	if q.DeadlineMs > 0 && !now.Before(j.deadline) {
		m.reject(j, protocol.RejectReason_REJECT_REASON_DEADLINE, 0, "deadline passed")
		return
	}
	s := m.byID[string(q.ModelId)]
	if s == nil {
		m.reject(j, protocol.RejectReason_REJECT_REASON_UNKNOWN_MODEL, 0, "model not served")
		return
	}
	j.model = s
	if why := m.checkQuery(s, q); why != "" {
		m.log.Debug("bad query", zap.Stringer("sender", msg.Sender), zap.String("why", why))
		m.reject(j, protocol.RejectReason_REJECT_REASON_BAD_REQUEST, 0, why)
		return
	}
	evicted, ok := s.queue.push(j)
	if !ok {
		m.reject(j, protocol.RejectReason_REJECT_REASON_BUSY, m.retryAfter(), "queue full")
		return
	}
	if evicted != nil {
		m.reject(evicted, protocol.RejectReason_REJECT_REASON_BUSY, m.retryAfter(), "queue full: preempted by higher stake")
	}
	m.metrics.QueueDepth.Set(float64(m.queued()))
}

// targeted reports whether q is meant for this miner, with its seed.
func (m *Miner) targeted(q *protocol.Query) (uint64, bool) {
	if len(q.Targets) == 0 {
		return 0, m.byID[string(q.ModelId)] != nil
	}
	me := m.Address().Bytes()
	uid, haveUID := m.uid()
	for _, t := range q.Targets {
		if len(t.Miner) > 0 {
			if bytes.Equal(t.Miner, me) {
				return t.Seed, true
			}
			continue
		}
		if haveUID && t.Uid == uid {
			return t.Seed, true
		}
	}
	return 0, false
}

// checkQuery returns why q cannot run on s, or "".
func (m *Miner) checkQuery(s *served, q *protocol.Query) string {
	if len(q.PromptTokens) == 0 {
		return "empty prompt"
	}
	if len(q.PromptTokens) > s.cfg.SeqLen {
		return fmt.Sprintf("prompt of %d tokens exceeds the context length %d", len(q.PromptTokens), s.cfg.SeqLen)
	}
	for _, t := range q.PromptTokens {
		if int64(t) >= int64(s.cfg.Vocab) {
			return fmt.Sprintf("token %d out of the vocabulary (%d)", t, s.cfg.Vocab)
		}
	}
	if err := samplerOf(q, 0).Validate(); err != nil {
		return err.Error()
	}
	return ""
}

func samplerOf(q *protocol.Query, seed uint64) models.Sampler {
	sp := q.GetSampling()
	return models.Sampler{Temperature: sp.GetTemperature(), TopK: int(sp.GetTopK()), TopP: sp.GetTopP(), Seed: seed}
}

func (m *Miner) queued() int {
	n := 0
	for _, s := range m.models {
		n += s.queue.len()
	}
	return n
}

func (m *Miner) retryAfter() time.Duration { return 500 * time.Millisecond }

// drop counts and logs a query that gets no answer.
func (m *Miner) drop(reason string, msg *p2p.Message, why string) {
	m.metrics.Dropped.WithLabelValues(reason).Inc()
	m.log.Debug("query dropped", zap.String("reason", reason), zap.Stringer("sender", msg.Sender),
		zap.Stringer("peer", msg.From), zap.String("why", why))
}

// reject answers j with a Reject on its own stream, without blocking.
func (m *Miner) reject(j *job, reason protocol.RejectReason, retry time.Duration, text string) {
	m.metrics.Rejections.WithLabelValues(reasonLabel(reason)).Inc()
	select {
	case m.rejects <- struct{}{}:
	default:
		m.metrics.Dropped.WithLabelValues("reject_backlog").Inc()
		return
	}
	m.senders.Add(1)
	go func() {
		defer m.senders.Done()
		defer func() { <-m.rejects }()
		ctx, cancel := context.WithTimeout(context.Background(), m.cfg.StreamOpenTimeout)
		defer cancel()
		w, err := m.node.OpenInferStream(ctx, j.from, j.q.QueryId)
		if err == nil {
			err = w.Reject(reason, retry, text)
		}
		if err != nil {
			m.streamError(err)
		}
	}()
}

func reasonLabel(r protocol.RejectReason) string {
	switch r {
	case protocol.RejectReason_REJECT_REASON_BUSY:
		return "busy"
	case protocol.RejectReason_REJECT_REASON_RATE_LIMITED:
		return "rate_limited"
	case protocol.RejectReason_REJECT_REASON_UNKNOWN_MODEL:
		return "unknown_model"
	case protocol.RejectReason_REJECT_REASON_UNAUTHORISED:
		return "unauthorised"
	case protocol.RejectReason_REJECT_REASON_DEADLINE:
		return "deadline"
	case protocol.RejectReason_REJECT_REASON_SHUTTING_DOWN:
		return "shutting_down"
	case protocol.RejectReason_REJECT_REASON_BAD_REQUEST:
		return "bad_request"
	}
	return "other"
}

func (m *Miner) streamError(err error) {
	m.metrics.Errors.WithLabelValues("stream").Inc()
	m.recordError("stream", err)
	m.log.Debug("infer stream failed", zap.Error(err))
}

// announceLoop publishes the capabilities now and every AnnounceInterval.
func (m *Miner) announceLoop(ctx context.Context) {
	if m.cfg.AnnounceInterval <= 0 {
		return
	}
	t := time.NewTicker(m.cfg.AnnounceInterval)
	defer t.Stop()
	for {
		if err := m.Announce(ctx); err != nil && ctx.Err() == nil {
			m.metrics.Errors.WithLabelValues("announce").Inc()
			m.recordError("announce", err)
			m.log.Warn("announce failed", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Announcement returns the capabilities the miner announces.
func (m *Miner) Announcement() *protocol.Announce {
	a := &protocol.Announce{Miner: m.Address().Bytes(), SoftwareVersion: buildinfo.Version}
	for _, s := range m.models {
		a.Models = append(a.Models, &protocol.ModelInfo{ModelId: s.ID, Name: s.Name,
			ContextLength: uint32(s.cfg.SeqLen), MaxConcurrency: uint32(m.cfg.MaxConcurrency)})
	}
	for _, ad := range m.node.Host().Addrs() {
		a.ListenAddrs = append(a.ListenAddrs, ad.String())
	}
	return a
}

// Announce publishes the capabilities once.
func (m *Miner) Announce(ctx context.Context) error {
	if _, err := m.node.Publish(ctx, m.Announcement()); err != nil {
		return fmt.Errorf("miner: announce: %w", err)
	}
	return nil
}
