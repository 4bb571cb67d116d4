package p2p

import (
	"errors"
	"fmt"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/ganglion-subnet/ganglion/internal/config"
)

// Config is the [p2p] section of the node configuration.
type Config struct {
	// ListenAddrs are multiaddrs to listen on (TCP and QUIC).
	ListenAddrs []string `toml:"listen"`
	// ChainID and NetUID scope every signature (protocol.Domain).
	ChainID uint64 `toml:"chain_id"`
	NetUID  uint32 `toml:"netuid"`
	// Bootstrap peers (multiaddrs ending in /p2p/<peer id>); the node
	// reconnects to them every ReconnectInterval while Run runs.
	Bootstrap         []string      `toml:"bootstrap"`
	ReconnectInterval time.Duration `toml:"reconnect_interval"`
	// MDNS enables LAN discovery; DHT enables a Kademlia DHT used to find
	// peers of the subnet by rendezvous.
	MDNS bool `toml:"mdns"`
	DHT  bool `toml:"dht"`
	// Announce, when set, replaces the addresses the node advertises to
	// peers (identify, DHT): the public address of a node behind NAT or a
	// port forward, e.g. /ip4/203.0.113.7/tcp/4001.
	Announce []string `toml:"announce"`
	// NATPortMap asks the gateway router to forward the listen ports
	// (UPnP / NAT-PMP) and advertises the mapped addresses.
	NATPortMap bool `toml:"nat_portmap"`
	// Connection manager watermarks and grace period.
	ConnLow   int           `toml:"conn_low"`
	ConnHigh  int           `toml:"conn_high"`
	ConnGrace time.Duration `toml:"conn_grace"`
	// TimestampWindow bounds clock difference on signed envelopes.
	TimestampWindow time.Duration `toml:"timestamp_window"`
	// StreamTimeout bounds each read or write of a stream frame.
	StreamTimeout time.Duration `toml:"stream_timeout"`
	// ScoreInspectPeriod is how often peer scores are sampled (Node.Score).
	ScoreInspectPeriod time.Duration `toml:"score_inspect_period"`
}

// DefaultConfig returns the defaults: TCP and QUIC on port 4001, chain 31337
// (the dev chain), netuid 1.
func DefaultConfig() Config {
	return Config{
		ListenAddrs:        []string{"/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"},
		ChainID:            31337,
		NetUID:             1,
		ReconnectInterval:  10 * time.Second,
		ConnLow:            64,
		ConnHigh:           192,
		ConnGrace:          30 * time.Second,
		TimestampWindow:    30 * time.Second,
		StreamTimeout:      30 * time.Second,
		ScoreInspectPeriod: time.Second,
	}
}

// Validate reports the first invalid key, named as in the TOML file.
func (c Config) Validate() error {
	for _, a := range c.ListenAddrs {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("p2p.listen %q: %w", a, err)
		}
	}
	for _, a := range c.Announce {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("p2p.announce %q: %w", a, err)
		}
	}
	for _, a := range c.Bootstrap {
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fmt.Errorf("p2p.bootstrap %q: %w", a, err)
		}
	}
	switch {
	case c.ReconnectInterval <= 0:
		return errors.New("p2p.reconnect_interval must be positive")
	case c.ConnLow <= 0 || c.ConnHigh < c.ConnLow:
		return fmt.Errorf("p2p.conn_low %d / conn_high %d: need 0 < low <= high", c.ConnLow, c.ConnHigh)
	case c.TimestampWindow <= 0:
		return errors.New("p2p.timestamp_window must be positive")
	case c.StreamTimeout <= 0:
		return errors.New("p2p.stream_timeout must be positive")
	case c.ScoreInspectPeriod <= 0:
		return errors.New("p2p.score_inspect_period must be positive")
	}
	return nil
}

// FromConfig builds the p2p configuration from the process configuration's
// [p2p] and [chain] sections; other fields keep their defaults.
func FromConfig(p config.P2P, ch config.Chain) Config {
	c := DefaultConfig()
	if len(p.Listen) > 0 {
		c.ListenAddrs = append([]string(nil), p.Listen...)
	}
	c.Bootstrap = append([]string(nil), p.Bootstrap...)
	c.MDNS, c.DHT = p.MDNS, p.DHT
	c.Announce = append([]string(nil), p.Announce...)
	c.NATPortMap = p.NATPortMap
	if ch.ChainID != 0 {
		c.ChainID = ch.ChainID
	}
	if ch.Netuid != 0 {
		c.NetUID = uint32(ch.Netuid)
	}
	return c
}
