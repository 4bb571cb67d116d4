package p2p_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ganglion-subnet/ganglion/p2p"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/protocol"
)

func newQueryID(t testing.TB) []byte {
	t.Helper()
	q := make([]byte, protocol.QueryIDSize)
	if _, err := rand.Read(q); err != nil {
		t.Fatal(err)
	}
	return q
}

func modelID() []byte {
	m := make([]byte, protocol.HashSize)
	for i := range m {
		m[i] = byte(i)
	}
	return m
}

func query(qid []byte, sender common.Address, targets ...*testnet.Node) *protocol.Query {
	q := &protocol.Query{QueryId: qid, Sender: sender.Bytes(), ModelId: modelID(), PromptTokens: []uint32{1, 2, 3},
		Sampling:    &protocol.SamplingParams{Temperature: 0, MaxTokens: 16},
		DeadlineMs:  time.Now().Add(time.Minute).UnixMilli(),
		TimestampMs: time.Now().UnixMilli()}
	for _, n := range targets {
		q.Targets = append(q.Targets, &protocol.Target{Uid: uint32(n.Index), Miner: n.Address.Bytes(), Seed: uint64(n.Index)})
	}
	return q
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitMesh waits until every node sees at least min peers on topic kind,
// then two heartbeats so that meshes form.
func waitMesh(t testing.TB, nw *testnet.Network, kind string, min int) {
	t.Helper()
	ctx := ctxT(t, 20*time.Second)
	for i := 0; i < nw.Len(); i++ {
		if n := nw.P2P(i); n != nil {
			if err := n.WaitForTopicPeers(ctx, kind, min); err != nil {
				t.Fatalf("node %d: %v", i, err)
			}
		}
	}
	time.Sleep(1500 * time.Millisecond)
}

func peerID(s interface{ String() string }) peer.ID {
	if p, ok := s.(peer.ID); ok {
		return p
	}
	panic("not a peer id")
}

func metricValue(m *p2p.Metrics, dir, result string) float64 {
	return testutil.ToFloat64(m.Streams.WithLabelValues(dir, result))
}
