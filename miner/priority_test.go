package miner_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestStakePriority: with the only slot busy and the queue full, a query
// from a validator with more stake takes the queued place of a low-stake
// one, which is answered busy; both admitted queries get receipts.
func TestStakePriority(t *testing.T) {
	md := slowModel()
	nw := testnet.New(t, 3, testnet.Options{})
	nw.ConnectAll()
	low, high := nw.Node(0), nw.Node(1)
	stake := map[common.Address]float64{low.Address: 1, high.Address: 100}
	m := nw.StartMiner(2, miner.Config{MaxConcurrency: 1, QueueSize: 1, RatePerSecond: -1}, []miner.Model{md},
		miner.WithStake(func(a common.Address) float64 { return stake[a] }))
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	for _, i := range []int{0, 1} {
		if err := nw.P2P(i).WaitForTopicPeers(ctx, protocol.TopicQuery, 1); err != nil {
			t.Fatal(err)
		}
	}
	send := func(from *testnet.Node, maxTokens uint32) *p2p.Responses {
		t.Helper()
		qid := make([]byte, protocol.QueryIDSize)
		_, _ = rand.Read(qid)
		now := time.Now()
		q := &protocol.Query{QueryId: qid, Sender: from.Address.Bytes(), ModelId: md.ID, PromptTokens: []uint32{1, 2},
			Sampling: &protocol.SamplingParams{MaxTokens: maxTokens}, DeadlineMs: now.Add(time.Minute).UnixMilli(),
			TimestampMs: now.UnixMilli(), Targets: []*protocol.Target{{Uid: 2, Miner: nw.Node(2).Address.Bytes(), Seed: 1}}}
		resp, err := from.P2P().Await(qid, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(resp.Close)
		if _, err := from.P2P().Publish(ctx, q); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	final := func(resp *p2p.Responses) *p2p.Frame {
		t.Helper()
		select {
		case s := <-resp.Streams():
			_, f, err := s.Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return f
		case <-ctx.Done():
			t.Fatal("no answer")
		}
		return nil
	}
	waitStatus := func(ok func(miner.Status) bool) {
		t.Helper()
		for !ok(m.Status()) {
			if ctx.Err() != nil {
				t.Fatalf("status never reached: %+v", m.Status())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	running := send(low, 600) // takes the slot
	waitStatus(func(s miner.Status) bool { return s.Active == 1 })
	queued := send(low, 8) // takes the queue
	waitStatus(func(s miner.Status) bool { return s.QueueDepth == 1 })
	preferred := send(high, 8) // outranks the queued one
	f := final(queued)
	if f.Reject == nil || f.Reject.Reason != protocol.RejectReason_REJECT_REASON_BUSY || !strings.Contains(f.Reject.Message, "stake") {
		t.Fatalf("the low-stake queued query got %v %v, want busy (preempted)", f.Type, f.Reject)
	}
	for _, resp := range []*p2p.Responses{running, preferred} {
		if f := final(resp); f.Receipt == nil {
			t.Fatalf("admitted query got %v %v", f.Type, f.Reject)
		}
	}
}
