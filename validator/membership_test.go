package validator

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/p2p"
)

func TestMembershipFollowsTheChain(t *testing.T) {
	s := newSubnet(t, []int64{40, 0}, 2, 0) // validator 1 registered without stake
	ctx := testCtx(t)
	sync := chain.NewMetagraphSync(s.owner, 20*time.Millisecond, zaptest.NewLogger(t))
	m := NewMembership(sync)
	if m.IsMember(s.validators[0].Address(), p2p.RoleValidator) {
		t.Fatal("member before the first refresh")
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("first refresh", func() bool { return sync.Current() != nil })

	tests := []struct {
		name string
		addr common.Address
		role p2p.Role
		want bool
	}{
		{"staked validator", s.validators[0].Address(), p2p.RoleValidator, true},
		{"staked validator as miner", s.validators[0].Address(), p2p.RoleMiner, false},
		{"validator without stake", s.validators[1].Address(), p2p.RoleValidator, false},
		{"miner", s.miners[0].Address(), p2p.RoleMiner, true},
		{"miner as validator", s.miners[0].Address(), p2p.RoleValidator, false},
		{"unregistered", common.HexToAddress("0xdead"), p2p.RoleMiner, false},
	}
	for _, tc := range tests {
		if got := m.IsMember(tc.addr, tc.role); got != tc.want {
			t.Errorf("%s: IsMember = %v, want %v", tc.name, got, tc.want)
		}
	}

	// The refresh loop picks up new stake without a restart.
	if _, err := s.validators[1].Stake(ctx, coins(5)); err != nil {
		t.Fatal(err)
	}
	waitFor("validator 1's stake", func() bool { return m.IsMember(s.validators[1].Address(), p2p.RoleValidator) })
	// And a validator that unstakes everything loses membership.
	if _, err := s.validators[0].Unstake(ctx, coins(40)); err != nil {
		t.Fatal(err)
	}
	waitFor("validator 0 to lose membership", func() bool { return !m.IsMember(s.validators[0].Address(), p2p.RoleValidator) })
}
