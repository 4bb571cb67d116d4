package testnet_test

import (
	"context"
	"crypto/rand"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

func publishQuery(t *testing.T, nw *testnet.Network, from int) []byte {
	t.Helper()
	qid := make([]byte, protocol.QueryIDSize)
	_, _ = rand.Read(qid)
	q := &protocol.Query{QueryId: qid, Sender: nw.Node(from).Address.Bytes(), ModelId: make([]byte, protocol.HashSize),
		TimestampMs: time.Now().UnixMilli()}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := nw.P2P(from).Publish(ctx, q); err != nil {
		t.Fatal(err)
	}
	return qid
}

// receives reports whether sub delivers query qid within d.
func receives(sub *p2p.Subscription, qid []byte, d time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for {
		m, err := sub.Next(ctx)
		if err != nil {
			return false
		}
		if string(m.Message.(*protocol.Query).QueryId) == string(qid) {
			return true
		}
	}
}

func subscribeAll(t *testing.T, nw *testnet.Network) []*p2p.Subscription {
	t.Helper()
	subs := make([]*p2p.Subscription, nw.Len())
	for i := range subs {
		if nw.P2P(i) == nil {
			continue
		}
		s, err := nw.P2P(i).Subscribe(protocol.TopicQuery)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Cancel)
		subs[i] = s
	}
	return subs
}

func settle(t *testing.T, nw *testnet.Network, min int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := 0; i < nw.Len(); i++ {
		if n := nw.P2P(i); n != nil {
			if err := n.WaitForTopicPeers(ctx, protocol.TopicQuery, min); err != nil {
				t.Fatalf("node %d: %v", i, err)
			}
		}
	}
	time.Sleep(1500 * time.Millisecond) // two heartbeats: meshes form
}

func TestPartitionAndHeal(t *testing.T) {
	nw := testnet.New(t, 12, testnet.Options{})
	nw.ConnectRing(2, 5)
	subs := subscribeAll(t, nw)
	settle(t, nw, 3)

	a, b := []int{0, 1, 2, 3, 4, 5}, []int{6, 7, 8, 9, 10, 11}
	nw.Partition(a, b)
	for _, i := range a {
		for _, j := range b {
			if c := nw.P2P(i).Host().Network().Connectedness(nw.Node(j).PeerID); c == network.Connected {
				t.Fatalf("nodes %d and %d still connected across the partition", i, j)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := nw.P2P(0).Connect(ctx, nw.P2P(7).AddrInfo()); err == nil {
		t.Fatal("dial across the partition succeeded")
	}
	time.Sleep(1500 * time.Millisecond) // meshes repair inside each side
	qid := publishQuery(t, nw, 0)
	for _, i := range a {
		if !receives(subs[i], qid, 10*time.Second) {
			t.Errorf("node %d (same side) did not receive the query", i)
		}
	}
	for _, j := range b {
		if receives(subs[j], qid, 300*time.Millisecond) {
			t.Errorf("node %d received a query across the partition", j)
		}
	}

	nw.Heal()
	settle(t, nw, 3)
	qid = publishQuery(t, nw, 0)
	for i := range subs {
		if !receives(subs[i], qid, 10*time.Second) {
			t.Errorf("node %d did not receive the query after Heal", i)
		}
	}
}

func TestKillRestartDisconnect(t *testing.T) {
	var starts atomic.Int32
	nw := testnet.New(t, 12, testnet.Options{OnStart: func(t testing.TB, n *testnet.Node) {
		starts.Add(1)
		n.SetRole("marker", n.Index)
	}})
	if got := starts.Load(); got != 12 {
		t.Fatalf("OnStart ran %d times, want 12", got)
	}
	if v, _ := nw.Node(4).Role("marker").(int); v != 4 {
		t.Fatalf("role of node 4 = %v", nw.Node(4).Role("marker"))
	}
	nw.ConnectRing(3)
	nw.Disconnect(0, 1)
	if c := nw.P2P(0).Host().Network().Connectedness(nw.Node(1).PeerID); c == network.Connected {
		t.Fatal("Disconnect left nodes 0 and 1 connected")
	}

	id, addr := nw.Node(5).PeerID, nw.Node(5).Address
	nw.Kill(5)
	if nw.P2P(5) != nil {
		t.Fatal("killed node still has a p2p node")
	}
	deadline := time.Now().Add(5 * time.Second)
	for nw.P2P(4).Host().Network().Connectedness(id) == network.Connected && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the peer notices the closed connection
	}
	if c := nw.P2P(4).Host().Network().Connectedness(id); c == network.Connected {
		t.Fatal("node 4 still connected to killed node 5")
	}
	nw.Restart(5)
	if starts.Load() != 13 {
		t.Fatalf("OnStart ran %d times after restart, want 13", starts.Load())
	}
	if nw.P2P(5).ID() != id || nw.P2P(5).Address() != addr {
		t.Fatal("restarted node has a new identity")
	}
	if c := nw.P2P(4).Host().Network().Connectedness(id); c != network.Connected {
		t.Fatal("restarted node 5 not reconnected to node 4")
	}
	subs := subscribeAll(t, nw)
	settle(t, nw, 3)
	qid := publishQuery(t, nw, 0)
	if !receives(subs[5], qid, 10*time.Second) {
		t.Fatal("restarted node did not receive a query")
	}
}
