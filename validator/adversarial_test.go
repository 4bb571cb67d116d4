package validator

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// TestAdversarialNetwork runs three validators (stake 50/30/20) and eight
// miners over p2p and a dev chain until five epochs with miner weights are
// final. Validators 0 and 1 probe and verify; validator 2 (less than 1/3 of
// stake) does not probe and puts all its weight on the random-token miner.
// Cheaters (random tokens, copied stream, smaller model, replayed answers)
// must earn nothing, honest miners nearly all of the miner emission, the
// slow and the half-offline miner less than the honest ones. Validator 1 is
// killed and restarted from its files after the second paid epoch.
func TestAdversarialNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("adversarial network test: skipped with -short")
	}
	modes := []string{"honest", "honest", "slow", "flaky", "random", "copy", "smaller", "replay"}
	const nVal = 3
	ctx := testCtx(t)
	nw := testnet.New(t, nVal+len(modes), testnet.Options{})
	nw.ConnectAll()
	keys := make([]*ecdsa.PrivateKey, nVal+len(modes))
	for i := range keys {
		keys[i] = nw.Node(i).Key
	}
	const L = 150 // blocks of 20 ms: 3 s epochs
	s := newSubnetWithKeys(t, []int64{50, 30, 20}, keys, L, 20*time.Millisecond)

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
	for i, m := range modes {
		testMiner(t, mctx, nw.P2P(nVal+i), e, id[:], m)
	}
	for i := range nVal {
		if err := nw.P2P(i).WaitForTopicPeers(ctx, protocol.TopicQuery, len(modes)); err != nil {
			t.Fatal(err)
		}
	}
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	type running struct {
		st     *store.Store
		cancel context.CancelFunc
		done   chan error
	}
	start := func(i int, dir string) running {
		st, err := store.Open(filepath.Join(dir, "state.db"))
		if err != nil {
			t.Fatal(err)
		}
		c := s.validators[i]
		rl, err := chain.NewRelayer(c, filepath.Join(dir, "outbox.json"))
		if err != nil {
			t.Fatal(err)
		}
		ms := chain.NewMetagraphSync(c, 20*time.Millisecond, log)
		d := NewDriver(keys[i], c, ms, st, rl, nw.P2P(i), log.With(zap.Int("validator", i)), DriverConfig{Poll: 20 * time.Millisecond})
		vctx, vcancel := context.WithCancel(ctx)
		r := running{st: st, cancel: vcancel, done: make(chan error, 1)}
		if i == 2 { // extreme weights, no probing
			if _, err := st.RecordScore(s.miners[4].Address(), uint16(nVal+4), scoring.Terms{Score: 1}, 1, time.Now()); err != nil {
				t.Fatal(err)
			}
			go func() {
				lctx, lcancel := context.WithCancel(vctx)
				defer lcancel()
				go func() { _ = d.Listen(lctx, nw.P2P(i)) }()
				r.done <- d.Run(vctx)
			}()
			return r
		}
		w, err := e.NewWorker(models.Threads(1))
		if err != nil {
			t.Fatal(err)
		}
		opts := challenge.DefaultSamplingOptions()
		opts.MinTokens, opts.MaxTokens = 8, 16
		p := NewProber(nw.P2P(i), w, st, challenge.Secret{byte(i + 1)}, ProberConfig{
			ModelID: id[:], BOS: 1, Vocab: 512, Sampling: opts, Timeout: 2 * time.Second,
			Params: scoring.Params{RefTTFT: 20 * time.Millisecond, RefTokensPerS: 200, SpeedWeight: 0.5, LatencyShare: 0.5},
			Alpha:  0.3,
		}, log)
		v, err := New(nw.P2P(i), ms, d, p, Config{PerMiner: 2, BlockTime: 20 * time.Millisecond, Poll: 20 * time.Millisecond}, log)
		if err != nil {
			t.Fatal(err)
		}
		go func() { r.done <- v.Run(vctx) }()
		return r
	}
	stop := func(r running) {
		r.cancel()
		if err := <-r.done; err != nil {
			t.Errorf("validator: %v", err)
		}
		r.st.Close()
	}
	dirs := make([]string, nVal)
	vals := make([]running, nVal)
	for i := range nVal {
		dirs[i] = t.TempDir()
		vals[i] = start(i, dirs[i])
	}
	defer func() {
		for _, r := range vals {
			stop(r)
		}
	}()
	stores := func(i int) *store.Store { return vals[i].st }
	restarted := false

	// Wait for five final epochs in which miners were paid.
	var paid []store.EpochOutput
	seen := map[uint64]bool{}
	deadline := time.Now().Add(150 * time.Second)
	for len(paid) < 5 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d paid epochs final in time", len(paid))
		}
		time.Sleep(200 * time.Millisecond)
		if len(paid) == 2 && !restarted {
			// Kill validator 1 in the middle of an epoch and restart it
			// from its files: same commit, same score history.
			restarted = true
			hm := s.miners[0].Address()
			before, _ := stores(1).Score(hm)
			last, _ := stores(1).LastOutput()
			commit, cerr := stores(1).Commit(last.Epoch + 1)
			stop(vals[1])
			vals[1] = start(1, dirs[1])
			after, _ := stores(1).Score(hm)
			if after.EMA.N < before.EMA.N || after.EMA.N == 0 {
				t.Fatalf("restart lost score history: %d responses before, %d after", before.EMA.N, after.EMA.N)
			}
			time.Sleep(time.Second)
			if again, err := stores(1).Commit(last.Epoch + 1); cerr == nil && (err != nil || again.Commit != commit.Commit) {
				t.Fatalf("restarted validator changed its commit of epoch %d", last.Epoch+1)
			}
		}
		o, err := stores(0).LastOutput()
		if err != nil || seen[o.Epoch] || o.Signature == nil {
			continue
		}
		st, err := s.owner.EpochStatus(ctx, o.Epoch)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Finalized {
			continue
		}
		if st.EmissionsRoot != o.Root {
			t.Fatalf("epoch %d: chain root %s, validator 0 root %s", o.Epoch, st.EmissionsRoot, o.Root)
		}
		if o1, err := stores(1).Output(o.Epoch); err != nil || o1.Root != o.Root {
			t.Fatalf("epoch %d: validator 1 has %v (%v), validator 0 %s", o.Epoch, o1.Root, err, o.Root)
		}
		seen[o.Epoch] = true
		minerSum := new(big.Int)
		for i := range modes {
			x, _ := new(big.Int).SetString(o.Emissions[nVal+i], 10)
			minerSum.Add(minerSum, x)
		}
		if minerSum.Sign() > 0 {
			paid = append(paid, o)
		}
	}
	last := paid[len(paid)-1]
	amount := func(i int) *big.Float {
		x, _ := new(big.Float).SetString(last.Emissions[nVal+i])
		return x
	}
	var table strings.Builder
	fmt.Fprintf(&table, "epoch %d emissions (coins):\n", last.Epoch)
	for i := range nVal {
		x, _ := new(big.Float).SetString(last.Emissions[i])
		fmt.Fprintf(&table, "  validator %d: %.6f\n", i, new(big.Float).Quo(x, big.NewFloat(1e18)))
	}
	total := new(big.Float)
	for i, m := range modes {
		ms, _ := stores(0).Score(s.miners[i].Address())
		fmt.Fprintf(&table, "  miner %-8s uid %2d: %.6f  (validator 0 EMA %.3f)\n", m, nVal+i, new(big.Float).Quo(amount(i), big.NewFloat(1e18)), ms.EMA.Value)
		total.Add(total, amount(i))
	}
	t.Log(table.String())
	cheat := new(big.Float)
	for i, m := range modes {
		switch m {
		case "random", "copy", "smaller", "replay":
			cheat.Add(cheat, amount(i))
		}
	}
	if share, _ := new(big.Float).Quo(cheat, total).Float64(); share > 0.01 {
		t.Errorf("cheaters earn %.4f of miner emission", share)
	}
	for _, weaker := range []int{2, 3} { // slow, flaky
		for _, h := range []int{0, 1} {
			if amount(weaker).Cmp(amount(h)) >= 0 {
				t.Errorf("%s miner earns %v, honest miner %d earns %v", modes[weaker], amount(weaker), h, amount(h))
			}
		}
	}
}
