package p2p

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
	drouting "github.com/libp2p/go-libp2p/p2p/discovery/routing"
	dutil "github.com/libp2p/go-libp2p/p2p/discovery/util"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/zap"
)

// Rendezvous returns the mDNS service name and DHT namespace of a subnet.
func Rendezvous(netuid uint32) string { return fmt.Sprintf("ganglion-%d", netuid) }

// BootstrapPeers parses the configured bootstrap multiaddrs.
func BootstrapPeers(addrs []string) ([]peer.AddrInfo, error) {
	var out []peer.AddrInfo
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("p2p: bootstrap %q: %w", s, err)
		}
		pi, err := peer.AddrInfoFromP2pAddr(a)
		if err != nil {
			return nil, fmt.Errorf("p2p: bootstrap %q: %w", s, err)
		}
		out = append(out, *pi)
	}
	return out, nil
}

// Run discovers and keeps peers until ctx ends: it dials the bootstrap peers
// now and again every ReconnectInterval when disconnected, runs mDNS and the
// DHT rendezvous when enabled. It returns nil when ctx is cancelled.
func (n *Node) Run(ctx context.Context) error {
	boot, err := BootstrapPeers(n.cfg.Bootstrap)
	if err != nil {
		return err
	}
	for _, pi := range boot {
		n.host.ConnManager().Protect(pi.ID, "bootstrap")
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	if n.cfg.MDNS {
		svc := mdns.NewMdnsService(n.host, Rendezvous(n.cfg.NetUID), mdnsNotifee{n, ctx})
		if err := svc.Start(); err != nil {
			return fmt.Errorf("p2p: mdns: %w", err)
		}
		defer svc.Close()
	}
	if n.dht != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.runDHT(ctx)
		}()
	}
	n.dialBootstrap(ctx, boot)
	t := time.NewTicker(n.cfg.ReconnectInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			n.dialBootstrap(ctx, boot)
		}
	}
}

func (n *Node) dialBootstrap(ctx context.Context, boot []peer.AddrInfo) {
	for _, pi := range boot {
		if pi.ID == n.host.ID() || n.host.Network().Connectedness(pi.ID) == network.Connected {
			continue
		}
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := n.host.Connect(dctx, pi); err != nil {
			n.log.Debug("bootstrap dial failed", zap.Stringer("peer", pi.ID), zap.Error(err))
		} else {
			n.log.Info("connected to bootstrap peer", zap.Stringer("peer", pi.ID))
		}
		cancel()
	}
}

func (n *Node) runDHT(ctx context.Context) {
	if err := n.dht.Bootstrap(ctx); err != nil {
		n.log.Warn("dht bootstrap", zap.Error(err))
	}
	rd := drouting.NewRoutingDiscovery(n.dht)
	ns := Rendezvous(n.cfg.NetUID)
	dutil.Advertise(ctx, rd, ns)
	t := time.NewTicker(n.cfg.ReconnectInterval)
	defer t.Stop()
	for {
		peers, err := dutil.FindPeers(ctx, rd, ns)
		if err != nil {
			n.log.Debug("dht find peers", zap.Error(err))
		}
		for _, pi := range peers {
			if pi.ID == n.host.ID() || n.host.Network().Connectedness(pi.ID) == network.Connected {
				continue
			}
			dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_ = n.host.Connect(dctx, pi)
			cancel()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

type mdnsNotifee struct {
	n   *Node
	ctx context.Context
}

func (m mdnsNotifee) HandlePeerFound(pi peer.AddrInfo) {
	if pi.ID == m.n.host.ID() {
		return
	}
	ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
	defer cancel()
	if err := m.n.host.Connect(ctx, pi); err != nil {
		m.n.log.Debug("mdns dial failed", zap.Stringer("peer", pi.ID), zap.Error(err))
	}
}
