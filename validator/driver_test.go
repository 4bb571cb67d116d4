package validator

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/scoring/yuma"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/weights"
)

// bus is an in-process gossip topic: published messages are queued and
// delivered to every other driver when the test says so.
type bus struct {
	mu      sync.Mutex
	queue   []queued
	drivers map[common.Address]*Driver
}

type queued struct {
	from common.Address
	msg  proto.Message
}

type busPublisher struct {
	b    *bus
	from common.Address
}

func (p busPublisher) Publish(_ context.Context, m proto.Message) (*protocol.Envelope, error) {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	p.b.queue = append(p.b.queue, queued{p.from, m})
	return &protocol.Envelope{}, nil
}

func (b *bus) deliver(t *testing.T, ctx context.Context) {
	t.Helper()
	b.mu.Lock()
	q := b.queue
	b.queue = nil
	b.mu.Unlock()
	for _, m := range q {
		for addr, d := range b.drivers {
			if addr == m.from {
				continue
			}
			var err error
			switch x := m.msg.(type) {
			case *protocol.WeightCommit:
				err = d.HandleCommit(m.from, x)
			case *protocol.WeightReveal:
				err = d.HandleReveal(m.from, x)
			case *protocol.ReportSignature:
				err = d.HandleReportSignature(ctx, m.from, x)
			}
			if err != nil {
				t.Errorf("deliver %T from %s to %s: %v", m.msg, m.from, addr, err)
			}
		}
	}
}

type testValidator struct {
	dir     string
	st      *store.Store
	relayer *chain.Relayer
	d       *Driver
}

func startValidator(t *testing.T, s *subnet, i int, b *bus, dir string) *testValidator {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.client(t, s.valKeys[i])
	rl, err := chain.NewRelayer(c, filepath.Join(dir, "outbox.json"))
	if err != nil {
		t.Fatal(err)
	}
	ms := chain.NewMetagraphSync(c, time.Second, zaptest.NewLogger(t))
	d := NewDriver(s.valKeys[i], c, ms, st, rl, busPublisher{b, c.Address()}, zaptest.NewLogger(t), DriverConfig{Emission: 1_000_000_000})
	b.mu.Lock()
	b.drivers[c.Address()] = d
	b.mu.Unlock()
	return &testValidator{dir: dir, st: st, relayer: rl, d: d}
}

// TestEpochsSettleOnChain runs three validators (stake 50/30/20) over five
// epochs with injected scores: two honest miners, a slower one, a cheater
// scored 0 by the honest validators, and a validator with less than 1/3 of
// stake that gives all its weight to the cheater. Validator 1 is restarted
// from its files in the middle of epoch 3.
func TestEpochsSettleOnChain(t *testing.T) {
	const L = 100
	s := newSubnet(t, []int64{50, 30, 20}, 4, L)
	ctx := testCtx(t)
	b := &bus{drivers: map[common.Address]*Driver{}}
	vals := make([]*testValidator, 3)
	for i := range vals {
		vals[i] = startValidator(t, s, i, b, t.TempDir())
	}
	defer func() {
		for _, v := range vals {
			v.st.Close()
		}
	}()
	honest := []float64{1, 1, 0.5, 0} // miners 0, 1 honest; 2 slow; 3 cheater
	extreme := []float64{0, 0, 0, 1}  // validator 2 backs the cheater
	for i, v := range vals {
		row := honest
		if i == 2 {
			row = extreme
		}
		for j, m := range s.miners {
			if _, err := v.st.RecordScore(m.Address(), uint16(3+j), scoring.Terms{Score: row[j]}, 0.1, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	mg, err := s.owner.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := func(block uint64) *chain.Metagraph { m := *mg; m.Block = block; return &m }
	step := func(block uint64) {
		t.Helper()
		for _, v := range vals {
			if err := v.d.Step(ctx, at(block)); err != nil {
				t.Fatalf("step block %d: %v", block, err)
			}
		}
		b.deliver(t, ctx)
		for _, v := range vals {
			if _, err := v.relayer.Flush(ctx); err != nil {
				t.Fatalf("flush at block %d: %v", block, err)
			}
		}
	}
	var firstCommit common.Hash
	for e := uint64(0); e <= 5; e++ {
		step(e * L)
		step(e*L + 30) // commit step
		if e == 3 {
			c, err := vals[1].st.Commit(3)
			if err != nil {
				t.Fatal(err)
			}
			firstCommit = c.Commit
			// kill validator 1 mid-epoch and restart it from its files
			vals[1].st.Close()
			vals[1] = startValidator(t, s, 1, b, vals[1].dir)
			step(e*L + 60)
			c2, err := vals[1].st.Commit(3)
			if err != nil || c2.Commit != firstCommit {
				t.Fatalf("restarted validator changed its epoch-3 commit: %v %v", c2.Commit, err)
			}
		}
	}
	for epoch := uint64(1); epoch <= 4; epoch++ {
		st, err := s.owner.EpochStatus(ctx, epoch)
		if err != nil {
			t.Fatal(err)
		}
		var roots []common.Hash
		for _, v := range vals {
			o, err := v.st.Output(epoch)
			if err != nil {
				t.Fatalf("validator output of epoch %d: %v", epoch, err)
			}
			roots = append(roots, o.Root)
		}
		if !st.Finalized || st.EmissionsRoot != roots[0] || roots[0] != roots[1] || roots[1] != roots[2] {
			t.Fatalf("epoch %d: status %+v, validator roots %v", epoch, st, roots)
		}
	}
	o, _ := vals[0].st.Output(4)
	em := func(uid int) *big.Int { x, _ := new(big.Int).SetString(o.Emissions[uid], 10); return x }
	t.Logf("epoch 4 emissions (wei) by uid: %v", o.Emissions)
	m0, m1, slow, cheat := em(3), em(4), em(5), em(6)
	if m0.Sign() == 0 || m0.Cmp(m1) != 0 {
		t.Fatalf("honest miners earn %v and %v, want equal and positive", m0, m1)
	}
	if slow.Cmp(m0) >= 0 || slow.Sign() == 0 {
		t.Fatalf("slow miner earns %v, honest %v", slow, m0)
	}
	if cheat.Sign() != 0 {
		t.Fatalf("cheater backed by a <1/3-stake validator earns %v", cheat)
	}
}

// TestSettleWithoutWeightsPaysValidators: with no weights Yuma (like
// Subtensor) gives the whole emission to validators by stake, nothing to
// miners.
func TestSettleWithoutWeightsPaysValidators(t *testing.T) {
	mg := &chain.Metagraph{Netuid: 1, Neurons: []chain.Neuron{
		{UID: 0, Hotkey: common.HexToAddress("0x1"), Role: chain.RoleValidator, ValidatorPermit: true, Stake: coins(30)},
		{UID: 1, Hotkey: common.HexToAddress("0x2"), Role: chain.RoleMiner, Stake: new(big.Int)},
		{UID: 2, Hotkey: common.HexToAddress("0x3"), Role: chain.RoleValidator, ValidatorPermit: true, Stake: coins(10)},
	}}
	s, err := Settle(1, mg, nil, nil, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if s.Tree == nil || s.Tree.Total().Cmp(coins(1)) > 0 {
		t.Fatalf("tree %v", s.Tree)
	}
	r := s.Record()
	if r.Emissions[1] != "0" || r.Emissions[0] == "0" || r.Emissions[2] == "0" || r.Root != s.Tree.Root() {
		t.Fatalf("record = %+v", r)
	}
	if _, _, err := s.Tree.Proof(1); err == nil {
		t.Fatal("a miner without emission has a leaf")
	}
}

// TestSettleResetsBondsOfReplacedUIDs: bonds carried from the previous
// epoch are kept for unchanged uids and dropped (row and column) for a uid
// whose hotkey changed.
func TestSettleResetsBondsOfReplacedUIDs(t *testing.T) {
	val, m1, m2 := common.HexToAddress("0x1"), common.HexToAddress("0x2"), common.HexToAddress("0x3")
	mg := &chain.Metagraph{Netuid: 1, Neurons: []chain.Neuron{
		{UID: 0, Hotkey: val, Role: chain.RoleValidator, ValidatorPermit: true, Stake: coins(10)},
		{UID: 1, Hotkey: m1, Role: chain.RoleMiner, Stake: new(big.Int)},
		{UID: 2, Hotkey: m2, Role: chain.RoleMiner, Stake: new(big.Int)},
	}}
	rows := []weights.Revealed{{Validator: val, UIDs: []uint16{1, 2}, Values: []uint16{65535, 65535}}}
	first, err := Settle(1, mg, rows, nil, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	prev := first.Record()
	if prev.Bonds[0][1] == 0 || prev.Bonds[0][2] == 0 {
		t.Fatalf("no bonds after the first epoch: %v", prev.Bonds)
	}
	same, err := Settle(2, mg, rows, &prev, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	mg.Neurons[2].Hotkey = common.HexToAddress("0x4") // uid 2 replaced
	repl, err := Settle(2, mg, rows, &prev, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	sb, rb := same.Record().Bonds, repl.Record().Bonds
	if rb[0][1] != sb[0][1] {
		t.Fatalf("bond to the unchanged uid moved: %d vs %d", rb[0][1], sb[0][1])
	}
	if rb[0][2] >= sb[0][2] {
		t.Fatalf("bond to the replaced uid not reset: %d (kept would be %d)", rb[0][2], sb[0][2])
	}
}

// TestSettleMasksFromTheChain: Yuma's block inputs come from the metagraph
// and the rows' commit epochs. A miner registered after a row's commit
// epoch gets nothing from that row (Subtensor's outdated-weights mask); a
// validator whose latest row is older than the activity cutoff is inactive
// and its stake stops counting, so the active validator's row decides.
func TestSettleMasksFromTheChain(t *testing.T) {
	const L = 100
	big1, small, m1, m2 := common.HexToAddress("0x1"), common.HexToAddress("0x2"), common.HexToAddress("0x3"), common.HexToAddress("0x4")
	mg := &chain.Metagraph{Netuid: 1, Params: chain.Params{EpochLength: L}, Neurons: []chain.Neuron{
		{UID: 0, Hotkey: big1, Role: chain.RoleValidator, ValidatorPermit: true, Stake: coins(90), RegisteredAt: 1},
		{UID: 1, Hotkey: small, Role: chain.RoleValidator, ValidatorPermit: true, Stake: coins(10), RegisteredAt: 1},
		{UID: 2, Hotkey: m1, Role: chain.RoleMiner, Stake: new(big.Int), RegisteredAt: 2},
		{UID: 3, Hotkey: m2, Role: chain.RoleMiner, Stake: new(big.Int), RegisteredAt: 2},
	}}
	row := func(v common.Address, epoch uint64, uids ...uint16) weights.Revealed {
		r := weights.Revealed{Validator: v, Epoch: epoch, UIDs: uids}
		for range uids {
			r.Values = append(r.Values, 65535)
		}
		return r
	}
	incentive := func(epoch uint64, rows ...weights.Revealed) []uint16 {
		t.Helper()
		s, err := Settle(epoch, mg, rows, nil, 1_000_000_000)
		if err != nil {
			t.Fatal(err)
		}
		return s.Output.IncentiveU16
	}

	// Both validators weigh both miners, committed in epoch 3.
	if inc := incentive(4, row(big1, 3, 2, 3), row(small, 3, 2, 3)); inc[2] == 0 || inc[3] == 0 {
		t.Fatalf("incentive %v: both miners should earn", inc)
	}
	// uid 3 re-registered in epoch 4, after the rows' commit epoch: masked.
	mg.Neurons[3].RegisteredAt = 4*L + 10
	if inc := incentive(4, row(big1, 3, 2, 3), row(small, 3, 2, 3)); inc[3] != 0 || inc[2] == 0 {
		t.Fatalf("incentive %v: the miner registered after the commits should get nothing", inc)
	}
	mg.Neurons[3].RegisteredAt = 2

	// The big validator's row (uid 2 only) is older than the activity cutoff
	// (≈ 13.9 epochs); the small one (uid 3 only) is fresh: the small one's
	// stake is the only active stake, so its row is the consensus.
	cutoffEpochs := yuma.ActivityCutoff(yuma.DefaultActivityCutoffFactorMilli, L)/L + 1
	e := 3 + cutoffEpochs + 1
	inc := incentive(e, row(big1, 3, 2), row(small, e-1, 3))
	if inc[2] != 0 || inc[3] == 0 {
		t.Fatalf("incentive %v: the inactive validator's row should not count", inc)
	}
	// Within the cutoff the big validator decides.
	inc = incentive(5, row(big1, 3, 2), row(small, 4, 3))
	if inc[2] == 0 || inc[3] != 0 {
		t.Fatalf("incentive %v: the big active validator's row should decide", inc)
	}
}

// TestDryPoolSaysWhatToDo: on a chain whose emission pool was never funded
// the relayer cannot finalise; the driver says what to do, once, not every
// poll, and the report is finalised after the owner funds the pool.
func TestDryPoolSaysWhatToDo(t *testing.T) {
	const L = 40
	keys := make([]*ecdsa.PrivateKey, 2)
	s := newSubnetWithKeys(t, []int64{10}, keys, L, 10*time.Millisecond, func(c *devchain.Config) { c.Pool = nil })
	ctx := testCtx(t)
	core, logs := observer.New(zap.WarnLevel)
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.RecordScore(s.miners[0].Address(), 1, scoring.Terms{Score: 1}, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := s.validators[0]
	rl, err := chain.NewRelayer(c, filepath.Join(dir, "outbox.json"))
	if err != nil {
		t.Fatal(err)
	}
	ms := chain.NewMetagraphSync(c, 10*time.Millisecond, zap.NewNop())
	d := NewDriver(s.valKeys[0], c, ms, st, rl, busPublisher{&bus{}, c.Address()}, zap.New(core), DriverConfig{Poll: 10 * time.Millisecond}) // nobody else listens
	dctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(dctx) }()
	defer func() { cancel(); <-done }()

	for logs.FilterMessage(PoolEmptyWarning).Len() == 0 {
		if ctx.Err() != nil {
			t.Fatalf("no pool warning; logs: %v", logs.All())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // many polls
	if n := logs.FilterMessage(PoolEmptyWarning).Len(); n != 1 {
		t.Fatalf("pool warning logged %d times", n)
	}
	if n := logs.FilterMessage("epoch step").Len(); n != 0 {
		t.Fatalf("%d generic warnings besides the pool warning: %v", n, logs.FilterMessage("epoch step").All())
	}
	if _, err := s.owner.Fund(ctx, coins(100)); err != nil {
		t.Fatal(err)
	}
	for {
		o, err := st.LastOutput()
		if err == nil && o.Signature != nil {
			if status, err := s.owner.EpochStatus(ctx, o.Epoch); err == nil && status.Finalized {
				return
			}
		}
		if ctx.Err() != nil {
			t.Fatal("no epoch final after funding the pool")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
