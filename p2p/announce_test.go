package p2p_test

import (
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
)

// TestAnnounceReplacesAdvertisedAddrs: a node behind NAT advertises its
// public address instead of its listen addresses, and a peer learns it
// through identify.
func TestAnnounceReplacesAdvertisedAddrs(t *testing.T) {
	const public = "/ip4/203.0.113.7/tcp/4001"
	nw := testnet.New(t, 2, testnet.Options{Config: func(i int, c *p2p.Config) {
		if i == 1 {
			c.Announce = []string{public}
		}
	}})
	addrs := nw.P2P(1).Host().Addrs()
	if len(addrs) != 1 || addrs[0].String() != public {
		t.Fatalf("advertised %v, want only %s", addrs, public)
	}
	// Dial the real listen address, as a port forward would deliver it.
	h1 := nw.P2P(1).Host()
	if err := nw.P2P(0).Host().Connect(ctxT(t, 10*time.Second), peer.AddrInfo{ID: h1.ID(), Addrs: h1.Network().ListenAddresses()}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var known []string
		for _, a := range nw.P2P(0).Host().Peerstore().Addrs(nw.Node(1).PeerID) {
			known = append(known, a.String())
		}
		if slices.Contains(known, public) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("peer knows %v, not the announced %s", known, public)
		}
	}
	bad := p2p.DefaultConfig()
	bad.Announce = []string{"not a multiaddr"}
	if err := bad.Validate(); err == nil {
		t.Fatal("a malformed announce address validated")
	}
}
