package validator

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/scoring/yuma"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/weights"
)

// StakeUnit converts the chain's stake (wei) into Yuma's u64 stake units
// and Yuma's u64 emission units back into wei: 1e9 wei (one "gwei", the
// analogue of Subtensor's rao for a coin with 18 decimals).
var StakeUnit = big.NewInt(1_000_000_000)

// Settlement is one epoch's consensus result.
type Settlement struct {
	Epoch   uint64
	Output  yuma.Output
	Tree    *chain.Tree // nil when nothing is paid
	Hotkeys []common.Address
}

// Settle runs Yuma Consensus for epoch over the revealed rows and the
// metagraph's stake, and builds the Merkle tree of emissions (emission
// units × StakeUnit wei per uid, paid to each uid's hotkey). prev is the
// previous epoch's stored output (bonds), nil for the first. Every
// validator with the same inputs computes the same tree.
func Settle(epoch uint64, mg *chain.Metagraph, rows []weights.Revealed, prev *store.EpochOutput, emission uint64) (*Settlement, error) {
	n := len(mg.Neurons)
	if n == 0 {
		return nil, fmt.Errorf("settle epoch %d: empty metagraph", epoch)
	}
	stake := make([]uint64, n)
	permits := make([]bool, n)
	for i, nu := range mg.Neurons {
		if nu.Stake != nil && nu.Stake.Sign() > 0 {
			s := new(big.Int).Quo(nu.Stake, StakeUnit)
			if s.IsUint64() {
				stake[i] = s.Uint64()
			} else {
				stake[i] = ^uint64(0)
			}
		}
		permits[i] = nu.ValidatorPermit
	}
	in := yuma.DefaultInput(stake)
	in.RaoEmission = emission
	in.ValidatorPermits = permits
	if mg.MaxValidators > 0 {
		in.MaxAllowedValidators = int(mg.MaxValidators)
	}
	in.Weights = weights.Matrix(rows, n, func(a common.Address) (uint16, bool) {
		nu, ok := mg.Lookup(a)
		return nu.UID, ok && nu.Role == chain.RoleValidator
	})
	if mg.EpochLength > 0 {
		in.Blocks = blocksOf(epoch, mg, rows)
	}
	if prev != nil {
		// A uid whose hotkey changed since the previous epoch is a new
		// neuron: its bonds (row and column) start from zero, as Subtensor
		// clears them when it replaces a neuron.
		replaced := func(uid int) bool {
			return uid < len(prev.Hotkeys) && prev.Hotkeys[uid] != mg.Neurons[uid].Hotkey
		}
		for i, row := range prev.Bonds {
			if i >= n {
				break
			}
			var r []yuma.Entry
			if !replaced(i) {
				for u, v := range row {
					if u < n && v > 0 && !replaced(u) {
						r = append(r, yuma.Entry{UID: uint16(u), Value: v})
					}
				}
			}
			in.Bonds = append(in.Bonds, r)
		}
	}
	out, err := yuma.Run(in)
	if err != nil {
		return nil, fmt.Errorf("settle epoch %d: %w", epoch, err)
	}
	s := &Settlement{Epoch: epoch, Output: out}
	for _, nu := range mg.Neurons {
		s.Hotkeys = append(s.Hotkeys, nu.Hotkey)
	}
	var es []chain.Emission
	for uid, e := range out.CombinedEmission {
		if e == 0 {
			continue
		}
		amt := new(big.Int).Mul(new(big.Int).SetUint64(e), StakeUnit)
		es = append(es, chain.Emission{UID: uint16(uid), Account: mg.Neurons[uid].Hotkey, Amount: amt})
	}
	if len(es) == 0 {
		return s, nil
	}
	if s.Tree, err = chain.NewTree(epoch, es); err != nil {
		return nil, fmt.Errorf("settle epoch %d: %w", epoch, err)
	}
	return s, nil
}

// blocksOf is Yuma's block input for epoch, from the chain: the epoch
// settles at its last boundary (current block (epoch+1)·L, the previous step
// at epoch·L); registration blocks come from the metagraph; a validator's
// last update is its registration or the commit of the row in force,
// whichever is later. Every validator must compute the same value, so a
// commit counts at the last block of its commit epoch (the commit message
// carries no block; the validators' CommitAt fractions differ). Subtensor
// masks a weight (i, j) set at or before uid j's registration, drops bonds
// to uids registered since the previous step and treats validators that did
// not update within the activity cutoff as inactive (their stake stops
// counting); so does this. The cutoff is Subtensor's default factor
// (13 889/1000 epochs: 2 083 blocks at L = 150, 5 000 at 360).
func blocksOf(epoch uint64, mg *chain.Metagraph, rows []weights.Revealed) *yuma.Blocks {
	L := mg.EpochLength
	n := len(mg.Neurons)
	b := &yuma.Blocks{
		CurrentBlock:        (epoch + 1) * L,
		Tempo:               L,
		ActivityCutoff:      yuma.ActivityCutoff(yuma.DefaultActivityCutoffFactorMilli, L),
		LastStepBlock:       epoch * L,
		LastUpdate:          make([]uint64, n),
		BlockAtRegistration: make([]uint64, n),
	}
	for i, nu := range mg.Neurons {
		b.BlockAtRegistration[i] = nu.RegisteredAt
		b.LastUpdate[i] = nu.RegisteredAt
	}
	for _, r := range rows {
		nu, ok := mg.Lookup(r.Validator)
		if !ok || nu.Role != chain.RoleValidator || int(nu.UID) >= n {
			continue
		}
		b.LastUpdate[nu.UID] = max(b.LastUpdate[nu.UID], (r.Epoch+1)*L-1)
	}
	return b
}

// Record is the stored form of s (dense bonds, emissions as decimals).
func (s *Settlement) Record() store.EpochOutput {
	o := store.EpochOutput{Epoch: s.Epoch, Incentive: s.Output.IncentiveU16, Dividends: s.Output.DividendsU16, Permits: s.Output.NewValidatorPermits, Total: "0", Hotkeys: s.Hotkeys}
	n := len(s.Output.CombinedEmission)
	for _, e := range s.Output.CombinedEmission {
		o.Emissions = append(o.Emissions, new(big.Int).Mul(new(big.Int).SetUint64(e), StakeUnit).String())
	}
	o.Bonds = make([][]uint16, n)
	for i := range o.Bonds {
		o.Bonds[i] = make([]uint16, n)
		if i < len(s.Output.Bonds) {
			for _, en := range s.Output.Bonds[i] {
				if int(en.UID) < n {
					o.Bonds[i][en.UID] = en.Value
				}
			}
		}
	}
	if s.Tree != nil {
		o.Root, o.Total = s.Tree.Root(), s.Tree.Total().String()
	}
	return o
}
