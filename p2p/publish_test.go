package p2p_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestConcurrentPublishLosesNothing: several goroutines of one node publish
// a burst of ≈600-byte queries at once to several directly connected
// subscribers. Every subscriber receives every query exactly once. With
// the old 1,024-entry validation queue the burst (each query arrives up to 4
// times: from the publisher and from the other subscribers) overflowed the
// subscribers' validation queues and each lost a few dozen to a few hundred
// queries (router rejects "validation queue full"); the publisher itself
// dropped none (TestPublishWaitsForSlowReader covers that side).
func TestConcurrentPublishLosesNothing(t *testing.T) {
	const subsN, publishers = 4, 4
	total := 3000
	if raceEnabled {
		total = 120 // a smoke test of the publish path under the race detector
	}
	nw := testnet.New(t, 1+subsN, testnet.Options{})
	nw.ConnectAll()
	subs := make([]*p2p.Subscription, subsN)
	for i := range subs {
		s, err := nw.P2P(1 + i).Subscribe(protocol.TopicQuery)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Cancel)
		subs[i] = s
	}
	waitMesh(t, nw, protocol.TopicQuery, 1)
	pub := nw.P2P(0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// want[k] is the query id of message k; sent by publisher k%publishers.
	want := make(map[string]int, total)
	qids := make([][]byte, total)
	for k := range qids {
		qids[k] = newQueryID(t)
		want[string(qids[k])] = k
	}
	got := make([]map[string]int, subsN)
	var wg sync.WaitGroup
	for i, s := range subs {
		got[i] = make(map[string]int, total)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for len(got[i]) < total {
				// Quiet for 10 s after the last message: the rest is lost.
				mctx, mcancel := context.WithTimeout(ctx, 10*time.Second)
				m, err := s.Next(mctx)
				mcancel()
				if err != nil {
					return
				}
				got[i][string(m.Message.(*protocol.Query).QueryId)]++
			}
		}()
	}
	var pw sync.WaitGroup
	for p := 0; p < publishers; p++ {
		pw.Add(1)
		go func() {
			defer pw.Done()
			for k := p; k < total; k += publishers {
				q := query(qids[k], nw.Node(0).Address)
				q.PromptTokens = make([]uint32, 120) // ≈600-byte envelope
				if _, err := pub.Publish(ctx, q); err != nil {
					t.Errorf("publisher %d, message %d: %v", p, k, err)
					return
				}
			}
		}()
	}
	start := time.Now()
	pw.Wait()
	t.Logf("published %d in %v", total, time.Since(start))
	wg.Wait()
	t.Logf("received in %v; publish waits %v", time.Since(start), testutil.ToFloat64(pub.Metrics().PublishWaits))
	for i := range got {
		if len(got[i]) != total {
			var missing []int
			for qid, k := range want {
				if got[i][qid] == 0 && len(missing) < 10 {
					missing = append(missing, k)
				}
			}
			t.Errorf("subscriber %d received %d of %d queries (missing e.g. %v)", i+1, len(got[i]), total, missing)
		}
		for qid, c := range got[i] {
			if _, ok := want[qid]; !ok || c != 1 {
				t.Errorf("subscriber %d: query %x received %d times (known %v)", i+1, qid, c, ok)
			}
		}
	}
	for i := 0; i < nw.Len(); i++ {
		m := nw.P2P(i).Metrics()
		if d := testutil.ToFloat64(m.DroppedMsgs); i == 0 && d != 0 {
			t.Errorf("node %d dropped %v messages (%v RPCs)", i, d, testutil.ToFloat64(m.DroppedRPCs))
		}
		t.Logf("node %d: router rejects %s; validated %s", i, dump(m.RouterReject), dump(m.Validated))
	}
}

// stallingReader is a RawTracer that, once armed, blocks a plain pubsub
// router's event loop on every incoming RPC until released: the peer stops
// reading its stream and the publisher's outbound queue to it fills up.
type stallingReader struct {
	armed   atomic.Bool
	release chan struct{}
}

func (s *stallingReader) RecvRPC(*pubsub.RPC) {
	if s.armed.Load() {
		<-s.release
	}
}
func (*stallingReader) OnNewOutboundStream(peer.ID, libp2pprotocol.ID)       {}
func (*stallingReader) OnClosedOutboundStream(peer.ID)                       {}
func (*stallingReader) Join(string)                                          {}
func (*stallingReader) Leave(string)                                         {}
func (*stallingReader) Graft(peer.ID, string)                                {}
func (*stallingReader) Prune(peer.ID, string)                                {}
func (*stallingReader) ValidateMessage(*pubsub.Message)                      {}
func (*stallingReader) DeliverMessage(*pubsub.Message)                       {}
func (*stallingReader) RejectMessage(*pubsub.Message, string)                {}
func (*stallingReader) DuplicateMessage(*pubsub.Message)                     {}
func (*stallingReader) ThrottlePeer(peer.ID)                                 {}
func (*stallingReader) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (*stallingReader) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (*stallingReader) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (*stallingReader) UndeliverableMessage(*pubsub.Message)                 {}

// TestPublishWaitsForSlowReader: two peers stop reading their gossip stream
// while several goroutines publish ≈48 KB queries, a burst 3× the (shrunk,
// 32-RPC) outbound queue; the peers resume once a publish has waited.
// Publish waits for the queues to drain (publish_waits_total rises) and
// both peers receive every message; without the wait the router dropped the
// overflow (DropRPC, messages_dropped_total) while Publish returned nil.
func TestPublishWaitsForSlowReader(t *testing.T) {
	const readers, publishers, queue, total = 2, 4, 32, 3 * 32
	nw := testnet.New(t, 1, testnet.Options{NodeOptions: func(int) []p2p.Option {
		// The hold is long here: on a loaded machine the readers may take
		// longer than PublishHold to drain, and this test is about waiting,
		// not about giving up on a slow peer (TestOutboundGate covers that).
		return []p2p.Option{p2p.WithOutboundQueueSize(queue), p2p.WithPublishHold(time.Minute)}
	}})
	pub := nw.P2P(0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	topic := protocol.Topic(testnet.NetUID, protocol.TopicQuery)
	counts := make([]int, readers)
	stall := make([]*stallingReader, readers)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := range counts {
		h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		stall[i] = &stallingReader{release: release}
		ps, err := pubsub.NewGossipSub(ctx, h, pubsub.WithRawTracer(stall[i]),
			pubsub.WithValidateQueueSize(4*total), pubsub.WithMaxMessageSize(protocol.MaxEnvelopeSize+4096))
		if err != nil {
			t.Fatal(err)
		}
		tp, err := ps.Join(topic)
		if err != nil {
			t.Fatal(err)
		}
		s, err := tp.Subscribe(pubsub.WithBufferSize(total))
		if err != nil {
			t.Fatal(err)
		}
		if err := pub.Connect(ctx, peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for counts[i] < total {
				mctx, mcancel := context.WithTimeout(ctx, 30*time.Second) // the stall lasts up to 20 s
				_, err := s.Next(mctx)
				mcancel()
				if err != nil {
					return
				}
				counts[i]++
			}
		}()
	}
	if err := pub.WaitForTopicPeers(ctx, protocol.TopicQuery, readers); err != nil {
		t.Fatal(err)
	}
	for _, s := range stall {
		s.armed.Store(true)
	}
	m := pub.Metrics()
	go func() { // resume reading once a publisher waits (or after 20 s)
		defer close(release)
		for i := 0; i < 2000 && testutil.ToFloat64(m.PublishWaits) == 0; i++ {
			time.Sleep(10 * time.Millisecond)
		}
	}()
	var pw sync.WaitGroup
	for p := 0; p < publishers; p++ {
		pw.Add(1)
		go func() {
			defer pw.Done()
			for k := p; k < total; k += publishers {
				q := query(newQueryID(t), nw.Node(0).Address)
				q.PromptTokens = make([]uint32, 16000)
				for j := range q.PromptTokens {
					q.PromptTokens[j] = 100000 // 3 bytes each
				}
				if _, err := pub.Publish(ctx, q); err != nil {
					t.Errorf("publisher %d, message %d: %v", p, k, err)
					return
				}
			}
		}()
	}
	pw.Wait()
	wg.Wait()
	for i, c := range counts {
		if c != total {
			t.Errorf("slow reader %d received %d of %d messages", i, c, total)
		}
	}
	if d := testutil.ToFloat64(m.DroppedMsgs); d != 0 {
		t.Errorf("publisher dropped %v messages (%v RPCs)", d, testutil.ToFloat64(m.DroppedRPCs))
	}
	if w := testutil.ToFloat64(m.PublishWaits); w == 0 {
		t.Error("no publish waited for the slow readers")
	}
}
