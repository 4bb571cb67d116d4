package testnet_test

import (
	"context"
	"crypto/sha256"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// TestValidatorProbesRealMiners joins the two roles: a validator's prober
// challenges real miners over the network, and their receipts verify by
// exact re-execution; a miner serving another model's weights under the same
// id is caught.
func TestValidatorProbesRealMiners(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	honest, err := models.Random(models.DefaultShape(), 42)
	if err != nil {
		t.Fatal(err)
	}
	other, err := models.Random(models.DefaultShape(), 43)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("roles test model"))
	nw := testnet.New(t, 4, testnet.Options{})
	nw.ConnectAll()
	nw.StartMiner(1, miner.Config{}, []miner.Model{{Name: "m", ID: id[:], Weights: honest}})
	nw.StartMiner(2, miner.Config{}, []miner.Model{{Name: "m", ID: id[:], Weights: honest}})
	nw.StartMiner(3, miner.Config{}, []miner.Model{{Name: "m", ID: id[:], Weights: other}}) // wrong weights
	if err := nw.P2P(0).WaitForTopicPeers(ctx, protocol.TopicQuery, 3); err != nil {
		t.Fatal(err)
	}

	p := newProber(t, nw, honest, id[:])

	for round := 0; round < 2; round++ {
		for i := 1; i <= 3; i++ {
			out, err := p.Probe(ctx, challenge.Secret{byte(round + 1)}, uint64(10*round+i), uint16(i), nw.Node(i).Address)
			if err != nil {
				t.Fatalf("probe miner %d: %v", i, err)
			}
			if out.Terms.Outcome != scoring.OK {
				t.Fatalf("miner %d: outcome %v (%+v)", i, out.Terms.Outcome, out.Result)
			}
			if i < 3 && (out.Terms.Correctness != 1 || out.Terms.Score <= 0) {
				t.Fatalf("honest miner %d failed verification: %+v %+v", i, out.Terms, out.Result)
			}
			if i == 3 && (out.Terms.Correctness != 0 || out.Terms.Score != 0 || out.Result.FirstDivergence < 0) {
				t.Fatalf("miner with other weights passed: %+v %+v", out.Terms, out.Result)
			}
		}
	}
}

// TestTwistChangesWhatARealMinerSends runs real miners behind twists: one
// whose receipts are only observed (it must still verify: an unchanged
// receipt goes out byte for byte), one whose chunks are held (slower, still
// exact) and one whose output tokens are replaced (signed again with its
// key: the receipt is well-formed but diverges).
func TestTwistChangesWhatARealMinerSends(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	wts, err := models.Random(models.DefaultShape(), 42)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("twist test model"))
	var observed sync.Map // query id → output tokens
	const hold = 40 * time.Millisecond
	twists := map[int]*testnet.Twist{
		1: {Receipt: func(r *protocol.Receipt) bool {
			observed.Store(string(r.QueryId), append([]uint32(nil), r.OutputTokens...))
			return false
		}},
		2: {TokenDelay: hold / 8},
		3: {Receipt: func(r *protocol.Receipt) bool {
			for i := range r.OutputTokens {
				r.OutputTokens[i] = (r.OutputTokens[i] + 1) % 512
			}
			return true
		}},
	}
	nw := testnet.New(t, 4, testnet.Options{Twist: func(i int) *testnet.Twist { return twists[i] }})
	nw.ConnectAll()
	for i := 1; i <= 3; i++ {
		nw.StartMiner(i, miner.Config{}, []miner.Model{{Name: "m", ID: id[:], Weights: wts}})
	}
	if err := nw.P2P(0).WaitForTopicPeers(ctx, protocol.TopicQuery, 3); err != nil {
		t.Fatal(err)
	}
	p := newProber(t, nw, wts, id[:])
	for i := 1; i <= 3; i++ {
		s := challenge.Secret{byte(i)}
		start := time.Now()
		out, err := p.Probe(ctx, s, 1, uint16(i), nw.Node(i).Address)
		took := time.Since(start)
		if err != nil {
			t.Fatalf("probe miner %d: %v", i, err)
		}
		switch i {
		case 1, 2:
			if out.Terms.Outcome != scoring.OK || out.Terms.Correctness != 1 {
				t.Fatalf("miner %d behind a harmless twist failed: %+v %+v", i, out.Terms, out.Result)
			}
		case 3:
			if out.Terms.Outcome != scoring.OK || out.Terms.Correctness != 0 || out.Result.FirstDivergence != 0 {
				t.Fatalf("miner with changed tokens: %+v %+v", out.Terms, out.Result)
			}
		}
		if i == 1 {
			if _, ok := observed.Load(string(challenge.QueryID(s, 1))); !ok {
				t.Fatal("the observing twist saw no receipt")
			}
		}
		if i == 2 && took < hold {
			t.Fatalf("held chunks arrived after %v, hold %v", took, hold)
		}
	}
}

// newProber is a validator prober on node 0 verifying with wts (model id),
// its scores in a fresh store.
func newProber(t *testing.T, nw *testnet.Network, wts *models.Weights, id []byte) *validator.Prober {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := models.NewEngine(wts)
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.NewWorker(models.Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	opts := challenge.DefaultSamplingOptions()
	opts.MinTokens, opts.MaxTokens = 8, 16
	return validator.NewProber(nw.P2P(0), w, st, challenge.Secret{9}, validator.ProberConfig{
		ModelID: id, BOS: 1, Vocab: wts.Config.Vocab, Sampling: opts, Timeout: 20 * time.Second,
	}, zaptest.NewLogger(t))
}
