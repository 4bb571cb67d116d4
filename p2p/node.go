package p2p

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2pquic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"

	"github.com/ganglion-subnet/ganglion/internal/identity"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// Queue sizes. pubsub drops instead of blocking when one is full (see
// docs/protocol.md, "Queues and publishing under load"):
//   - PeerOutboundQueueSize: RPCs waiting to be written to one peer
//     (pubsub's default 32 drops ≈1% at 32 in flight, STACK.md); Node.Publish
//     also waits while a peer's queue is over half of it (outbound).
//   - ValidateQueueSize: message copies waiting for their signature check.
//     During a burst each message is queued once per neighbour that sends it
//     (it is marked seen only after the check); at 1024, 4 goroutines
//     publishing 3,000 queries to 4 subscribers lost up to ≈10% of them.
//   - SubscribeBufferSize: validated messages waiting for Subscription.Next.
const (
	PeerOutboundQueueSize = 1024
	ValidateQueueSize     = 8192
	SubscribeBufferSize   = 1024
)

// Node is a Ganglion libp2p node: a host whose peer ID is derived from the
// operator's secp256k1 key, gossipsub on the subnet's four topics with
// validators and peer scoring, and the infer stream protocol.
//
// New starts the host and the pubsub router (libp2p runs their goroutines);
// Run runs discovery until its context ends; Close stops everything.
type Node struct {
	cfg     Config
	key     *ecdsa.PrivateKey
	addr    common.Address
	log     *zap.Logger
	metrics *Metrics
	members Membership
	now     func() time.Time
	extra   []libp2p.Option

	host   host.Host
	ps     *pubsub.PubSub
	dht    *dht.IpfsDHT
	ctx    context.Context
	cancel context.CancelFunc

	opener *protocol.Opener
	replay *protocol.ReplayCache
	topics map[string]*pubsub.Topic // by kind

	authors *lru.Cache[peer.ID, common.Address]

	scoreMu sync.RWMutex
	scores  map[peer.ID]float64

	outQueue int           // per-peer outbound queue size (RPCs)
	outHold  time.Duration // longest one backed-up peer holds publishers
	out      *outbound     // outbound-queue depths: Publish waits for room

	waitMu  sync.Mutex
	waiters map[[protocol.QueryIDSize]byte]*Responses

	closeOnce sync.Once
}

// Option configures a Node.
type Option func(*Node) error

// WithLogger sets the logger (default: zap.NewNop).
func WithLogger(l *zap.Logger) Option {
	return func(n *Node) error { n.log = l; return nil }
}

// WithMetrics sets the metrics (default: NopMetrics).
func WithMetrics(m *Metrics) Option {
	return func(n *Node) error { n.metrics = m; return nil }
}

// WithMembership sets who may publish (default: AllowAll, for development).
func WithMembership(m Membership) Option {
	return func(n *Node) error { n.members = m; return nil }
}

// WithClock sets the clock used for envelope timestamps (tests).
func WithClock(now func() time.Time) Option {
	return func(n *Node) error { n.now = now; return nil }
}

// WithLibp2pOptions appends raw libp2p options (e.g. a connection gater in
// test harnesses). They apply after Ganglion's own options.
func WithLibp2pOptions(o ...libp2p.Option) Option {
	return func(n *Node) error { n.extra = append(n.extra, o...); return nil }
}

// withOutboundQueueSize sets the per-peer outbound queue size (tests shrink
// it to reach a full queue with a small burst).
func withOutboundQueueSize(size int) Option {
	return func(n *Node) error {
		if size < 2 {
			return fmt.Errorf("p2p: outbound queue size %d", size)
		}
		n.outQueue = size
		return nil
	}
}

// withPublishHold sets how long one backed-up peer may hold publishers back
// (PublishHold; tests on a loaded machine lengthen it).
func withPublishHold(d time.Duration) Option {
	return func(n *Node) error {
		if d <= 0 {
			return fmt.Errorf("p2p: publish hold %s", d)
		}
		n.outHold = d
		return nil
	}
}

// New builds and starts a node for the operator key.
func New(key *ecdsa.PrivateKey, cfg Config, opts ...Option) (*Node, error) {
	if key == nil {
		return nil, fmt.Errorf("p2p: nil key")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := &Node{
		cfg:     cfg,
		key:     key,
		addr:    ethcrypto.PubkeyToAddress(key.PublicKey),
		log:     zap.NewNop(),
		metrics: NopMetrics(),
		members: AllowAll{},
		now:     time.Now,
		scores:  make(map[peer.ID]float64),
		waiters: make(map[[protocol.QueryIDSize]byte]*Responses),
		topics:  make(map[string]*pubsub.Topic),

		outQueue: PeerOutboundQueueSize,
		outHold:  PublishHold,
	}
	for _, o := range opts {
		if err := o(n); err != nil {
			return nil, err
		}
	}
	n.opener = &protocol.Opener{
		Domain: protocol.Domain{ChainID: cfg.ChainID, NetUID: cfg.NetUID},
		Window: cfg.TimestampWindow,
		Now:    func() time.Time { return n.now() },
	}
	n.out = newOutbound(n.outQueue/2, n.outHold, time.Now)
	n.replay = protocol.NewReplayCache(0, 2*cfg.TimestampWindow+5*time.Second)
	n.authors, _ = lru.New[peer.ID, common.Address](4096)

	priv, err := identity.LibP2PKey(key)
	if err != nil {
		return nil, fmt.Errorf("p2p: libp2p key: %w", err)
	}
	limits := resourceLimits()
	limiter := rcmgr.NewFixedLimiter(limits.AutoScale())
	rm, err := rcmgr.NewResourceManager(limiter)
	if err != nil {
		return nil, fmt.Errorf("p2p: resource manager: %w", err)
	}
	cm, err := connmgr.NewConnManager(cfg.ConnLow, cfg.ConnHigh, connmgr.WithGracePeriod(cfg.ConnGrace))
	if err != nil {
		return nil, fmt.Errorf("p2p: connection manager: %w", err)
	}
	hostOpts := []libp2p.Option{}
	if len(cfg.Announce) > 0 {
		announce := make([]ma.Multiaddr, 0, len(cfg.Announce))
		for _, a := range cfg.Announce {
			m, err := ma.NewMultiaddr(a)
			if err != nil {
				return nil, fmt.Errorf("p2p: announce %q: %w", a, err)
			}
			announce = append(announce, m)
		}
		hostOpts = append(hostOpts, libp2p.AddrsFactory(func([]ma.Multiaddr) []ma.Multiaddr { return announce }))
	}
	if cfg.NATPortMap {
		hostOpts = append(hostOpts, libp2p.NATPortMap())
	}
	h, err := libp2p.New(append(append([]libp2p.Option{
		libp2p.Identity(priv),
		libp2p.ListenAddrStrings(cfg.ListenAddrs...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(libp2pquic.NewTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionManager(cm),
	}, hostOpts...), n.extra...)...)
	if err != nil {
		return nil, fmt.Errorf("p2p: host: %w", err)
	}
	n.host = h
	ctx, cancel := context.WithCancel(context.Background())
	n.ctx, n.cancel = ctx, cancel
	if err := n.startPubSub(ctx); err != nil {
		n.Close()
		return nil, err
	}
	if cfg.DHT {
		d, err := dht.New(h, dht.Mode(dht.ModeAutoServer), dht.ProtocolPrefix("/ganglion"))
		if err != nil {
			n.Close()
			return nil, fmt.Errorf("p2p: dht: %w", err)
		}
		n.dht = d
	}
	h.SetStreamHandler(protocol.InferProtocol, n.handleInfer)
	n.log.Info("p2p node started", zap.Stringer("peer", h.ID()), zap.Stringer("address", n.addr),
		zap.Any("listen", h.Addrs()))
	return n, nil
}

func (n *Node) startPubSub(ctx context.Context) error {
	params, thresholds := ScoreParams(n.cfg.NetUID)
	ps, err := pubsub.NewGossipSub(ctx, n.host,
		pubsub.WithLogger(slog.New(zapslog.NewHandler(n.log.Named("pubsub").Core()))),
		pubsub.WithMessageSignaturePolicy(pubsub.StrictSign),
		pubsub.WithFloodPublish(true),
		pubsub.WithPeerOutboundQueueSize(n.outQueue),
		pubsub.WithValidateQueueSize(ValidateQueueSize),
		pubsub.WithMaxMessageSize(protocol.MaxEnvelopeSize+4096),
		pubsub.WithRawTracer(tracer{n.metrics, n.out}),
		pubsub.WithPeerScore(params, thresholds),
		pubsub.WithPeerScoreInspect(pubsub.PeerScoreInspectFn(n.setScores), n.cfg.ScoreInspectPeriod),
	)
	if err != nil {
		return fmt.Errorf("p2p: gossipsub: %w", err)
	}
	n.ps = ps
	for kind, types := range protocol.TopicTypes {
		name := protocol.Topic(n.cfg.NetUID, kind)
		if err := ps.RegisterTopicValidator(name, n.validator(kind, topicRoles[kind], types)); err != nil {
			return fmt.Errorf("p2p: validator %s: %w", name, err)
		}
		t, err := ps.Join(name)
		if err != nil {
			return fmt.Errorf("p2p: join %s: %w", name, err)
		}
		n.topics[kind] = t
	}
	return nil
}

func (n *Node) setScores(s map[peer.ID]float64) {
	n.scoreMu.Lock()
	n.scores = s
	n.scoreMu.Unlock()
}

// Score returns the gossipsub score this node last computed for p (sampled
// every Config.ScoreInspectPeriod), and whether p was scored.
func (n *Node) Score(p peer.ID) (float64, bool) {
	n.scoreMu.RLock()
	defer n.scoreMu.RUnlock()
	s, ok := n.scores[p]
	return s, ok
}

// Host returns the libp2p host.
func (n *Node) Host() host.Host { return n.host }

// PubSub returns the gossipsub router.
func (n *Node) PubSub() *pubsub.PubSub { return n.ps }

// ID returns the node's peer ID.
func (n *Node) ID() peer.ID { return n.host.ID() }

// Address returns the node's Ethereum address (same key as the peer ID).
func (n *Node) Address() common.Address { return n.addr }

// Domain returns the signing domain (chain id, netuid).
func (n *Node) Domain() protocol.Domain { return n.opener.Domain }

// AddrInfo returns the node's peer ID and listen addresses.
func (n *Node) AddrInfo() peer.AddrInfo {
	return peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()}
}

// Connect dials a peer.
func (n *Node) Connect(ctx context.Context, pi peer.AddrInfo) error {
	if err := n.host.Connect(ctx, pi); err != nil {
		return fmt.Errorf("p2p: connect %s: %w", pi.ID, err)
	}
	return nil
}

// Close stops the node: pubsub, DHT, streams and the host. Safe to call more
// than once.
func (n *Node) Close() error {
	var err error
	n.closeOnce.Do(func() {
		n.waitMu.Lock()
		for _, w := range n.waiters {
			w.closeLocked()
		}
		n.waiters = map[[protocol.QueryIDSize]byte]*Responses{}
		n.waitMu.Unlock()
		if n.dht != nil {
			_ = n.dht.Close()
		}
		if n.cancel != nil {
			n.cancel()
		}
		if n.host != nil {
			err = n.host.Close()
		}
	})
	return err
}

func (n *Node) ctxDone() <-chan struct{} { return n.ctx.Done() }

// Metrics returns the node's metrics.
func (n *Node) Metrics() *Metrics { return n.metrics }

// InferStreamsPerPeer is how many /ganglion/infer/1.0.0 streams may be open
// with one peer at once, in each direction. libp2p's defaults (64 inbound
// streams per peer and protocol, 256 per peer) are far below what one busy
// miner answering one gateway or validator needs: past them the stream is
// reset and the answer lost.
const InferStreamsPerPeer = 1024

// resourceLimits are libp2p's default limits with room for the infer
// protocol. DefaultLimits holds no maps, so adding to a copy leaves the
// package default untouched.
func resourceLimits() rcmgr.ScalingLimitConfig {
	limits := rcmgr.DefaultLimits
	n := InferStreamsPerPeer
	limits.AddProtocolPeerLimit(libp2pprotocol.ID(protocol.InferProtocol),
		rcmgr.BaseLimit{StreamsInbound: n, StreamsOutbound: n, Streams: 2 * n, Memory: 256 << 20},
		rcmgr.BaseLimitIncrease{})
	limits.AddProtocolLimit(libp2pprotocol.ID(protocol.InferProtocol),
		rcmgr.BaseLimit{StreamsInbound: 8 * n, StreamsOutbound: 8 * n, Streams: 16 * n, Memory: 1 << 30},
		rcmgr.BaseLimitIncrease{})
	limits.PeerBaseLimit.StreamsInbound += n
	limits.PeerBaseLimit.StreamsOutbound += n
	limits.PeerBaseLimit.Streams += 2 * n
	return limits
}
