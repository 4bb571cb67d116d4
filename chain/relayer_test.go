package chain_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
)

func TestRelayerSurvivesRestart(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "relayer", "outbox.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	open := func() *chain.Relayer {
		t.Helper()
		r, err := chain.NewRelayer(s.relay, path, chain.WithRelayerLogger(zaptest.NewLogger(t)))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	rep1 := s.tree(t, 1).Report(testNetuid)
	sigs1 := s.sign(t, s.domain, rep1, 0, 1, 2)

	r1 := open()
	if signer, err := r1.Add(ctx, rep1, sigs1[1]); err != nil || signer != s.validators[1].Address() {
		t.Fatalf("add: %s %v", signer, err)
	}
	final, err := r1.Flush(ctx) // 30 of 90: nothing to send
	if err != nil || len(final) != 0 {
		t.Fatalf("flush without quorum: %v %v", final, err)
	}
	if _, err := r1.Add(ctx, rep1, sigs1[0]); err != nil { // 70 of 90
		t.Fatal(err)
	}
	// Bad input is refused and not stored.
	if _, err := r1.Add(ctx, rep1, sigs1[0][:64]); !errors.Is(err, chain.ErrInvalidSignature) {
		t.Fatalf("short signature: %v", err)
	}
	other := rep1
	other.Netuid++
	if _, err := r1.Add(ctx, other, sigs1[0]); !errors.Is(err, chain.ErrWrongReport) {
		t.Fatalf("other netuid: %v", err)
	}
	// Crash: r1 is dropped between collecting and sending.
	r1 = nil

	r2 := open()
	reps := r2.Reports()
	if len(reps) != 1 || reps[0].State != chain.StatePending || len(reps[0].Signers) != 2 {
		t.Fatalf("outbox after restart: %+v", reps)
	}
	final, err = r2.Flush(ctx)
	if err != nil || !slices.Equal(final, []uint64{1}) {
		t.Fatalf("flush after restart: %v %v", final, err)
	}
	st, err := s.relay.EpochStatus(ctx, 1)
	if err != nil || !st.Finalized || st.EmissionsRoot != rep1.EmissionsRoot {
		t.Fatalf("epoch 1 on chain: %+v %v", st, err)
	}

	// Epoch 2 is finalised by someone else (or by this relayer just before a
	// crash): the relayer counts it as done.
	rep2 := s.tree(t, 2).Report(testNetuid)
	sigs2 := s.sign(t, s.domain, rep2, 0, 1, 2)
	for _, sig := range sigs2 {
		if _, err := r2.Add(ctx, rep2, sig); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.validators[0].Finalize(ctx, rep2, sigs2); err != nil {
		t.Fatal(err)
	}
	r3 := open()
	final, err = r3.Flush(ctx)
	if err != nil || !slices.Equal(final, []uint64{2}) {
		t.Fatalf("flush of an epoch final already: %v %v", final, err)
	}
	// A competing report of a settled epoch is superseded; an older one stale.
	rival := rep2
	rival.TotalEmission = coins(1)
	if _, err := r3.Add(ctx, rival, s.sign(t, s.domain, rival, 0)[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := r3.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	states := map[uint64][]string{}
	for _, rs := range open().Reports() {
		states[rs.Report.Epoch] = append(states[rs.Report.Epoch], rs.State)
	}
	slices.Sort(states[2])
	if !slices.Equal(states[1], []string{chain.StateFinal}) || !slices.Equal(states[2], []string{chain.StateFinal, chain.StateSuperseded}) {
		t.Fatalf("states %v", states)
	}
}

func TestRelayerRejectsCorruptOutbox(t *testing.T) {
	c, err := chain.New(nil, chain.Addresses{}) // loading makes no RPC call
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"not json":      "{",
		"wrong version": `{"version": 99, "reports": {}}`,
		"bad total":     `{"version": 1, "reports": {"x": {"totalEmission": "-1"}}}`,
	} {
		path := filepath.Join(t.TempDir(), "outbox.json")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := chain.NewRelayer(c, path); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestRunLoops runs the relayer and the metagraph sync as long-lived
// components: a report whose signatures arrive while they run gets final, and
// a registration shows up in the synced metagraph.
func TestRunLoops(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	rel, err := chain.NewRelayer(s.relay, filepath.Join(t.TempDir(), "outbox.json"), chain.WithFlushInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ms := chain.NewMetagraphSync(s.relay, 20*time.Millisecond, zaptest.NewLogger(t))
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{rel.Run, ms.Run} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(runCtx); err != nil {
				t.Error(err)
			}
		}()
	}
	defer func() {
		stop()
		wg.Wait()
	}()
	rep := s.tree(t, 1).Report(testNetuid)
	for _, sig := range s.sign(t, s.domain, rep, 2, 0) { // 20 + 40 = 60 of 90: not yet
		if _, err := rel.Add(ctx, rep, sig); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if st, err := s.relay.EpochStatus(ctx, 1); err != nil || st.Finalized {
		t.Fatalf("final at 2/3: %+v %v", st, err)
	}
	if _, err := rel.Add(ctx, rep, s.sign(t, s.domain, rep, 1)[0]); err != nil {
		t.Fatal(err)
	}
	newcomer := clientFor(t, s.dev, newKey(t))
	if _, err := s.owner.Transact(ctx, ptr(newcomer.Address()), nil, coins(1)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := newcomer.Register(ctx, chain.RoleMiner); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := s.relay.EpochStatus(ctx, 1)
		_, known := ms.Lookup(newcomer.Address())
		reps := rel.Reports()
		recorded := len(reps) == 1 && reps[0].State == chain.StateFinal
		if err == nil && st.Finalized && known && recorded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("final %v, newcomer known %v (%v)", st.Finalized, known, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if reps := rel.Reports(); len(reps) != 1 || reps[0].State != chain.StateFinal || reps[0].TxHash == (common.Hash{}) {
		t.Fatalf("outbox %+v", reps)
	}
}

// TestRelayersRace: two validators' relayers holding the same quorum send
// finalize at once; whichever transaction loses (reverted in the same block,
// or refused at estimation) counts the epoch as final, with no error.
func TestRelayersRace(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	var rs [2]*chain.Relayer
	for i, c := range []*chain.Client{s.relay, s.validators[0]} {
		r, err := chain.NewRelayer(c, filepath.Join(t.TempDir(), "outbox.json"), chain.WithRelayerLogger(zaptest.NewLogger(t)))
		if err != nil {
			t.Fatal(err)
		}
		rs[i] = r
	}
	for epoch := uint64(1); epoch <= 6; epoch++ {
		rep := s.tree(t, epoch).Report(testNetuid)
		for _, sig := range s.sign(t, s.domain, rep, 0, 1, 2) {
			for _, r := range rs {
				if _, err := r.Add(ctx, rep, sig); err != nil {
					t.Fatal(err)
				}
			}
		}
		var wg sync.WaitGroup
		for i, r := range rs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				final, err := r.Flush(ctx)
				if err != nil || !slices.Equal(final, []uint64{epoch}) {
					t.Errorf("epoch %d, relayer %d: final %v, err %v", epoch, i, final, err)
				}
			}()
		}
		wg.Wait()
	}
}

// TestRelayersTakeTurns: with a stagger, of three relayers holding the same
// quorum exactly one sends finalize per epoch (the first in that epoch's
// order, which changes between epochs); the others find the epoch final and
// send nothing.
func TestRelayersTakeTurns(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	var rs []*chain.Relayer
	for _, c := range s.validators {
		r, err := chain.NewRelayer(c, filepath.Join(t.TempDir(), "outbox.json"), chain.WithRelayerLogger(zaptest.NewLogger(t)),
			chain.WithRelayStagger(time.Hour)) // only the first in turn may send within the test
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	nonces := func() []uint64 {
		var out []uint64
		for _, c := range s.validators {
			n, err := c.Backend().PendingNonceAt(ctx, c.Address())
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	senders := map[int]bool{}
	for epoch := uint64(1); epoch <= 12; epoch++ {
		rep := s.tree(t, epoch).Report(testNetuid)
		for _, sig := range s.sign(t, s.domain, rep, 0, 1, 2) {
			for _, r := range rs {
				if _, err := r.Add(ctx, rep, sig); err != nil {
					t.Fatal(err)
				}
			}
		}
		before := nonces()
		var wg sync.WaitGroup
		for i, r := range rs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := r.Flush(ctx); err != nil {
					t.Errorf("epoch %d, relayer %d: %v", epoch, i, err)
				}
			}()
		}
		wg.Wait()
		// Exactly one relayer sent a transaction; after it, every relayer
		// finds the epoch final (those that waited send nothing).
		sent, mid := -1, nonces()
		for i, n := range mid {
			switch d := n - before[i]; {
			case d == 1 && sent < 0:
				sent = i
			case d != 0:
				t.Fatalf("epoch %d: relayer %d sent %d transactions (sender so far %d)", epoch, i, d, sent)
			}
		}
		if sent < 0 {
			t.Fatalf("epoch %d: nobody sent", epoch)
		}
		senders[sent] = true
		for i, r := range rs {
			if _, err := r.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			for _, rs := range r.Reports() {
				if rs.Report.Epoch == epoch && rs.State != chain.StateFinal {
					t.Fatalf("epoch %d, relayer %d: state %s", epoch, i, rs.State)
				}
			}
		}
		if after := nonces(); !slices.Equal(after, mid) {
			t.Fatalf("epoch %d: transactions after the epoch was final: %v, then %v", epoch, mid, after)
		}
	}
	if len(senders) < 2 {
		t.Errorf("the same relayer sent every epoch: %v", senders)
	}
}
