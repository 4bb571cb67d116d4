package chain_test

import (
	"math/big"
	"testing"

	"github.com/ganglion-subnet/ganglion/chain"
)

func TestPermitsAreTopKByStake(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	mg0, err := s.relay.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := mg0.Params
	p.MaxValidators = 2
	_, err = s.validators[0].SetParams(ctx, p)
	wantContractError(t, err, "NotOwner")
	if _, err := s.owner.SetParams(ctx, p); err != nil {
		t.Fatal(err)
	}
	check := func(step string, wantPermit []bool, total int64) *chain.Metagraph {
		t.Helper()
		mg, err := s.relay.Metagraph(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range wantPermit {
			if mg.Neurons[i].ValidatorPermit != want {
				t.Fatalf("%s: uid %d permit %v, want %v", step, i, mg.Neurons[i].ValidatorPermit, want)
			}
		}
		if mg.PermittedStake.Cmp(coins(total)) != 0 {
			t.Fatalf("%s: permitted stake %v, want %d coins", step, mg.PermittedStake, total)
		}
		return mg
	}
	mg1 := check("top 2 of 40/30/20", []bool{true, true, false}, 70)
	if mg1.Version <= mg0.Version {
		t.Fatalf("version %d after %d", mg1.Version, mg0.Version)
	}
	if _, err := s.validators[2].Stake(ctx, coins(25)); err != nil { // 45
		t.Fatal(err)
	}
	check("top 2 of 40/30/45", []bool{true, false, true}, 85)
	before, err := s.relay.Balance(ctx, s.validators[0].Address())
	if err != nil {
		t.Fatal(err)
	}
	rcpt, err := s.validators[0].Unstake(ctx, coins(40))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.relay.Balance(ctx, s.validators[0].Address())
	fee := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	if got := new(big.Int).Add(new(big.Int).Sub(after, before), fee); got.Cmp(coins(40)) != 0 {
		t.Fatalf("unstake returned %v", got)
	}
	check("top 2 of 0/30/45", []bool{false, true, true}, 75)
	_, err = s.validators[0].Unstake(ctx, big.NewInt(1))
	wantContractError(t, err, "InsufficientStake")
	_, err = s.miners[0].Stake(ctx, coins(1))
	wantContractError(t, err, "NotValidator")
	_, _, err = s.miners[0].Register(ctx, chain.RoleMiner)
	wantContractError(t, err, "AlreadyRegistered")
}

func TestFullSubnetReplacesLowestEmission(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	if _, err := s.owner.Fund(ctx, coins(1000)); err != nil {
		t.Fatal(err)
	}
	// Miners (uids 3..10) earn 8, 7, ..., 1 coins: uid 10 earns least.
	var es []chain.Emission
	for i, m := range s.miners {
		es = append(es, chain.Emission{UID: uint16(3 + i), Account: m.Address(), Amount: coins(int64(8 - i))})
	}
	tr, err := chain.NewTree(1, es)
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Report(testNetuid)
	if _, err := s.relay.Finalize(ctx, r, s.sign(t, s.domain, r, 0, 1, 2)); err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		e, proof, _ := tr.Proof(e.UID)
		if _, err := s.relay.Claim(ctx, 1, e, proof); err != nil {
			t.Fatal(err)
		}
	}
	mg, err := s.relay.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := mg.Params
	p.MaxUIDs = 11 // full now
	if _, err := s.owner.SetParams(ctx, p); err != nil {
		t.Fatal(err)
	}
	// The validators earned nothing but hold permits: they are never pruned.
	newcomer := clientFor(t, s.dev, newKey(t))
	if _, err := s.owner.Transact(ctx, ptr(newcomer.Address()), nil, coins(1)); err != nil {
		t.Fatal(err)
	}
	uid, _, err := newcomer.Register(ctx, chain.RoleMiner)
	if err != nil {
		t.Fatal(err)
	}
	if uid != 10 {
		t.Fatalf("newcomer got uid %d, want 10 (lowest emission)", uid)
	}
	mg, err = s.relay.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := mg.Lookup(newcomer.Address()); !ok || n.UID != 10 || n.Emission.Sign() != 0 {
		t.Fatalf("newcomer %+v", n)
	}
	if _, ok := mg.Lookup(s.miners[7].Address()); ok {
		t.Fatal("replaced miner still registered")
	}
	// Everyone immune: nothing can be replaced.
	p.ImmunityPeriod = 1 << 40
	if _, err := s.owner.SetParams(ctx, p); err != nil {
		t.Fatal(err)
	}
	late := clientFor(t, s.dev, newKey(t))
	if _, err := s.owner.Transact(ctx, ptr(late.Address()), nil, coins(1)); err != nil {
		t.Fatal(err)
	}
	_, _, err = late.Register(ctx, chain.RoleMiner)
	wantContractError(t, err, "NoPrunableUid")
}

func ptr[T any](v T) *T { return &v }
