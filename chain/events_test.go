package chain_test

import (
	"errors"
	"testing"

	"github.com/ganglion-subnet/ganglion/chain"
)

// noLogs hides the backend's log filter.
type noLogs struct{ chain.Backend }

// TestEventReaders: FinalizedEpochs names the finalising transaction and
// its block, Claims every payout; reading on from the returned block finds
// only newer events; a backend without log filtering gives ErrNoLogs.
func TestEventReaders(t *testing.T) {
	s := newSubnet(t)
	ctx := testCtx(t)
	evs, next, err := s.relay.FinalizedEpochs(ctx, 0)
	if err != nil || len(evs) != 0 || next == 0 {
		t.Fatalf("before: %v %d %v", evs, next, err)
	}
	tr := s.tree(t, 1)
	r := tr.Report(testNetuid)
	if _, err := s.owner.Fund(ctx, tr.Total()); err != nil {
		t.Fatal(err)
	}
	rcpt, err := s.relay.Finalize(ctx, r, s.sign(t, s.domain, r, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	evs, next2, err := s.relay.FinalizedEpochs(ctx, next)
	if err != nil || len(evs) != 1 || next2 <= rcpt.BlockNumber.Uint64() {
		t.Fatalf("after: %+v %d %v", evs, next2, err)
	}
	ev := evs[0]
	if ev.Epoch != 1 || ev.TxHash != rcpt.TxHash || ev.Block != rcpt.BlockNumber.Uint64() || ev.EmissionsRoot != r.EmissionsRoot ||
		ev.TotalEmission.Cmp(r.TotalEmission) != 0 || ev.SignedStake.Cmp(coins(70)) != 0 || ev.TotalStake.Cmp(coins(90)) != 0 {
		t.Fatalf("event %+v, receipt block %v tx %v", ev, rcpt.BlockNumber, rcpt.TxHash)
	}
	if evs, _, err := s.relay.FinalizedEpochs(ctx, next2); err != nil || len(evs) != 0 {
		t.Fatalf("read on: %+v %v", evs, err)
	}

	e, proof, err := tr.Proof(4)
	if err != nil {
		t.Fatal(err)
	}
	crc, err := s.relay.Claim(ctx, 1, e, proof)
	if err != nil {
		t.Fatal(err)
	}
	cl, _, err := s.relay.Claims(ctx, 0)
	if err != nil || len(cl) != 1 {
		t.Fatalf("claims %+v %v", cl, err)
	}
	if c := cl[0]; c.Epoch != 1 || c.UID != 4 || c.Account != e.Account || c.Amount.Cmp(e.Amount) != 0 || c.TxHash != crc.TxHash {
		t.Fatalf("claim %+v, want %+v in %v", c, e, crc.TxHash)
	}

	ro, err := chain.New(noLogs{s.dev.Backend()}, s.dev.Info().Addresses())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ro.FinalizedEpochs(ctx, 0); !errors.Is(err, chain.ErrNoLogs) {
		t.Fatalf("without a log filter: %v", err)
	}
	if _, _, err := ro.Claims(ctx, 0); !errors.Is(err, chain.ErrNoLogs) {
		t.Fatalf("without a log filter: %v", err)
	}
}
