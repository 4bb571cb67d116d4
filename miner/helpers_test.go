package miner_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// testModel returns the default-shape random model, shared by all tests.
var testModel = sync.OnceValue(func() miner.Model {
	w, err := models.Random(models.DefaultShape(), 42)
	if err != nil {
		panic(err)
	}
	id := sha256.Sum256([]byte("random default shape seed 42"))
	return miner.Model{Name: "random", ID: id[:], Weights: w}
})

// slowModel is a larger random model whose long generations take seconds,
// so a test can act in the middle of one.
var slowModel = sync.OnceValue(func() miner.Model {
	w, err := models.Random(models.Shape{Dim: 256, Hidden: 688, Layers: 4, Heads: 8, KVHeads: 4, Vocab: 4096, SeqLen: 4096}, 7)
	if err != nil {
		panic(err)
	}
	id := sha256.Sum256([]byte("random slow shape seed 7"))
	return miner.Model{Name: "slow", ID: id[:], Weights: w}
})

// rig is a test network: node 0 is the test validator (querier), nodes
// 1..n are miners.
type rig struct {
	t      testing.TB
	nw     *testnet.Network
	miners []*rigMiner
}

type rigMiner struct {
	m       *miner.Miner
	reg     *prometheus.Registry
	cancel  context.CancelFunc
	done    chan error
	stopped bool
}

func newRig(t testing.TB, n int, cfg miner.Config, ms []miner.Model, opts ...miner.Option) *rig {
	t.Helper()
	nw := testnet.New(t, n+1, testnet.Options{})
	nw.ConnectAll()
	r := &rig{t: t, nw: nw}
	for i := 1; i <= n; i++ {
		reg := prometheus.NewRegistry()
		mn, err := miner.New(cfg, nw.P2P(i), ms, append([]miner.Option{miner.WithMetrics(miner.NewMetrics(reg))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		rm := &rigMiner{m: mn, reg: reg, cancel: cancel, done: make(chan error, 1)}
		go func() { rm.done <- mn.Run(ctx) }()
		r.miners = append(r.miners, rm)
		t.Cleanup(func() { r.stop(i - 1) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Each miner subscribed to the query topic once the querier sees it.
	if err := nw.P2P(0).WaitForTopicPeers(ctx, protocol.TopicQuery, n); err != nil {
		t.Fatal(err)
	}
	return r
}

// stop stops miner k and waits for Run to return.
func (r *rig) stop(k int) error {
	rm := r.miners[k]
	if rm.stopped {
		return nil
	}
	rm.stopped = true
	rm.cancel()
	select {
	case err := <-rm.done:
		return err
	case <-time.After(30 * time.Second):
		r.t.Errorf("miner %d: Run did not return after shutdown", k)
		return errors.New("hang")
	}
}

func (r *rig) querier() *p2p.Node { return r.nw.P2P(0) }

// newQuery builds a query for model md targeting the given miners (seed
// 1000+k for the k-th target).
func (r *rig) newQuery(md miner.Model, prompt []uint32, sp *protocol.SamplingParams, targets ...int) *protocol.Query {
	qid := make([]byte, protocol.QueryIDSize)
	_, _ = rand.Read(qid)
	now := time.Now()
	q := &protocol.Query{QueryId: qid, Sender: r.querier().Address().Bytes(), ModelId: md.ID, PromptTokens: prompt,
		Sampling: sp, DeadlineMs: now.Add(60 * time.Second).UnixMilli(), TimestampMs: now.UnixMilli()}
	for k, i := range targets {
		q.Targets = append(q.Targets, &protocol.Target{Uid: uint32(i), Miner: r.nw.Node(i).Address.Bytes(), Seed: uint64(1000 + k)})
	}
	return q
}

// answer is what the querier got from one miner.
type answer struct {
	stream  *p2p.InferStream
	chunks  []*protocol.TokenChunk
	final   *p2p.Frame
	err     error
	elapsed time.Duration
}

// ask publishes q and collects want streams (or fewer until ctx ends).
func (r *rig) ask(ctx context.Context, q *protocol.Query, want int) []answer {
	r.t.Helper()
	resp, err := r.querier().Await(q.QueryId, want)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Close()
	start := time.Now()
	if _, err := r.querier().Publish(ctx, q); err != nil {
		r.t.Fatal(err)
	}
	out := make(chan answer, want)
	var wg sync.WaitGroup
	n := 0
loop:
	for n < want {
		select {
		case s, ok := <-resp.Streams():
			if !ok {
				break loop
			}
			n++
			wg.Add(1)
			go func() {
				defer wg.Done()
				chunks, fin, err := s.Collect(ctx)
				out <- answer{stream: s, chunks: chunks, final: fin, err: err, elapsed: time.Since(start)}
			}()
		case <-ctx.Done():
			break loop
		}
	}
	wg.Wait()
	close(out)
	var as []answer
	for a := range out {
		as = append(as, a)
	}
	return as
}

// tokens flattens chunks.
func tokens(chunks []*protocol.TokenChunk) []uint32 {
	var out []uint32
	for _, c := range chunks {
		out = append(out, c.Tokens...)
	}
	return out
}

// toModelReceipt rebuilds the engine receipt a validator verifies.
func toModelReceipt(q *protocol.Query, rc *protocol.Receipt, seed uint64) *models.Receipt {
	sp := q.GetSampling()
	mr := &models.Receipt{Sampler: models.Sampler{Temperature: sp.GetTemperature(), TopK: int(sp.GetTopK()),
		TopP: sp.GetTopP(), Seed: seed}}
	for _, t := range rc.PromptTokens {
		mr.Prompt = append(mr.Prompt, int(t))
	}
	for _, t := range rc.OutputTokens {
		mr.Tokens = append(mr.Tokens, int(t))
	}
	for _, d := range rc.LogitDigests {
		mr.Digests = append(mr.Digests, [32]byte(d))
	}
	mr.Rolling = [32]byte(rc.RollingDigest)
	return mr
}

func seedFor(q *protocol.Query, miner []byte) uint64 {
	for _, t := range q.Targets {
		if string(t.Miner) == string(miner) {
			return t.Seed
		}
	}
	return 0
}

// metric returns the value of a counter or gauge with the given label
// value (any label), summed over matching series.
func (rm *rigMiner) metric(name, label string) float64 {
	mfs, err := rm.reg.Gather()
	if err != nil {
		panic(err)
	}
	var v float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			ok := label == ""
			for _, lp := range m.GetLabel() {
				ok = ok || lp.GetValue() == label
			}
			if ok {
				v += m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
	}
	return v
}
