package p2p_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// tokensFor is what a test miner answers: deterministic per (query, miner,
// chunk) so the querier can check every token.
func tokensFor(qid []byte, miner, chunk int) []uint32 {
	return []uint32{uint32(qid[0]), uint32(miner), uint32(chunk), uint32(qid[1])<<8 | uint32(chunk)}
}

// serveMiner answers every query targeting node i with chunks then a receipt.
func serveMiner(ctx context.Context, t testing.TB, nw *testnet.Network, i, chunks int, wg *sync.WaitGroup) *atomic.Int64 {
	var received atomic.Int64
	node := nw.P2P(i)
	sub, err := node.Subscribe(protocol.TopicQuery)
	if err != nil {
		t.Fatal(err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer sub.Cancel()
		var inflight sync.WaitGroup
		defer inflight.Wait()
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				return
			}
			q := m.Message.(*protocol.Query)
			targeted := false
			for _, tg := range q.Targets {
				targeted = targeted || tg.Uid == uint32(i)
			}
			if !targeted {
				continue
			}
			received.Add(1)
			inflight.Add(1)
			go func() {
				defer inflight.Done()
				if err := answer(ctx, node, m.From, q, i, chunks); err != nil {
					t.Errorf("miner %d: %v", i, err)
				}
			}()
		}
	}()
	return &received
}

func answer(ctx context.Context, node *p2p.Node, to interface{ String() string }, q *protocol.Query, i, chunks int) error {
	w, err := node.OpenInferStream(ctx, peerID(to), q.QueryId)
	if err != nil {
		return err
	}
	var out []uint32
	for c := 0; c < chunks; c++ {
		toks := tokensFor(q.QueryId, i, c)
		out = append(out, toks...)
		if err := w.Chunk(toks, fmt.Sprintf("c%d", c)); err != nil {
			return err
		}
	}
	digests := make([][]byte, len(out))
	for k := range digests {
		digests[k] = make([]byte, protocol.HashSize)
	}
	return w.Receipt(&protocol.Receipt{ModelId: q.ModelId, PromptTokens: q.PromptTokens, OutputTokens: out,
		LogitDigests: digests, FinishReason: protocol.FinishReason_FINISH_REASON_LENGTH,
		Timings: &protocol.Timings{TotalUs: 1}})
}

// TestStreamsUnderConcurrentLoad: a querier sends 30 queries at once, each
// to all 11 miners of a 12-node network; every miner streams 20 chunks and
// a signed receipt per query (330 concurrent streams, 6,930 frames). Every
// chunk arrives in order with the right tokens, every receipt verifies, and
// no stream or gossip message is lost.
func TestStreamsUnderConcurrentLoad(t *testing.T) {
	loadTest(t, 12, 30, 20, "tcp")
}

// TestStreamsOverQUIC runs a smaller load over QUIC, where closing a stream
// right after the last write would lose it (the ack handshake prevents it).
func TestStreamsOverQUIC(t *testing.T) {
	loadTest(t, 5, 10, 10, "quic")
}

func loadTest(t *testing.T, n, queries, chunks int, transport string) {
	nw := testnet.New(t, n, testnet.Options{Transport: transport})
	// Gossip runs over a sparse ring; the querier holds connections to the
	// miners it targets (as a validator does), which the streams reuse.
	nw.ConnectRing(3)
	for i := 1; i < n; i++ {
		if c := nw.P2P(0).Host().Network().Connectedness(nw.Node(i).PeerID); c != network.Connected {
			nw.Connect(0, i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	received := make([]*atomic.Int64, n)
	for i := 1; i < n; i++ {
		received[i] = serveMiner(ctx, t, nw, i, chunks, &wg)
	}
	waitMesh(t, nw, protocol.TopicQuery, 3)
	q := nw.P2P(0)
	miners := nw.Nodes()[1:]

	var got atomic.Int64
	var rwg sync.WaitGroup
	for k := 0; k < queries; k++ {
		qid := newQueryID(t)
		resp, err := q.Await(qid, len(miners))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Close()
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			rctx, rcancel := context.WithTimeout(ctx, 60*time.Second)
			defer rcancel()
			seen := map[int]bool{}
			var swg sync.WaitGroup
			var smu sync.Mutex
			for len(seen) < len(miners) {
				var s *p2p.InferStream
				select {
				case s = <-resp.Streams():
				case <-rctx.Done():
					t.Errorf("query %x: %d of %d streams", qid, len(seen), len(miners))
					return
				}
				mi := -1
				for _, m := range miners {
					if m.Address == s.Miner {
						mi = m.Index
					}
				}
				if mi < 0 || seen[mi] {
					t.Errorf("query %x: unexpected stream from %s", qid, s.Miner)
					continue
				}
				seen[mi] = true
				swg.Add(1)
				go func() {
					defer swg.Done()
					cs, final, err := s.Collect(rctx)
					if err != nil {
						t.Errorf("query %x miner %d: %v", qid, mi, err)
						return
					}
					if len(cs) != chunks || final.Receipt == nil {
						t.Errorf("query %x miner %d: %d chunks, receipt %v", qid, mi, len(cs), final.Receipt != nil)
						return
					}
					var want []uint32
					for c, ch := range cs {
						w := tokensFor(qid, mi, c)
						want = append(want, w...)
						if fmt.Sprint(ch.Tokens) != fmt.Sprint(w) || ch.Index != uint32(c) {
							t.Errorf("query %x miner %d chunk %d: %v", qid, mi, c, ch.Tokens)
						}
					}
					if fmt.Sprint(final.Receipt.OutputTokens) != fmt.Sprint(want) || final.Envelope.Sender != s.Miner {
						t.Errorf("query %x miner %d: receipt does not match the chunks", qid, mi)
					}
					if _, err := s.Next(rctx); err != io.EOF {
						t.Errorf("after the receipt: %v, want io.EOF", err)
					}
					smu.Lock()
					got.Add(1)
					smu.Unlock()
				}()
			}
			swg.Wait()
		}()
		targets := make([]*testnet.Node, len(miners))
		copy(targets, miners)
		if _, err := q.Publish(ctx, query(qid, nw.Node(0).Address, targets...)); err != nil {
			t.Fatal(err)
		}
	}
	rwg.Wait()
	for i := 1; i < n; i++ {
		if r := received[i].Load(); r != int64(queries) {
			t.Errorf("miner %d received %d of %d queries", i, r, queries)
		}
	}
	if want := int64(queries * len(miners)); got.Load() != want {
		t.Fatalf("%d complete streams, want %d", got.Load(), want)
	}
	for i := 0; i < n; i++ {
		m := nw.P2P(i).Metrics()
		if d := testutil.ToFloat64(m.DroppedMsgs) + testutil.ToFloat64(m.Undelivered); d != 0 {
			t.Errorf("node %d lost %v gossip messages", i, d)
		}
	}
	// Miners see every stream acknowledged.
	cancel()
	wg.Wait()
	var ok float64
	for i := 1; i < n; i++ {
		ok += testutil.ToFloat64(nw.P2P(i).Metrics().Streams.WithLabelValues("out", "ok"))
	}
	if ok != float64(queries*len(miners)) {
		t.Errorf("%v streams acknowledged, want %d", ok, queries*len(miners))
	}
}

// TestStreamFailuresGiveClearErrors: a miner killed mid-stream, a miner
// that stalls, a miner that aborts and a querier killed mid-stream all end
// in ErrStreamBroken at the other end, promptly, never a hang.
func TestStreamFailuresGiveClearErrors(t *testing.T) {
	nw := testnet.New(t, 12, testnet.Options{Config: func(i int, c *p2p.Config) {
		c.StreamTimeout = 2 * time.Second
	}})

	open := func(miner, querier int) (*p2p.InferWriter, *p2p.InferStream) {
		t.Helper()
		qid := newQueryID(t)
		resp, err := nw.P2P(querier).Await(qid, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(resp.Close)
		w, err := nw.P2P(miner).OpenInferStream(ctxT(t, 5*time.Second), nw.Node(querier).PeerID, qid)
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; c < 3; c++ {
			if err := w.Chunk([]uint32{uint32(c)}, ""); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case s := <-resp.Streams():
			for c := 0; c < 3; c++ {
				if _, err := s.Next(ctxT(t, 5*time.Second)); err != nil {
					t.Fatalf("chunk %d: %v", c, err)
				}
			}
			return w, s
		case <-time.After(5 * time.Second):
			t.Fatal("stream not routed")
		}
		return nil, nil
	}
	expectBroken := func(name string, s *p2p.InferStream, within time.Duration) {
		t.Helper()
		start := time.Now()
		_, err := s.Next(ctxT(t, 30*time.Second))
		if !errors.Is(err, p2p.ErrStreamBroken) {
			t.Errorf("%s: err = %v, want ErrStreamBroken", name, err)
		}
		if el := time.Since(start); el > within {
			t.Errorf("%s: error after %v, want within %v", name, el, within)
		}
		t.Logf("%s: %v", name, err)
	}

	_, s := open(1, 0)
	nw.Kill(1)
	expectBroken("miner killed", s, time.Second)

	_, s = open(2, 0)
	expectBroken("miner stalls", s, 4*time.Second) // StreamTimeout 2 s

	w, s := open(3, 0)
	w.Abort()
	expectBroken("miner aborts", s, time.Second)

	// The querier's context ends while it waits.
	_, s = open(4, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	_, err := s.Next(ctx)
	cancel()
	if !errors.Is(err, p2p.ErrStreamBroken) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled read: %v", err)
	}

	// The querier dies: the miner's receipt cannot be acknowledged.
	w, _ = open(5, 6)
	nw.Kill(6)
	start := time.Now()
	err = w.Receipt(&protocol.Receipt{ModelId: modelID(), OutputTokens: []uint32{0, 1, 2}})
	if !errors.Is(err, p2p.ErrStreamBroken) {
		t.Errorf("querier killed: miner got %v, want ErrStreamBroken", err)
	}
	if el := time.Since(start); el > 6*time.Second {
		t.Errorf("querier killed: miner error after %v", el)
	}

	// A stream for a query nobody awaits is refused.
	w, err = nw.P2P(7).OpenInferStream(ctxT(t, 5*time.Second), nw.Node(8).PeerID, newQueryID(t))
	if err != nil {
		t.Fatal(err)
	}
	err = w.Receipt(&protocol.Receipt{ModelId: modelID()})
	if !errors.Is(err, p2p.ErrStreamBroken) {
		t.Errorf("unawaited query: %v", err)
	}
}
