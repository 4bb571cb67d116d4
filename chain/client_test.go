package chain_test

import (
	"context"
	"errors"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
)

// flaky fails the first n calls of EstimateGas, SendTransaction and
// CallContract with a network error, as a dropped connection would.
type flaky struct {
	chain.Backend
	left atomic.Int32
}

func (f *flaky) fail() error {
	if f.left.Add(-1) >= 0 {
		return &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return nil
}

func (f *flaky) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	if err := f.fail(); err != nil {
		return 0, err
	}
	return f.Backend.EstimateGas(ctx, msg)
}

func (f *flaky) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Backend.SendTransaction(ctx, tx)
}

func (f *flaky) CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return f.Backend.CallContract(ctx, msg, block)
}

func TestClientRetriesTransientErrors(t *testing.T) {
	key := newKey(t)
	dev := startChain(t, -1, key)
	ctx := testCtx(t)
	fb := &flaky{Backend: dev.Backend()}
	c, err := chain.New(fb, dev.Info().Addresses(), chain.WithKey(key), chain.WithRetry(4, time.Millisecond), chain.WithReceiptPoll(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	fb.left.Store(3)
	if _, err := c.Fund(ctx, big.NewInt(5)); err != nil {
		t.Fatalf("fund through 3 transient failures: %v", err)
	}
	fb.left.Store(3)
	if st, err := c.EpochStatus(ctx, 1); err != nil || st.Pool.Cmp(big.NewInt(5)) != 0 {
		t.Fatalf("status through transient failures: %+v %v", st, err)
	}
	fb.left.Store(10) // more than the attempts
	if _, err := c.Fund(ctx, big.NewInt(5)); err == nil {
		t.Fatal("no error after the retries ran out")
	}
	fb.left.Store(0)
	// A revert is not retried and not transient: it comes back decoded at once.
	_, err = c.Claim(ctx, 9, chain.Emission{UID: 1, Amount: big.NewInt(1)}, nil)
	if !chain.IsContractError(err, "EpochNotFinalized") {
		t.Fatalf("claim of unknown epoch: %v", err)
	}
}

func TestClientNonces(t *testing.T) {
	key := newKey(t)
	dev := startChain(t, -1, key)
	ctx := testCtx(t)
	c := clientFor(t, dev, key)
	// Concurrent sends from one client get consecutive nonces.
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Fund(ctx, big.NewInt(1))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Another client with the same key moves the nonce on: the first
	// resynchronises instead of failing.
	other := clientFor(t, dev, key)
	if _, err := other.Fund(ctx, big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fund(ctx, big.NewInt(1)); err != nil {
		t.Fatalf("after a foreign transaction: %v", err)
	}
	st, err := c.EpochStatus(ctx, 1)
	if err != nil || st.Pool.Cmp(big.NewInt(8)) != 0 {
		t.Fatalf("pool %v %v", st.Pool, err)
	}
	ro, err := chain.New(dev.Backend(), dev.Info().Addresses())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.Fund(ctx, big.NewInt(1)); !errors.Is(err, chain.ErrNoKey) {
		t.Fatalf("read-only client sent: %v", err)
	}
}

// TestGasPerCall measures gas on the Prague-rules dev chain, with an epoch
// of 4,096 emissions (proofs of 12 hashes). The figures go to docs/chain.md.
func TestGasPerCall(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	gas := map[string]uint64{"register": s.gas["register"], "stake": s.gas["stake"]}
	// Deploy costs, from a fresh deployment.
	deployer := newKey(t)
	if _, err := s.owner.Transact(ctx, ptr(crypto.PubkeyToAddress(deployer.PublicKey)), nil, coins(10)); err != nil {
		t.Fatal(err)
	}
	_, rcpts, err := chain.Deploy(ctx, s.dev.Backend(), deployer, 9, chain.DefaultParams(), chain.WithReceiptPoll(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	gas["deploy SubnetRegistry"], gas["deploy EmissionsLedger"], gas["link (setLedger)"] = rcpts[0].GasUsed, rcpts[1].GasUsed, rcpts[2].GasUsed
	var es []chain.Emission
	for i := 0; i < 4096; i++ {
		es = append(es, chain.Emission{UID: uint16(i), Account: common.BigToAddress(big.NewInt(int64(1000 + i))), Amount: big.NewInt(int64(1e12 + i))})
	}
	for e := uint64(1); e <= 2; e++ {
		tr, err := chain.NewTree(e, es)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.owner.Fund(ctx, tr.Total()); err != nil {
			t.Fatal(err)
		}
		r := tr.Report(testNetuid)
		sigs := s.sign(t, s.domain, r, 0, 1, 2)
		if e == 1 {
			rcpt, err := s.relay.Finalize(ctx, r, sigs)
			if err != nil {
				t.Fatal(err)
			}
			gas["finalize, 3 signatures, first epoch"] = rcpt.GasUsed
		} else {
			for i, v := range []int{1, 2, 0} { // 30, 50, then 90 of 90
				_, rcpt, err := s.relay.Attest(ctx, r, sigs[v])
				if err != nil {
					t.Fatal(err)
				}
				gas[[]string{"attest (no quorum yet)", "attest (no quorum yet, 2nd)", "attest (reaches quorum)"}[i]] = rcpt.GasUsed
			}
		}
		for _, uid := range []uint16{0, 4000} {
			em, proof, err := tr.Proof(uid)
			if err != nil {
				t.Fatal(err)
			}
			if len(proof) != 12 {
				t.Fatalf("proof of %d hashes", len(proof))
			}
			rcpt, err := s.relay.Claim(ctx, e, em, proof)
			if err != nil {
				t.Fatal(err)
			}
			gas["claim, proof of 12"] = max(gas["claim, proof of 12"], rcpt.GasUsed)
		}
	}
	r3 := s.tree(t, 3).Report(testNetuid)
	if _, err := s.owner.Fund(ctx, r3.TotalEmission); err != nil {
		t.Fatal(err)
	}
	rcpt, err := s.relay.Finalize(ctx, r3, s.sign(t, s.domain, r3, 0, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	gas["finalize, 3 signatures, later epoch"] = rcpt.GasUsed
	for k, v := range gas {
		if v == 0 {
			t.Errorf("no gas figure for %s", k)
		}
		t.Logf("gas %-40s %d", k, v)
	}
}

func TestDevChainRulesArePrague(t *testing.T) {
	cc := devchain.ChainConfig(1337)
	if !cc.IsPrague(big.NewInt(1), 1) || cc.IsOsaka(big.NewInt(1), 1) || cc.BogotaTime != nil {
		t.Fatalf("dev chain rules: prague %v osaka %v bogota %v", cc.IsPrague(big.NewInt(1), 1), cc.IsOsaka(big.NewInt(1), 1), cc.BogotaTime)
	}
	if cc.ChainID.Int64() != 1337 {
		t.Fatalf("chain id %v", cc.ChainID)
	}
}
