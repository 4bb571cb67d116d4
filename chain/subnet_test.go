package chain_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/chain/devchain/devchaintest"
)

var coin = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

func coins(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), coin) }

// subnet is a dev chain with the contracts deployed, 3 validators staked
// 40/30/20 coins (total 90: two of them at 60 hold exactly 2/3) and 8 miners.
type subnet struct {
	dev        *devchain.Chain
	owner      *chain.Client
	relay      *chain.Client // a third party that sends reports and claims
	valKeys    []*ecdsa.PrivateKey
	validators []*chain.Client
	miners     []*chain.Client
	domain     chain.Domain
	gas        map[string]uint64
}

const testNetuid = 7

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// startChain runs a dev chain funding keys; it stops at the end of the test.
func startChain(t *testing.T, port int, keys ...*ecdsa.PrivateKey) *devchain.Chain {
	t.Helper()
	cfg := devchain.DefaultConfig()
	cfg.Port = port
	cfg.BlockTime = 10 * time.Millisecond
	cfg.Netuid = testNetuid
	cfg.Params.MaxUIDs = 16
	cfg.Params.MaxValidators = 3
	cfg.Params.ImmunityPeriod = 0
	cfg.Pool = nil
	for _, k := range keys {
		cfg.Fund = append(cfg.Fund, crypto.PubkeyToAddress(k.PublicKey))
	}
	return devchaintest.Start(t, cfg, devchain.WithLogger(zaptest.NewLogger(t)))
}

func clientFor(t *testing.T, dev *devchain.Chain, key *ecdsa.PrivateKey) *chain.Client {
	t.Helper()
	c, err := chain.New(dev.Backend(), dev.Info().Addresses(), chain.WithKey(key), chain.WithReceiptPoll(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newSubnet(t *testing.T) *subnet {
	t.Helper()
	ctx := testCtx(t)
	var keys []*ecdsa.PrivateKey
	for i := 0; i < 3+8+1; i++ {
		keys = append(keys, newKey(t))
	}
	dev := startChain(t, -1, keys...)
	s := &subnet{dev: dev, owner: dev.Owner(), relay: clientFor(t, dev, keys[11]), valKeys: keys[:3], gas: map[string]uint64{}}
	var err error
	if s.domain, err = s.relay.Domain(ctx); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys[:3] {
		c := clientFor(t, dev, k)
		uid, rcpt, err := c.Register(ctx, chain.RoleValidator)
		if err != nil {
			t.Fatalf("register validator %d: %v", i, err)
		}
		s.gas["register"] = rcpt.GasUsed
		if int(uid) != i {
			t.Fatalf("validator %d got uid %d", i, uid)
		}
		rcpt, err = c.Stake(ctx, coins([]int64{40, 30, 20}[i]))
		if err != nil {
			t.Fatalf("stake %d: %v", i, err)
		}
		s.gas["stake"] = rcpt.GasUsed
		s.validators = append(s.validators, c)
	}
	for i, k := range keys[3:11] {
		c := clientFor(t, dev, k)
		uid, _, err := c.Register(ctx, chain.RoleMiner)
		if err != nil {
			t.Fatalf("register miner %d: %v", i, err)
		}
		if int(uid) != 3+i {
			t.Fatalf("miner %d got uid %d", i, uid)
		}
		s.miners = append(s.miners, c)
	}
	return s
}

// report builds the tree paying every uid (uid+1) coins for epoch.
func (s *subnet) tree(t *testing.T, epoch uint64) *chain.Tree {
	t.Helper()
	var es []chain.Emission
	for i, c := range append(append([]*chain.Client{}, s.validators...), s.miners...) {
		es = append(es, chain.Emission{UID: uint16(i), Account: c.Address(), Amount: coins(int64(i + 1))})
	}
	tr, err := chain.NewTree(epoch, es)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func (s *subnet) sign(t *testing.T, d chain.Domain, r chain.EpochReport, which ...int) [][]byte {
	t.Helper()
	var sigs [][]byte
	for _, i := range which {
		sig, err := chain.SignReport(s.valKeys[i], d, r)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	return sigs
}

// sorted returns sigs ordered by signer, as the contract wants.
func (s *subnet) sorted(t *testing.T, r chain.EpochReport, sigs [][]byte) [][]byte {
	t.Helper()
	out, _, err := chain.SortSignatures(s.domain, r, sigs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantContractError(t *testing.T, err error, name string) *chain.ContractError {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", name)
	}
	var ce *chain.ContractError
	if !errors.As(err, &ce) || ce.Name != name {
		t.Fatalf("got %v, want %s", err, name)
	}
	t.Logf("%s: %v", name, err)
	return ce
}

func TestMetagraphAfterRegistration(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	mg, err := s.relay.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if mg.Netuid != testNetuid || len(mg.Neurons) != 11 {
		t.Fatalf("netuid %d, %d neurons", mg.Netuid, len(mg.Neurons))
	}
	if mg.PermittedStake.Cmp(coins(90)) != 0 {
		t.Fatalf("permitted stake %v, want 90 coins", mg.PermittedStake)
	}
	for i, v := range s.validators {
		n, ok := mg.Lookup(v.Address())
		if !ok || n.UID != uint16(i) || n.Role != chain.RoleValidator || !n.ValidatorPermit {
			t.Fatalf("validator %d: %+v ok=%v", i, n, ok)
		}
	}
	for i, m := range s.miners {
		n, ok := mg.Lookup(m.Address())
		if !ok || n.UID != uint16(3+i) || n.Role != chain.RoleMiner || n.ValidatorPermit || n.Stake.Sign() != 0 {
			t.Fatalf("miner %d: %+v", i, n)
		}
	}
	if len(mg.Validators()) != 3 {
		t.Fatalf("%d validators", len(mg.Validators()))
	}
}

func TestDigestMatchesContract(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	for _, r := range []chain.EpochReport{
		{Netuid: testNetuid, Epoch: 1, EmissionsRoot: common.HexToHash("0x01"), TotalEmission: big.NewInt(0)},
		{Netuid: testNetuid, Epoch: 1<<64 - 1, EmissionsRoot: crypto.Keccak256Hash([]byte("root")), TotalEmission: coins(123456789)},
		{Netuid: 65535, Epoch: 42, EmissionsRoot: common.Hash{}, TotalEmission: new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))},
	} {
		onChain, err := s.relay.HashReport(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := chain.Digest(s.domain, r); got != onChain {
			t.Errorf("epoch %d: Go digest %s, contract %s", r.Epoch, got, onChain)
		}
		if got := apitypesDigest(t, s.domain, r); got != onChain {
			t.Errorf("epoch %d: apitypes digest %s, contract %s", r.Epoch, got, onChain)
		}
	}
}

func TestFinalizeNeedsMoreThanTwoThirds(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	r := s.tree(t, 1).Report(testNetuid)
	// Stakes 40, 30, 20 of 90.
	cases := []struct {
		name    string
		signers []int
		signed  int64
	}{
		{"one third", []int{1}, 30},
		{"exactly two thirds", []int{0, 2}, 60},
		{"less than two thirds", []int{1, 2}, 50},
		{"none", nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.relay.FinalizeRaw(ctx, r, s.sorted(t, r, s.sign(t, s.domain, r, c.signers...)))
			ce := wantContractError(t, err, "QuorumNotReached")
			if ce.Args["signedStake"].(*big.Int).Cmp(coins(c.signed)) != 0 ||
				ce.Args["totalStake"].(*big.Int).Cmp(coins(90)) != 0 {
				t.Fatalf("error args %v", err)
			}
		})
	}
	rcpt, err := s.relay.Finalize(ctx, r, s.sign(t, s.domain, r, 0, 1)) // 70 of 90
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gas: finalise with 2 signatures %d", rcpt.GasUsed)
	st, err := s.relay.EpochStatus(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Finalized || st.EmissionsRoot != r.EmissionsRoot || st.TotalEmission.Cmp(r.TotalEmission) != 0 || st.LatestEpoch != 1 {
		t.Fatalf("status %+v", st)
	}
	if want := new(big.Int).Sub(coins(1000), r.TotalEmission); st.Pool.Cmp(want) != 0 {
		t.Fatalf("pool %v, want %v", st.Pool, want)
	}
	_, err = s.relay.Finalize(ctx, r, s.sign(t, s.domain, r, 0, 1, 2))
	wantContractError(t, err, "EpochAlreadyFinalized")

	// Epoch 3 with all three signatures; epoch 2 is then stale.
	r3 := s.tree(t, 3).Report(testNetuid)
	rcpt, err = s.relay.Finalize(ctx, r3, s.sign(t, s.domain, r3, 0, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gas: finalise with 3 signatures %d", rcpt.GasUsed)
	r2 := s.tree(t, 2).Report(testNetuid)
	_, err = s.relay.Finalize(ctx, r2, s.sign(t, s.domain, r2, 0, 1, 2))
	wantContractError(t, err, "StaleEpoch")
	r0 := s.tree(t, 0).Report(testNetuid)
	_, err = s.relay.Finalize(ctx, r0, s.sign(t, s.domain, r0, 0, 1, 2))
	wantContractError(t, err, "StaleEpoch")
}

func TestFinalizeRejectsBadSignatures(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	r := s.tree(t, 1).Report(testNetuid)
	good := s.sign(t, s.domain, r, 0, 1, 2)
	otherChain := chain.Domain{ChainID: new(big.Int).Add(s.domain.ChainID, big.NewInt(1)), Contract: s.domain.Contract}
	otherContract := chain.Domain{ChainID: s.domain.ChainID, Contract: s.dev.Info().Registry}
	tampered := r
	tampered.TotalEmission = new(big.Int).Add(r.TotalEmission, big.NewInt(1))
	otherEpoch := r
	otherEpoch.Epoch = 2
	forger := newKey(t)
	forged, err := chain.SignReport(forger, s.domain, r)
	if err != nil {
		t.Fatal(err)
	}

	// replace returns the good signatures with validator 0's replaced by sig.
	replace := func(sig []byte) [][]byte {
		return s.sorted(t, r, append([][]byte{}, good[1], good[2], sig))
	}
	raw := func(sigs ...[]byte) [][]byte { return sigs }
	highS := func(sig []byte) []byte {
		out := append([]byte{}, sig...)
		n := crypto.S256().Params().N
		s := new(big.Int).Sub(n, new(big.Int).SetBytes(out[32:64]))
		copy(out[32:64], common.LeftPadBytes(s.Bytes(), 32))
		out[64] = 55 - out[64] // 27 <-> 28
		return out
	}
	vRaw := func(sig []byte) []byte {
		out := append([]byte{}, sig...)
		out[64] -= 27
		return out
	}
	sortedGood := s.sorted(t, r, good)
	badNetuid := r
	badNetuid.Netuid = testNetuid + 1
	zeroRoot := r
	zeroRoot.EmissionsRoot = common.Hash{}

	cases := []struct {
		name   string
		report chain.EpochReport
		sigs   [][]byte
		want   string
	}{
		{"forged", r, raw(forged), "UnknownValidator"},
		{"forged among good", r, replace(forged), "UnknownValidator"},
		{"tampered report", tampered, sortedGood, "UnknownValidator"},
		{"replay other chain id", r, raw(s.sign(t, otherChain, r, 0)[0]), "UnknownValidator"},
		{"replay other contract", r, raw(s.sign(t, otherContract, r, 0)[0]), "UnknownValidator"},
		{"replay other epoch", otherEpoch, s.sorted(t, r, good), "UnknownValidator"},
		{"high s", r, raw(highS(good[0])), "InvalidSignature"},
		{"v 0 or 1", r, raw(vRaw(good[0])), "InvalidSignature"},
		{"short", r, raw(good[0][:64]), "InvalidSignature"},
		{"not ascending", r, raw(sortedGood[2], sortedGood[1], sortedGood[0]), "SignersNotAscending"},
		{"duplicate signer", r, raw(sortedGood[0], sortedGood[0], sortedGood[1]), "SignersNotAscending"},
		{"wrong netuid", badNetuid, s.sorted(t, r, good), "WrongNetuid"},
		{"zero root", zeroRoot, s.sorted(t, zeroRoot, s.sign(t, s.domain, zeroRoot, 0, 1, 2)), "ZeroRoot"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.relay.FinalizeRaw(ctx, c.report, c.sigs)
			wantContractError(t, err, c.want)
			if c.want == "InvalidSignature" && len(c.sigs[0]) == 65 {
				if _, err := chain.RecoverSigner(s.domain, c.report, c.sigs[0]); err == nil {
					t.Fatal("RecoverSigner accepted what the contract rejects")
				}
			}
		})
	}
	// The malleated high-s twin is a valid secp256k1 signature by the same
	// key: only the low-s rule rejects it.
	norm := vRaw(highS(good[0]))
	if pub, err := crypto.SigToPub(chain.Digest(s.domain, r).Bytes(), norm); err != nil ||
		crypto.PubkeyToAddress(*pub) != s.validators[0].Address() {
		t.Fatalf("high-s twin does not recover to the signer: %v", err)
	}
	st, err := s.relay.EpochStatus(ctx, 1)
	if err != nil || st.Finalized {
		t.Fatalf("epoch final after bad signatures: %+v %v", st, err)
	}
	if _, err := s.relay.FinalizeRaw(ctx, r, sortedGood); err != nil {
		t.Fatalf("good signatures: %v", err)
	}
}

func TestAttestOneByOne(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	r := s.tree(t, 1).Report(testNetuid)
	sigs := s.sign(t, s.domain, r, 0, 1, 2)

	final, rcpt, err := s.relay.Attest(ctx, r, sigs[0]) // 40
	if err != nil || final {
		t.Fatalf("attest 0: final=%v %v", final, err)
	}
	t.Logf("gas: attest %d", rcpt.GasUsed)
	_, _, err = s.relay.Attest(ctx, r, sigs[0])
	wantContractError(t, err, "AlreadyVoted")

	// A stake change starts a new validator-set version: the vote no longer counts.
	if _, err := s.validators[2].Stake(ctx, big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
	signed, total, _, err := s.relay.AttestedStake(ctx, r)
	if err != nil || signed.Sign() != 0 || total.Cmp(new(big.Int).Add(coins(90), big.NewInt(1))) != 0 {
		t.Fatalf("after stake change: signed %v total %v %v", signed, total, err)
	}
	if _, err := s.validators[2].Unstake(ctx, big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
	if final, _, err := s.relay.Attest(ctx, r, sigs[0]); err != nil || final {
		t.Fatalf("re-attest 0 under new version: final=%v %v", final, err)
	}
	if final, _, err := s.relay.Attest(ctx, r, sigs[2]); err != nil || final { // 60 = 2/3: not final
		t.Fatalf("attest 2: final=%v %v", final, err)
	}
	signed, total, _, err = s.relay.AttestedStake(ctx, r)
	if err != nil || signed.Cmp(coins(60)) != 0 || total.Cmp(coins(90)) != 0 {
		t.Fatalf("attested %v of %v: %v", signed, total, err)
	}
	if final, _, err := s.relay.Attest(ctx, r, sigs[1]); err != nil || !final {
		t.Fatalf("attest 1: final=%v %v", final, err)
	}
	_, _, err = s.relay.Attest(ctx, r, sigs[1])
	wantContractError(t, err, "EpochAlreadyFinalized")
}

func TestClaimsPayExactlyOnce(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	tr := s.tree(t, 1)
	r := tr.Report(testNetuid)
	if _, err := s.relay.Finalize(ctx, r, s.sign(t, s.domain, r, 0, 1, 2)); err == nil {
		t.Fatal("finalised without a funded pool")
	} else {
		wantContractError(t, err, "InsufficientPool")
	}
	if _, err := s.owner.Fund(ctx, tr.Total()); err != nil {
		t.Fatal(err)
	}
	e, proof, _ := tr.Proof(3)
	_, err := s.relay.Claim(ctx, 1, e, proof)
	wantContractError(t, err, "EpochNotFinalized")
	if _, err := s.relay.Finalize(ctx, r, s.sign(t, s.domain, r, 0, 1, 2)); err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.Emissions() {
		e, proof, err := tr.Proof(e.UID)
		if err != nil {
			t.Fatal(err)
		}
		before, err := s.relay.Balance(ctx, e.Account)
		if err != nil {
			t.Fatal(err)
		}
		// Wrong amount, wrong account, wrong uid: the proof does not hold.
		for _, bad := range []chain.Emission{
			{UID: e.UID, Account: e.Account, Amount: new(big.Int).Add(e.Amount, big.NewInt(1))},
			{UID: e.UID, Account: s.relay.Address(), Amount: e.Amount},
			{UID: e.UID ^ 1, Account: e.Account, Amount: e.Amount},
		} {
			_, err := s.relay.Claim(ctx, 1, bad, proof)
			if !chain.IsContractError(err, "InvalidProof") && !chain.IsContractError(err, "AlreadyClaimed") {
				t.Fatalf("bad claim %+v: %v", bad, err)
			}
		}
		rcpt, err := s.relay.Claim(ctx, 1, e, proof)
		if err != nil {
			t.Fatalf("claim uid %d: %v", e.UID, err)
		}
		s.gas["claim"] = rcpt.GasUsed
		after, err := s.relay.Balance(ctx, e.Account)
		if err != nil {
			t.Fatal(err)
		}
		if got := new(big.Int).Sub(after, before); got.Cmp(e.Amount) != 0 {
			t.Fatalf("uid %d received %v, want %v", e.UID, got, e.Amount)
		}
		_, err = s.relay.Claim(ctx, 1, e, proof)
		wantContractError(t, err, "AlreadyClaimed")
		if ok, err := s.relay.IsClaimed(ctx, 1, e.UID); err != nil || !ok {
			t.Fatalf("IsClaimed(%d) = %v, %v", e.UID, ok, err)
		}
	}
	st, err := s.relay.EpochStatus(ctx, 1)
	if err != nil || st.Remaining.Sign() != 0 || st.Pool.Sign() != 0 {
		t.Fatalf("after all claims: %+v %v", st, err)
	}
	// Claimed emissions become the uids' pruning scores.
	mg, err := s.relay.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range mg.Neurons {
		if n.Emission.Cmp(coins(int64(n.UID)+1)) != 0 || n.EmissionEpoch != 1 {
			t.Fatalf("uid %d emission %v epoch %d", n.UID, n.Emission, n.EmissionEpoch)
		}
	}
	t.Logf("gas: claim (proof of %d) %d", len(proof), s.gas["claim"])
}
