package p2p

import (
	"testing"

	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"

	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestInferStreamLimits: one peer may hold InferStreamsPerPeer infer streams
// in each direction (libp2p's default is 64 inbound per peer and protocol,
// which reset answers of a busy miner), and the package default is untouched.
func TestInferStreamLimits(t *testing.T) {
	limits := resourceLimits()
	concrete := limits.AutoScale().ToPartialLimitConfig()
	pp, ok := concrete.ProtocolPeer[libp2pprotocol.ID(protocol.InferProtocol)]
	if !ok {
		t.Fatal("no per-peer limit for the infer protocol")
	}
	if int(pp.StreamsInbound) < InferStreamsPerPeer || int(pp.StreamsOutbound) < InferStreamsPerPeer {
		t.Fatalf("infer streams per peer: in %v out %v, want ≥ %d", pp.StreamsInbound, pp.StreamsOutbound, InferStreamsPerPeer)
	}
	if int(concrete.PeerDefault.StreamsInbound) < InferStreamsPerPeer {
		t.Fatalf("streams per peer %v cap the infer limit", concrete.PeerDefault.StreamsInbound)
	}
	if rcmgr.DefaultLimits.ProtocolPeerLimits != nil || rcmgr.DefaultLimits.PeerBaseLimit.StreamsInbound >= InferStreamsPerPeer {
		t.Fatal("resourceLimits changed libp2p's package defaults")
	}
}
