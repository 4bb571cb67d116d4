package p2p_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestRelayBridgesSubscribers: two subscribers connected only through a third
// node reach each other once, and only while, that node relays the topic.
func TestRelayBridgesSubscribers(t *testing.T) {
	nw := testnet.New(t, 3, testnet.Options{})
	nw.Connect(0, 1)
	nw.Connect(1, 2)
	sub, err := nw.P2P(2).Subscribe(protocol.TopicQuery)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nw.P2P(0).Subscribe(protocol.TopicQuery); err != nil {
		t.Fatal(err)
	}
	publish := func() []byte {
		qid := newQueryID(t)
		if _, err := nw.P2P(0).Publish(ctxT(t, 5*time.Second), query(qid, nw.Node(0).Address)); err != nil {
			t.Fatal(err)
		}
		return qid
	}
	// Without a relay the message has no path.
	publish()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	m, err := sub.Next(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delivered without a relay: %v %v", m, err)
	}
	stop, err := nw.P2P(1).Relay(protocol.TopicQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if _, err := nw.P2P(1).Relay("nope"); err == nil {
		t.Fatal("relay of an unknown topic kind succeeded")
	}
	for _, i := range []int{0, 2} {
		if err := nw.P2P(i).WaitForTopicPeers(ctxT(t, 20*time.Second), protocol.TopicQuery, 1); err != nil {
			t.Fatal(err)
		}
	}
	// Both ends see the relay as a topic peer now; the next message crosses.
	qid := publish()
	m, err = sub.Next(ctxT(t, 10*time.Second))
	if err != nil {
		t.Fatalf("not relayed: %v", err)
	}
	if q := m.Message.(*protocol.Query); !bytes.Equal(q.QueryId, qid) || m.Sender != nw.Node(0).Address {
		t.Fatalf("relayed %x from %s", q.QueryId, m.Sender)
	}
}
