package validator

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// TestValidatorRunsEpochsEndToEnd runs one validator process (all stake)
// against a dev chain and two test-side miners over p2p, one honest and one
// tampering with its receipts, until an epoch is final on chain: the
// honest miner is paid, the cheater is not.
func TestValidatorRunsEpochsEndToEnd(t *testing.T) {
	ctx := testCtx(t)
	nw := testnet.New(t, 3, testnet.Options{})
	nw.ConnectAll()
	const L = 100
	s := newSubnetWithKeys(t, []int64{10}, []*ecdsa.PrivateKey{nw.Node(0).Key, nw.Node(1).Key, nw.Node(2).Key}, L, 10*time.Millisecond)

	wts, err := models.Random(models.DefaultShape(), 42)
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.NewEngine(wts)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("random-42"))
	mctx, mcancel := context.WithCancel(ctx)
	defer mcancel()
	testMiner(t, mctx, nw.P2P(1), e, id[:], "honest")
	testMiner(t, mctx, nw.P2P(2), e, id[:], "tamper")
	if err := nw.P2P(0).WaitForTopicPeers(ctx, protocol.TopicQuery, 2); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := s.validators[0]
	rl, err := chain.NewRelayer(c, filepath.Join(dir, "outbox.json"))
	if err != nil {
		t.Fatal(err)
	}
	log := zaptest.NewLogger(t)
	ms := chain.NewMetagraphSync(c, 20*time.Millisecond, log)
	d := NewDriver(nw.Node(0).Key, c, ms, st, rl, nw.P2P(0), log, DriverConfig{Poll: 20 * time.Millisecond})
	w, err := e.NewWorker(models.Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	opts := challenge.DefaultSamplingOptions()
	opts.Temperatures, opts.MinTokens, opts.MaxTokens = []float32{0.8, 1}, 8, 16
	p := NewProber(nw.P2P(0), w, st, challenge.Secret{3}, ProberConfig{ModelID: id[:], BOS: 1, Vocab: 512, Sampling: opts, Timeout: 2 * time.Second}, log)
	v, err := New(nw.P2P(0), ms, d, p, Config{PerMiner: 2, BlockTime: 10 * time.Millisecond, Poll: 20 * time.Millisecond}, log)
	if err != nil {
		t.Fatal(err)
	}
	vctx, vcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- v.Run(vctx) }()
	defer func() {
		vcancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	honest, cheat := nw.Node(1).Address, nw.Node(2).Address
	deadline := time.Now().Add(90 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatal("no epoch paid the honest miner in time")
		}
		time.Sleep(100 * time.Millisecond)
		o, err := st.LastOutput()
		if err != nil || o.Signature == nil {
			continue
		}
		status, err := c.EpochStatus(ctx, o.Epoch)
		if err != nil {
			t.Fatal(err)
		}
		if !status.Finalized {
			continue
		}
		mg := ms.Current()
		hn, _ := mg.Lookup(honest)
		cn, _ := mg.Lookup(cheat)
		amount := func(uid uint16) *big.Int { x, _ := new(big.Int).SetString(o.Emissions[uid], 10); return x }
		if amount(hn.UID).Sign() == 0 {
			continue // the first epochs may settle before the first reveal
		}
		if amount(cn.UID).Sign() != 0 {
			t.Fatalf("epoch %d pays the cheater %v", o.Epoch, amount(cn.UID))
		}
		if status.EmissionsRoot != o.Root {
			t.Fatalf("on-chain root %s, validator %s", status.EmissionsRoot, o.Root)
		}
		hs, _ := st.Score(honest)
		cs, _ := st.Score(cheat)
		t.Logf("epoch %d final: honest %v wei (EMA %.3f over %d), cheater 0 (EMA %.3f, last divergence at %d)",
			o.Epoch, amount(hn.UID), hs.EMA.Value, hs.EMA.N, cs.EMA.Value, cs.Recent[len(cs.Recent)-1].FirstDivergence)
		return
	}
}
