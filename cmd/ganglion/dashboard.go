package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/weights"
)

// Dashboard windows.
const (
	dashEpochs     = 20              // epochs listed
	dashHistory    = 30              // epochs of score history
	dashEventEvery = 3 * time.Second // ledger events are read at most this often
)

// dashSource feeds the gateway's dashboard from the chain (the metagraph
// sync and the ledger's events) and, inside a validator, from its store
// (score EMAs and epoch outputs: incentive, dividends, emissions).
type dashSource struct {
	ms  *chain.MetagraphSync
	st  *store.Store // nil in the stand-alone gateway
	log *zap.Logger

	mu      sync.Mutex
	next    uint64 // next block to read ledger events from
	readAt  time.Time
	noLogs  bool
	final   map[uint64]chain.FinalizedEpoch
	claimed map[uint64]map[uint16]*big.Int // epoch → uid → wei
	vtrust  map[uint64][]uint16            // epoch → validator trust (nil: not reproducible)
}

// dashboardFor returns the dashboard source of a process with the metagraph
// sync ms (nil without a chain) and the validator store st (nil outside a
// validator).
func dashboardFor(ms *chain.MetagraphSync, st *store.Store, log *zap.Logger) gateway.DashboardSource {
	if ms == nil {
		return nil
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &dashSource{ms: ms, st: st, log: log, final: map[uint64]chain.FinalizedEpoch{},
		claimed: map[uint64]map[uint16]*big.Int{}, vtrust: map[uint64][]uint16{}}
}

func (d *dashSource) metagraph(ctx context.Context) (*chain.Metagraph, error) {
	if mg := d.ms.Current(); mg != nil {
		return mg, nil
	}
	return d.ms.Refresh(ctx)
}

// dashCoins prints wei as coins rounded to at most 6 decimals.
func dashCoins(wei *big.Int) string {
	if wei == nil || wei.Sign() == 0 {
		return "0"
	}
	micro := new(big.Int).Quo(new(big.Int).Add(wei, big.NewInt(5e11)), big.NewInt(1e12))
	q, r := new(big.Int).QuoRem(micro, big.NewInt(1e6), new(big.Int))
	if r.Sign() == 0 {
		if q.Sign() == 0 {
			return "<0.000001"
		}
		return q.String()
	}
	return strings.TrimRight(fmt.Sprintf("%s.%06d", q, r.Int64()), "0")
}

func u16share(v []uint16, uid int) *float64 {
	if uid >= len(v) {
		return nil
	}
	x := float64(v[uid]) / 65535
	return &x
}

// current reports whether output o still describes uid's neuron (the uid
// was not replaced since).
func current(o *store.EpochOutput, uid int, hotkey common.Address) bool {
	return o != nil && uid < len(o.Hotkeys) && o.Hotkeys[uid] == hotkey
}

// Metagraph implements gateway.DashboardSource.
func (d *dashSource) Metagraph(ctx context.Context) (*gateway.DashMetagraph, error) {
	mg, err := d.metagraph(ctx)
	if err != nil {
		return nil, err
	}
	out := &gateway.DashMetagraph{Netuid: mg.Netuid, Block: mg.Block, EpochLength: mg.EpochLength,
		Source: fmt.Sprintf("chain at block %d: stake and the latest claimed emission", mg.Block)}
	if mg.EpochLength > 0 {
		out.Epoch = mg.Block / mg.EpochLength
	}
	var last *store.EpochOutput
	scores := map[common.Address]store.MinerScore{}
	if d.st != nil {
		if outs, err := d.st.RecentOutputs(1); err != nil {
			return nil, err
		} else if len(outs) == 1 {
			last = &outs[0]
			out.Source = fmt.Sprintf("chain at block %d (stake); this validator's output of epoch %d (incentive, "+
				"dividends, emission) and score EMAs", mg.Block, last.Epoch)
		} else {
			out.Source += "; this validator has settled no epoch yet"
		}
		all, err := d.st.Scores()
		if err != nil {
			return nil, err
		}
		for _, s := range all {
			scores[s.Miner] = s
		}
	}
	var trust []uint16
	if last != nil {
		trust = d.trust(mg, last)
	}
	for i, n := range mg.Neurons {
		row := gateway.DashNeuron{UID: n.UID, Role: n.Role.String(), Address: n.Hotkey.Hex(), Permit: n.ValidatorPermit,
			Stake: dashCoins(n.Stake), Emission: dashCoins(n.Emission)}
		if current(last, i, n.Hotkey) {
			row.Incentive, row.Dividends = u16share(last.Incentive, i), u16share(last.Dividends, i)
			if n.Role == chain.RoleValidator {
				row.ValidatorTrust = u16share(trust, i)
			}
			if i < len(last.Emissions) {
				if w, ok := new(big.Int).SetString(last.Emissions[i], 10); ok {
					row.Emission = dashCoins(w)
				}
			}
		}
		if s, ok := scores[n.Hotkey]; ok && n.Role == chain.RoleMiner {
			v := s.EMA.Value
			row.Score = &v
			at := s.Updated
			row.LastSeen = &at
		}
		out.Neurons = append(out.Neurons, row)
	}
	return out, nil
}

// trust returns Yuma's validator trust of o's epoch, which the store does
// not keep: it reruns the validator's settlement of that epoch with the rows
// it held then (each validator's latest reveal of an earlier epoch) and the
// previous output's bonds, and keeps the result only if it reproduces the
// stored incentive and dividends exactly (not when, e.g., stake changed
// since). Results are cached by epoch.
func (d *dashSource) trust(mg *chain.Metagraph, o *store.EpochOutput) []uint16 {
	d.mu.Lock()
	t, done := d.vtrust[o.Epoch]
	d.mu.Unlock()
	if done {
		return t
	}
	reveals, err := d.st.AllReveals()
	if err != nil || o.Epoch == 0 {
		return nil
	}
	latest := map[common.Address]weights.Revealed{}
	for _, r := range reveals {
		if r.Epoch < o.Epoch && r.Epoch >= latest[r.Validator].Epoch {
			latest[r.Validator] = weights.Revealed{Validator: r.Validator, Epoch: r.Epoch, UIDs: r.UIDs, Values: r.Values}
		}
	}
	rows := make([]weights.Revealed, 0, len(latest))
	for _, r := range latest {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Validator.Cmp(rows[j].Validator) < 0 })
	var prev *store.EpochOutput
	if p, err := d.st.Output(o.Epoch - 1); err == nil {
		prev = &p
	}
	s, err := validator.Settle(o.Epoch, mg, rows, prev, 1_000_000_000) // the emission does not change the shares
	if err == nil && slices.Equal(s.Output.IncentiveU16, o.Incentive) && slices.Equal(s.Output.DividendsU16, o.Dividends) {
		t = s.Output.ValidatorTrustU16
	}
	d.mu.Lock()
	d.vtrust[o.Epoch] = t
	d.mu.Unlock()
	return t
}

// readEvents reads the ledger's new events (at most every dashEventEvery),
// starting with the epochs the panels show; what a slow endpoint managed to
// return before the deadline is kept and reading goes on from there.
func (d *dashSource) readEvents(ctx context.Context, mg *chain.Metagraph) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.noLogs || time.Since(d.readAt) < dashEventEvery {
		return
	}
	d.readAt = time.Now()
	if d.next == 0 {
		d.next = mg.Block - min(mg.Block, (max(dashEpochs, dashHistory)+1)*mg.EpochLength)
	}
	c := d.ms.Client()
	fin, next, err := c.FinalizedEpochs(ctx, d.next)
	if errors.Is(err, chain.ErrNoLogs) {
		d.noLogs = true
		return
	}
	if err != nil {
		d.log.Debug("dashboard: ledger events", zap.Error(err))
	}
	claims, next2, err := c.Claims(ctx, d.next)
	if err != nil {
		d.log.Debug("dashboard: claims", zap.Error(err))
	}
	for _, f := range fin {
		d.final[f.Epoch] = f
	}
	for _, cl := range claims {
		if d.claimed[cl.Epoch] == nil {
			d.claimed[cl.Epoch] = map[uint16]*big.Int{}
		}
		d.claimed[cl.Epoch][cl.UID] = cl.Amount
	}
	d.next = max(d.next, min(next, next2))
}

// Epochs implements gateway.DashboardSource: the latest epochs, newest
// first, with their state on the ledger (the finalising transaction from
// its EpochFinalized event) and, in a validator, whether it settled them.
func (d *dashSource) Epochs(ctx context.Context) ([]gateway.DashEpoch, error) {
	mg, err := d.metagraph(ctx)
	if err != nil {
		return nil, err
	}
	if mg.EpochLength == 0 {
		return nil, gateway.ErrNoData
	}
	d.readEvents(ctx, mg)
	cur := mg.Block / mg.EpochLength
	outputs := map[uint64]store.EpochOutput{}
	if d.st != nil {
		outs, err := d.st.RecentOutputs(dashEpochs)
		if err != nil {
			return nil, err
		}
		for _, o := range outs {
			outputs[o.Epoch] = o
		}
	}
	d.mu.Lock()
	noLogs := d.noLogs
	final := make(map[uint64]chain.FinalizedEpoch, len(d.final))
	for k, v := range d.final {
		final[k] = v
	}
	d.mu.Unlock()
	var list []gateway.DashEpoch
	for e := cur; e >= 1 && cur-e < dashEpochs; e-- {
		row := gateway.DashEpoch{Epoch: e, Status: "not final"}
		if e == cur {
			row.Status = "in progress"
		}
		if o, ok := outputs[e]; ok {
			row.Status = "settled"
			if o.Root == (common.Hash{}) {
				row.Status = "pays nothing"
			} else {
				row.Root = o.Root.Hex()
			}
			if w, ok := new(big.Int).SetString(o.Total, 10); ok {
				row.Total = dashCoins(w)
			}
		}
		if f, ok := final[e]; ok {
			row.Status, row.Root, row.Total, row.TxHash, row.Block = "finalized", f.EmissionsRoot.Hex(),
				dashCoins(f.TotalEmission), f.TxHash.Hex(), f.Block
			if f.TotalStake != nil && f.TotalStake.Sign() > 0 {
				q := new(big.Int).Quo(new(big.Int).Mul(f.SignedStake, big.NewInt(1000)), f.TotalStake)
				row.Quorum = fmt.Sprintf("%d.%d%%", q.Int64()/10, q.Int64()%10)
			}
		} else if noLogs && e < cur && row.Status != "pays nothing" {
			// Without log filtering, the ledger's state still says which
			// epochs are final (without their transaction).
			st, err := d.ms.Client().EpochStatus(ctx, e)
			if err == nil && st.Finalized {
				row.Status, row.Root, row.Total = "finalized", st.EmissionsRoot.Hex(), dashCoins(st.TotalEmission)
			}
		}
		list = append(list, row)
	}
	return list, nil
}

// ScoreHistory implements gateway.DashboardSource: in a validator, each
// miner's incentive in this validator's latest epoch outputs; otherwise
// the emissions miners claimed on the ledger, by epoch.
func (d *dashSource) ScoreHistory(ctx context.Context) (*gateway.DashScores, error) {
	mg, err := d.metagraph(ctx)
	if err != nil {
		return nil, err
	}
	series := map[uint16]*gateway.DashSeries{}
	add := func(uid uint16, e uint64, v float64) {
		s := series[uid]
		if s == nil {
			s = &gateway.DashSeries{UID: uid, Address: mg.Neurons[uid].Hotkey.Hex()}
			series[uid] = s
		}
		s.Points = append(s.Points, gateway.DashPoint{Epoch: e, Value: v})
	}
	miner := func(uid int) bool { return uid < len(mg.Neurons) && mg.Neurons[uid].Role == chain.RoleMiner }
	out := &gateway.DashScores{}
	if d.st != nil {
		out.Metric = "incentive"
		outs, err := d.st.RecentOutputs(dashHistory)
		if err != nil {
			return nil, err
		}
		for i := len(outs) - 1; i >= 0; i-- { // oldest first
			o := &outs[i]
			for uid := range o.Incentive {
				if miner(uid) && current(o, uid, mg.Neurons[uid].Hotkey) {
					add(uint16(uid), o.Epoch, *u16share(o.Incentive, uid))
				}
			}
		}
	} else {
		out.Metric = "claimed emission, coins"
		d.readEvents(ctx, mg)
		d.mu.Lock()
		epochs := make([]uint64, 0, len(d.claimed))
		for e := range d.claimed {
			epochs = append(epochs, e)
		}
		sort.Slice(epochs, func(i, j int) bool { return epochs[i] < epochs[j] })
		if len(epochs) > dashHistory {
			epochs = epochs[len(epochs)-dashHistory:]
		}
		for _, e := range epochs {
			for uid, amt := range d.claimed[e] {
				if miner(int(uid)) {
					f, _ := new(big.Float).Quo(new(big.Float).SetInt(amt), big.NewFloat(1e18)).Float64()
					add(uid, e, f)
				}
			}
		}
		d.mu.Unlock()
	}
	uids := make([]int, 0, len(series))
	for uid := range series {
		uids = append(uids, int(uid))
	}
	sort.Ints(uids)
	for _, uid := range uids {
		s := series[uint16(uid)]
		sort.Slice(s.Points, func(i, j int) bool { return s.Points[i].Epoch < s.Points[j].Epoch })
		out.Series = append(out.Series, *s)
	}
	return out, nil
}
