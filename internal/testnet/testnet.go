package testnet

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// Options configure a Network. The zero value gives TCP nodes on loopback,
// every node registered as miner and validator, and no logs.
type Options struct {
	// Transport is "tcp" (default), "quic" or "both".
	Transport string
	// Config adjusts node i's p2p configuration before it starts.
	Config func(i int, c *p2p.Config)
	// Logger for the nodes (default: none). Use zaptest.NewLogger(t).
	Logger *zap.Logger
	// Members decides membership for every node; default: a
	// StaticMembership holding every node as miner and validator.
	Members p2p.Membership
	// NodeOptions returns extra p2p options for node i.
	NodeOptions func(i int) []p2p.Option
	// OnStart runs after node i's p2p node starts (also after Restart);
	// later issues attach miners, validators and chains here.
	OnStart func(t testing.TB, n *Node)
	// OnStop runs before node i is killed (also at cleanup).
	OnStop func(n *Node)
	// Twist returns the twist applied to the infer streams node i opens
	// (nil: none); it applies again after a Restart. See Twist.
	Twist func(i int) *Twist
}

// ChainID and NetUID of every test network.
const (
	ChainID = 31337
	NetUID  = 7
)

// Network is a set of in-process nodes on loopback.
type Network struct {
	t       testing.TB
	opts    Options
	Static  *p2p.StaticMembership // the default membership (nil if Options.Members set)
	members p2p.Membership

	mu    sync.Mutex
	nodes []*Node
	group map[int]int // partition group per node index; nil = healed
}

// Node is one member of the network. P2P is nil while the node is killed.
type Node struct {
	Index   int
	Key     *ecdsa.PrivateKey
	Address common.Address
	PeerID  peer.ID

	mu     sync.Mutex
	p2p    *p2p.Node
	roles  map[string]any
	onKill []func() // run after the p2p node closes in Kill (roles stop)
}

// P2P returns the node's current p2p node (nil while killed).
func (n *Node) P2P() *p2p.Node {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.p2p
}

// SetRole attaches a role object (a miner, a validator …) under name.
func (n *Node) SetRole(name string, v any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.roles[name] = v
}

// Role returns the role object attached under name, or nil.
func (n *Node) Role(name string) any {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.roles[name]
}

// New starts n nodes (not connected; see Connect, ConnectAll). Everything is
// closed at test cleanup.
func New(t testing.TB, n int, opts Options) *Network {
	t.Helper()
	nw := &Network{t: t, opts: opts, members: opts.Members}
	if nw.members == nil {
		nw.Static = new(p2p.StaticMembership)
		nw.members = nw.Static
	}
	for i := 0; i < n; i++ {
		k, err := ethcrypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		nd := &Node{Index: i, Key: k, Address: ethcrypto.PubkeyToAddress(k.PublicKey), roles: map[string]any{}}
		if nw.Static != nil {
			nw.Static.Add(nd.Address, p2p.RoleMiner, p2p.RoleValidator)
		}
		nw.nodes = append(nw.nodes, nd)
	}
	t.Cleanup(nw.Close)
	for i := range nw.nodes {
		nw.start(i)
	}
	for i := range nw.nodes {
		nw.shareAddrs(i)
	}
	return nw
}

// shareAddrs puts node i's addresses in every live peer's peerstore and
// theirs in node i's, so any node can open a stream to any other without a
// prior connection (as discovery would provide).
func (nw *Network) shareAddrs(i int) {
	a := nw.P2P(i)
	if a == nil {
		return
	}
	for j := range nw.nodes {
		b := nw.P2P(j)
		if j == i || b == nil {
			continue
		}
		a.Host().Peerstore().AddAddrs(b.ID(), b.Host().Addrs(), peerstore.PermanentAddrTTL)
		b.Host().Peerstore().AddAddrs(a.ID(), a.Host().Addrs(), peerstore.PermanentAddrTTL)
	}
}

// ConnectRing connects node i to node i+1 and to i+c for each chord c
// (indices modulo the network size): a sparse topology where most pairs
// are several gossip hops apart.
func (nw *Network) ConnectRing(chords ...int) {
	nw.t.Helper()
	n := len(nw.nodes)
	seen := map[[2]int]bool{}
	var pairs [][2]int
	for i := 0; i < n; i++ {
		for _, c := range append([]int{1}, chords...) {
			j := (i + c) % n
			p := [2]int{min(i, j), max(i, j)}
			if i == j || seen[p] || nw.P2P(i) == nil || nw.P2P(j) == nil || !nw.allowed(i, j) {
				continue
			}
			seen[p] = true
			pairs = append(pairs, p)
		}
	}
	nw.connectPairs(pairs)
}

// Config returns the p2p configuration of node i.
func (nw *Network) Config(i int) p2p.Config {
	c := p2p.DefaultConfig()
	c.ChainID, c.NetUID = ChainID, NetUID
	switch nw.opts.Transport {
	case "quic":
		c.ListenAddrs = []string{"/ip4/127.0.0.1/udp/0/quic-v1"}
	case "both":
		c.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	default:
		c.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
	}
	c.StreamTimeout = 10 * time.Second
	c.ScoreInspectPeriod = 100 * time.Millisecond
	c.ReconnectInterval = time.Second
	if nw.opts.Config != nil {
		nw.opts.Config(i, &c)
	}
	return c
}

func (nw *Network) start(i int) {
	nw.t.Helper()
	nd := nw.nodes[i]
	log := nw.opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	opts := []p2p.Option{
		p2p.WithLogger(log.Named(fmt.Sprintf("node%d", i))),
		p2p.WithMembership(nw.members),
		p2p.WithLibp2pOptions(libp2p.ConnectionGater(gater{nw, i})),
	}
	if nw.opts.NodeOptions != nil {
		opts = append(opts, nw.opts.NodeOptions(i)...)
	}
	cfg := nw.Config(i)
	if nw.opts.Twist != nil {
		if tw := nw.opts.Twist(i); tw != nil {
			d := protocol.Domain{ChainID: cfg.ChainID, NetUID: cfg.NetUID}
			opts = append(opts, p2p.WithLibp2pOptions(twistOption(tw, nd.Key, d)))
		}
	}
	pn, err := p2p.New(nd.Key, cfg, opts...)
	if err != nil {
		nw.t.Fatalf("testnet: start node %d: %v", i, err)
	}
	nd.mu.Lock()
	nd.p2p = pn
	nd.PeerID = pn.ID()
	nd.mu.Unlock()
	if nw.opts.OnStart != nil {
		nw.opts.OnStart(nw.t, nd)
	}
}

// Len returns the number of nodes (killed ones included).
func (nw *Network) Len() int { return len(nw.nodes) }

// Node returns node i.
func (nw *Network) Node(i int) *Node { return nw.nodes[i] }

// P2P returns node i's p2p node (nil while killed).
func (nw *Network) P2P(i int) *p2p.Node { return nw.nodes[i].P2P() }

// Nodes returns every node.
func (nw *Network) Nodes() []*Node { return append([]*Node(nil), nw.nodes...) }

// Connect dials node j from node i.
func (nw *Network) Connect(i, j int) {
	nw.t.Helper()
	a, b := nw.P2P(i), nw.P2P(j)
	if a == nil || b == nil {
		nw.t.Fatalf("testnet: connect %d-%d: node killed", i, j)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, b.AddrInfo()); err != nil {
		nw.t.Fatalf("testnet: connect %d-%d: %v", i, j, err)
	}
}

// ConnectAll connects every pair of live nodes allowed by the partition
// (dials run in parallel).
func (nw *Network) ConnectAll() {
	nw.t.Helper()
	var pairs [][2]int
	for i := range nw.nodes {
		for j := i + 1; j < len(nw.nodes); j++ {
			if nw.P2P(i) != nil && nw.P2P(j) != nil && nw.allowed(i, j) {
				pairs = append(pairs, [2]int{i, j})
			}
		}
	}
	nw.connectPairs(pairs)
}

func (nw *Network) connectPairs(pairs [][2]int) {
	nw.t.Helper()
	errs := make(chan error, len(pairs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for _, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			a, b := nw.P2P(p[0]), nw.P2P(p[1])
			if a == nil || b == nil {
				errs <- fmt.Errorf("testnet: connect %d-%d: node killed", p[0], p[1])
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := a.Connect(ctx, b.AddrInfo()); err != nil {
				errs <- fmt.Errorf("testnet: connect %d-%d: %w", p[0], p[1], err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		nw.t.Fatal(err)
	}
}

// Disconnect closes the connections between nodes i and j (they may
// reconnect later, e.g. through discovery).
func (nw *Network) Disconnect(i, j int) {
	a, b := nw.P2P(i), nw.P2P(j)
	if a == nil || b == nil {
		return
	}
	_ = a.Host().Network().ClosePeer(b.ID())
	_ = b.Host().Network().ClosePeer(a.ID())
}

// Partition splits the network: nodes in different groups are
// disconnected and cannot dial each other until Heal. Nodes in no group
// form one more group.
func (nw *Network) Partition(groups ...[]int) {
	nw.mu.Lock()
	nw.group = make(map[int]int)
	for i := range nw.nodes {
		nw.group[i] = -1
	}
	for g, members := range groups {
		for _, i := range members {
			nw.group[i] = g
		}
	}
	nw.mu.Unlock()
	for i := range nw.nodes {
		for j := i + 1; j < len(nw.nodes); j++ {
			if !nw.allowed(i, j) {
				nw.Disconnect(i, j)
			}
		}
	}
}

// Heal removes the partition and reconnects every pair of live nodes.
func (nw *Network) Heal() {
	nw.mu.Lock()
	nw.group = nil
	nw.mu.Unlock()
	nw.ConnectAll()
}

func (nw *Network) allowed(i, j int) bool {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return nw.group == nil || nw.group[i] == nw.group[j]
}

// Kill stops node i abruptly: its connections and streams drop.
func (nw *Network) Kill(i int) {
	nd := nw.nodes[i]
	nd.mu.Lock()
	pn := nd.p2p
	nd.p2p = nil
	nd.mu.Unlock()
	if pn == nil {
		return
	}
	if nw.opts.OnStop != nil {
		nw.opts.OnStop(nd)
	}
	_ = pn.Close()
	nd.mu.Lock()
	hooks := nd.onKill
	nd.onKill = nil
	nd.mu.Unlock()
	for _, h := range hooks {
		h()
	}
}

// Restart starts a killed node again with the same key (same peer ID and
// address, new port) and connects it to every live node the partition
// allows.
func (nw *Network) Restart(i int) {
	nw.t.Helper()
	nw.Kill(i)
	nw.start(i)
	nw.shareAddrs(i)
	var pairs [][2]int
	for j := range nw.nodes {
		if j != i && nw.P2P(j) != nil && nw.allowed(i, j) {
			pairs = append(pairs, [2]int{i, j})
		}
	}
	nw.connectPairs(pairs)
}

// Close stops every node.
func (nw *Network) Close() {
	for i := range nw.nodes {
		nw.Kill(i)
	}
}

// indexOf returns the node index of a peer ID, or -1.
func (nw *Network) indexOf(p peer.ID) int {
	for i, nd := range nw.nodes {
		nd.mu.Lock()
		id := nd.PeerID
		nd.mu.Unlock()
		if id == p {
			return i
		}
	}
	return -1
}

// gater enforces the partition for node i.
type gater struct {
	nw *Network
	i  int
}

func (g gater) ok(p peer.ID) bool {
	j := g.nw.indexOf(p)
	return j < 0 || g.nw.allowed(g.i, j)
}

func (g gater) InterceptPeerDial(p peer.ID) bool                 { return g.ok(p) }
func (g gater) InterceptAddrDial(p peer.ID, _ ma.Multiaddr) bool { return g.ok(p) }
func (g gater) InterceptAccept(network.ConnMultiaddrs) bool      { return true }
func (g gater) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return g.ok(p)
}
func (g gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
