package p2p_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/ganglion-subnet/ganglion/internal/config"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
)

func runNode(t *testing.T, n *p2p.Node) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

func waitConnected(t *testing.T, a *p2p.Node, b *testnet.Node, d time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if a.Host().Network().Connectedness(b.PeerID) == network.Connected {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// TestBootstrapReconnect: a node dials its bootstrap peer when Run starts
// and dials it again after the connection drops.
func TestBootstrapReconnect(t *testing.T) {
	nw := testnet.New(t, 2, testnet.Options{})
	boot := nw.P2P(0)
	c := nw.Config(1)
	c.Bootstrap = []string{fmt.Sprintf("%s/p2p/%s", boot.Host().Addrs()[0], boot.ID())}
	c.ReconnectInterval = 200 * time.Millisecond
	n, err := p2p.New(nw.Node(1).Key, c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	runNode(t, n)
	if !waitConnected(t, n, nw.Node(0), 5*time.Second) {
		t.Fatal("not connected to the bootstrap peer")
	}
	_ = n.Host().Network().ClosePeer(boot.ID())
	if !waitConnected(t, n, nw.Node(0), 5*time.Second) {
		t.Fatal("not reconnected to the bootstrap peer")
	}
}

// TestDHTDiscovery: two nodes that only know a hub find each other through
// the DHT; without it they stay apart.
func TestDHTDiscovery(t *testing.T) {
	for _, dht := range []bool{false, true} {
		t.Run(fmt.Sprintf("dht=%v", dht), func(t *testing.T) {
			nw := testnet.New(t, 3, testnet.Options{Config: func(i int, c *p2p.Config) {
				c.DHT = dht
				c.ReconnectInterval = 300 * time.Millisecond
			}})
			runNode(t, nw.P2P(0))
			nw.Connect(1, 0)
			nw.Connect(2, 0)
			runNode(t, nw.P2P(1))
			runNode(t, nw.P2P(2))
			wait := 20 * time.Second
			if !dht {
				wait = time.Second
			}
			if got := waitConnected(t, nw.P2P(1), nw.Node(2), wait); got != dht {
				t.Fatalf("nodes 1 and 2 connected = %v, want %v", got, dht)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*p2p.Config){
		func(c *p2p.Config) { c.ListenAddrs = []string{"not a multiaddr"} },
		func(c *p2p.Config) { c.Bootstrap = []string{"/ip4/1.2.3.4/tcp/x"} },
		func(c *p2p.Config) { c.ConnLow, c.ConnHigh = 10, 5 },
		func(c *p2p.Config) { c.TimestampWindow = 0 },
		func(c *p2p.Config) { c.StreamTimeout = -1 },
		func(c *p2p.Config) { c.ReconnectInterval = 0 },
		func(c *p2p.Config) { c.ScoreInspectPeriod = 0 },
	}
	if err := p2p.DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for i, f := range bad {
		c := p2p.DefaultConfig()
		f(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("case %d: invalid config accepted", i)
		}
	}
}

func TestFromConfig(t *testing.T) {
	c := p2p.FromConfig(config.P2P{Listen: []string{"/ip4/127.0.0.1/tcp/9"}, Bootstrap: []string{"/ip4/1.2.3.4/tcp/1/p2p/16Uiu2HAmLEUu42wJbUpjKNHvsUtyjyYvqTLbeUEJnhxL76PKT2dr"}, DHT: true},
		config.Chain{ChainID: 5, Netuid: 9})
	if c.ListenAddrs[0] != "/ip4/127.0.0.1/tcp/9" || len(c.Bootstrap) != 1 || !c.DHT || c.MDNS || c.ChainID != 5 || c.NetUID != 9 {
		t.Fatalf("%+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestMDNSDiscovery: two nodes with mDNS on (no bootstrap, never connected
// by hand) find each other and connect; with mDNS off they stay apart.
// Each test network gets its own netuid, hence its own mDNS service name,
// so concurrent test runs on the same host do not find each other.
func TestMDNSDiscovery(t *testing.T) {
	for _, mdns := range []bool{false, true} {
		t.Run(fmt.Sprintf("mdns=%v", mdns), func(t *testing.T) {
			netuid := uint32(1000 + time.Now().UnixNano()%1_000_000)
			nw := testnet.New(t, 2, testnet.Options{Config: func(i int, c *p2p.Config) {
				c.MDNS = mdns
				c.NetUID = netuid
			}})
			runNode(t, nw.P2P(0))
			runNode(t, nw.P2P(1))
			wait := 15 * time.Second
			if !mdns {
				wait = 2 * time.Second
			}
			if got := waitConnected(t, nw.P2P(1), nw.Node(0), wait); got != mdns {
				t.Fatalf("nodes connected = %v, want %v", got, mdns)
			}
		})
	}
}
