package p2p_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestQueryReachesEverySubscriber: 12 nodes in a sparse ring with chords
// (most pairs are several hops apart); every query from several publishers
// reaches every subscriber exactly once, with the publisher's address.
func TestQueryReachesEverySubscriber(t *testing.T) {
	const n, perPublisher = 12, 10
	nw := testnet.New(t, n, testnet.Options{})
	nw.ConnectRing(4)
	subs := make([]*p2p.Subscription, n)
	for i := range subs {
		s, err := nw.P2P(i).Subscribe(protocol.TopicQuery)
		if err != nil {
			t.Fatal(err)
		}
		subs[i] = s
	}
	waitMesh(t, nw, protocol.TopicQuery, 2)

	publishers := []int{0, 5, 9}
	want := map[string]int{} // query id → publisher
	for _, p := range publishers {
		for k := 0; k < perPublisher; k++ {
			qid := newQueryID(t)
			want[string(qid)] = p
			if _, err := nw.P2P(p).Publish(ctxT(t, 5*time.Second), query(qid, nw.Node(p).Address)); err != nil {
				t.Fatalf("publish from %d: %v", p, err)
			}
		}
	}
	var wg sync.WaitGroup
	for i := range subs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := ctxT(t, 20*time.Second)
			got := map[string]bool{}
			for len(got) < len(want) {
				m, err := subs[i].Next(ctx)
				if err != nil {
					t.Errorf("node %d: got %d of %d queries: %v", i, len(got), len(want), err)
					return
				}
				q := m.Message.(*protocol.Query)
				p, ok := want[string(q.QueryId)]
				switch {
				case !ok:
					t.Errorf("node %d: unexpected query %x", i, q.QueryId)
				case got[string(q.QueryId)]:
					t.Errorf("node %d: query %x delivered twice", i, q.QueryId)
				case m.Sender != nw.Node(p).Address || m.From != nw.Node(p).PeerID:
					t.Errorf("node %d: query from %s/%s, want node %d", i, m.Sender, m.From, p)
				case !bytes.Equal(q.Sender, m.Sender.Bytes()):
					t.Errorf("node %d: sender field %x", i, q.Sender)
				}
				got[string(q.QueryId)] = true
			}
		}(i)
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		if d := testutil.ToFloat64(nw.P2P(i).Metrics().DroppedMsgs); d != 0 {
			t.Errorf("node %d dropped %v RPCs", i, d)
		}
	}
}
