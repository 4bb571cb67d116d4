package yuma

import (
	"fmt"
	"math"
)

// MaxUIDs is the largest subnet Run accepts (Subtensor's default
// MaxAllowedUids; the epoch's work and memory grow with it).
const MaxUIDs = 4096

// Entry is one stored (uid, u16) cell of a Weights or Bonds row.
type Entry struct {
	UID   uint16
	Value uint16
}

// Blocks carries the block-number inputs of an epoch. Without them (Input.Blocks
// nil) nothing is masked as outdated and activity comes from Input.Active.
type Blocks struct {
	CurrentBlock   uint64
	Tempo          uint64
	ActivityCutoff uint64 // in blocks
	// LastUpdate[i] is the block uid i last set (or committed) weights.
	LastUpdate []uint64
	// BlockAtRegistration[j] is the block uid j was last registered.
	BlockAtRegistration []uint64
	// LastStepBlock is LastMechansimStepBlock: the block of the previous
	// epoch, 0 if none (then bond masking uses CurrentBlock − Tempo).
	LastStepBlock uint64
	// CommitBlocks, when non-nil, turns on the commit-reveal mask: the
	// earliest unexpired commit block of each uid (math.MaxUint64 = none).
	CommitBlocks []uint64
}

// Input is everything one epoch reads (YUMA.md §2). Build it with
// DefaultInput and override fields; Run validates it.
type Input struct {
	// Stake is each uid's total stake in rao (the I64F64 of §2, here an
	// integer). n = len(Stake).
	Stake []uint64
	// Weights are the stored rows (set_weights's max-upscaled u16 values, in
	// submission order, explicit zeros kept). len(Weights) ≤ n; missing rows
	// are empty.
	Weights [][]Entry
	// Bonds are the stored bond rows: u16 proportions (Yuma3) or column
	// max-upscaled u16 (original Yuma). len(Bonds) ≤ n.
	Bonds [][]Entry

	Kappa        I32F32 // κ, KappaFromU16(32767) by default
	BondsPenalty I32F32 // β in [0, 1], 1 by default
	// BondAlpha is the fixed EMA α = 1 − bonds_moving_average/1e6
	// (AlphaFromMovingAverage).
	BondAlpha             I32F32
	Yuma3                 bool
	LiquidAlpha           bool
	AlphaLow, AlphaHigh   I32F32
	AlphaSigmoidSteepness I32F32

	MaxAllowedValidators int
	// OwnerUID is the subnet owner's uid, nil for none. The owner is exempt
	// from StakeThreshold, always holds a permit and keeps its self-weight.
	OwnerUID       *uint16
	StakeThreshold uint64
	RaoEmission    uint64

	// ValidatorPermits are the permits stored by the previous epoch; nil
	// means the top-MaxAllowedValidators uids by non-zero stake.
	ValidatorPermits []bool
	// Active marks uids that updated within the activity cutoff; nil means
	// all active (or, with Blocks, computed from LastUpdate).
	Active []bool
	Blocks *Blocks
}

// Output is what one epoch computes (YUMA.md §3).
type Output struct {
	Active []bool
	// Stake is S, the normalised stake; ActiveStake is S masked to active
	// permitted validators and renormalised.
	Stake, ActiveStake []I32F32
	Consensus          []I32F32
	Incentive          []I32F32
	Dividends          []I32F32
	ValidatorTrust     []I32F32

	StakeWeightU16, ConsensusU16, IncentiveU16, DividendsU16, ValidatorTrustU16 []uint16

	ServerEmission, ValidatorEmission, CombinedEmission []uint64

	// Bonds are the new stored bond rows (empty for uids without a new
	// permit), in the encoding of the variant that ran.
	Bonds               [][]Entry
	NewValidatorPermits []bool
}

// Defaults of a new Subtensor subnet (YUMA.md §5).
const (
	DefaultKappaU16              = 32767
	DefaultBondsMovingAverage    = 900000
	DefaultBondsPenaltyU16       = 65535
	DefaultAlphaLowU16           = 45875
	DefaultAlphaHighU16          = 58982
	DefaultAlphaSigmoidSteepness = 1000
	DefaultMaxAllowedValidators  = 64
	DefaultRaoEmission           = 1_000_000_000
)

// DefaultActivityCutoffFactorMilli is Subtensor's ActivityCutoffFactorMilli
// default (13 889 ⇒ 5 000 blocks at tempo 360).
const DefaultActivityCutoffFactorMilli = 13889

// ActivityCutoff is the epoch's activity cutoff in blocks:
// max(1, factorMilli × tempo / 1000).
func ActivityCutoff(factorMilli, tempo uint64) uint64 { return max(1, factorMilli*tempo/1000) }

// KappaFromU16 is get_float_kappa: k / 65535.
func KappaFromU16(k uint16) I32F32 { return U16Proportion(k) }

// AlphaFromMovingAverage is 1 − bma/1e6 computed as Subtensor does (I64F64
// division, floored to I32F32, saturating subtraction).
func AlphaFromMovingAverage(bma uint64) I32F32 {
	r := I64F64FromUint64(bma).Div(I64F64FromUint64(1_000_000))
	return One.Sub(r.ToI32F32())
}

// DefaultInput returns an Input for stake with a new subnet's defaults:
// Yuma3, κ = 32767/65535, β = 1, α = 0.1, no liquid alpha, 64 validators,
// 1e9 rao.
func DefaultInput(stake []uint64) Input {
	return Input{
		Stake:                 stake,
		Kappa:                 KappaFromU16(DefaultKappaU16),
		BondsPenalty:          U16Proportion(DefaultBondsPenaltyU16),
		BondAlpha:             AlphaFromMovingAverage(DefaultBondsMovingAverage),
		Yuma3:                 true,
		AlphaLow:              U16Proportion(DefaultAlphaLowU16),
		AlphaHigh:             U16Proportion(DefaultAlphaHighU16),
		AlphaSigmoidSteepness: FromInt(DefaultAlphaSigmoidSteepness),
		MaxAllowedValidators:  DefaultMaxAllowedValidators,
		RaoEmission:           DefaultRaoEmission,
	}
}

func checkRows(name string, rows [][]Entry, n int, noDup bool) error {
	if len(rows) > n {
		return fieldErr(name, "%d rows for %d uids (more rows than stakes)", len(rows), n)
	}
	seen := make([]int, n)
	for i, row := range rows {
		for k, e := range row {
			if int(e.UID) >= n {
				return fieldErr(fmt.Sprintf("%s[%d][%d]", name, i, k), "uid %d out of range [0, %d)", e.UID, n)
			}
			if noDup {
				if seen[e.UID] == i+1 {
					return fieldErr(fmt.Sprintf("%s[%d][%d]", name, i, k), "duplicate uid %d in row", e.UID)
				}
				seen[e.UID] = i + 1
			}
		}
	}
	return nil
}

func checkUnit(name string, v I32F32) error {
	if v < 0 || v > One {
		return fieldErr(name, "%s is outside [0, 1]", v)
	}
	return nil
}

// Validate reports the first malformed field of in.
func (in *Input) Validate() error {
	n := len(in.Stake)
	if n == 0 {
		return fieldErr("stake", "empty: a subnet has at least one uid")
	}
	if n > MaxUIDs {
		return fieldErr("stake", "%d uids, more than %d", n, MaxUIDs)
	}
	var total uint64
	for _, s := range in.Stake {
		if s > math.MaxInt64-total {
			return fieldErr("stake", "total stake exceeds %d rao (the I64F64 range)", int64(math.MaxInt64))
		}
		total += s
	}
	if err := checkRows("weights", in.Weights, n, true); err != nil {
		return err
	}
	if err := checkRows("bonds", in.Bonds, n, true); err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		v    I32F32
	}{{"kappa", in.Kappa}, {"bonds_penalty", in.BondsPenalty}, {"bond_alpha", in.BondAlpha},
		{"alpha_low", in.AlphaLow}, {"alpha_high", in.AlphaHigh}} {
		if err := checkUnit(c.name, c.v); err != nil {
			return err
		}
	}
	if in.AlphaLow > in.AlphaHigh {
		return fieldErr("alpha_low", "alpha_low %s exceeds alpha_high %s", in.AlphaLow, in.AlphaHigh)
	}
	if in.MaxAllowedValidators < 0 || in.MaxAllowedValidators > math.MaxUint16 {
		return fieldErr("max_allowed_validators", "%d is outside [0, 65535]", in.MaxAllowedValidators)
	}
	if in.OwnerUID != nil && int(*in.OwnerUID) >= n {
		return fieldErr("owner_uid", "uid %d out of range [0, %d)", *in.OwnerUID, n)
	}
	if in.ValidatorPermits != nil && len(in.ValidatorPermits) != n {
		return fieldErr("validator_permits", "%d values for %d uids", len(in.ValidatorPermits), n)
	}
	if in.Active != nil && len(in.Active) != n {
		return fieldErr("active", "%d values for %d uids", len(in.Active), n)
	}
	if b := in.Blocks; b != nil {
		if in.Active != nil {
			return fieldErr("active", "set together with blocks (activity is computed from last_update)")
		}
		if len(b.LastUpdate) != n {
			return fieldErr("last_update", "%d values for %d uids", len(b.LastUpdate), n)
		}
		if len(b.BlockAtRegistration) != n {
			return fieldErr("block_at_registration", "%d values for %d uids", len(b.BlockAtRegistration), n)
		}
		if b.CommitBlocks != nil && len(b.CommitBlocks) != n {
			return fieldErr("commit_blocks", "%d values for %d uids", len(b.CommitBlocks), n)
		}
	}
	return nil
}

// toSparse converts stored u16 rows to n I32F32 rows holding the integer
// values (get_weights_sparse / get_bonds_sparse).
func toSparse(rows [][]Entry, n int) sparse {
	m := make(sparse, n)
	for i, row := range rows {
		r := make([]entry, len(row))
		for k, e := range row {
			r[k] = entry{int(e.UID), FromU16(e.Value)}
		}
		m[i] = r
	}
	return m
}

// Run computes one epoch exactly as Subtensor's epoch_mechanism (YUMA.md §4).
func Run(in Input) (Output, error) {
	if err := in.Validate(); err != nil {
		return Output{}, err
	}
	n := len(in.Stake)
	owner := -1
	if in.OwnerUID != nil {
		owner = int(*in.OwnerUID)
	}
	blk := in.Blocks

	// A. Activity.
	active := make([]bool, n)
	for i := range active {
		switch {
		case in.Active != nil:
			active[i] = in.Active[i]
		case blk != nil:
			lu := blk.LastUpdate[i]
			cut := lu + blk.ActivityCutoff
			if cut < lu {
				cut = math.MaxUint64
			}
			active[i] = !(cut < blk.CurrentBlock)
		default:
			active[i] = true
		}
	}

	// S. Stake: threshold filter (owner exempt), normalise in I64F64, floor to I32F32.
	filtered := make([]I64F64, n)
	for i, s := range in.Stake {
		v := I64F64FromUint64(s)
		if i != owner && v.ToU64() < in.StakeThreshold {
			v = I64F64{}
		}
		filtered[i] = v
	}
	stake := normalize64(filtered)

	// P. Permits: this epoch uses the stored ones; the new ones are stored.
	newPermits := isTopkNonzero(stake, in.MaxAllowedValidators)
	permits := in.ValidatorPermits
	if permits == nil {
		permits = newPermits
	}
	permits = append([]bool(nil), permits...)
	if owner >= 0 {
		permits[owner] = true
		newPermits[owner] = true
	}
	forbids := make([]bool, n)
	for i, p := range permits {
		forbids[i] = !p
	}

	// AS. Active stake.
	activeStake := append([]I32F32(nil), stake...)
	for i := range activeStake {
		if !active[i] || forbids[i] {
			activeStake[i] = 0
		}
	}
	inplaceNormalize(activeStake)

	// W. Weights.
	w := toSparse(in.Weights, n)
	w = maskRows(forbids, w)
	w = maskDiag(w, owner)
	if blk != nil {
		w = vecMask(w, blk.LastUpdate, blk.BlockAtRegistration, func(upd, reg uint64) bool { return upd <= reg })
		if blk.CommitBlocks != nil {
			w = vecMask(w, blk.CommitBlocks, blk.BlockAtRegistration, func(cb, reg uint64) bool { return cb < reg })
		}
	}
	rowNormalize(w)

	// C. Consensus, clipping, validator trust.
	consensus := weightedMedianCol(activeStake, w, n, in.Kappa)
	clipped := colClip(w, consensus)
	vtrust := rowSum(clipped)

	// R. Incentive.
	incentive := matmul(clipped, activeStake, n)
	inplaceNormalize(incentive)

	// BP. Weights for bonds.
	wb := interpolate(w, clipped, n, in.BondsPenalty)

	// BM. Bond masking.
	bonds := toSparse(in.Bonds, n)
	maskBonds := func(b sparse) sparse {
		if blk == nil {
			return b
		}
		var lastTempo uint64
		if blk.LastStepBlock == 0 {
			if blk.CurrentBlock > blk.Tempo {
				lastTempo = blk.CurrentBlock - blk.Tempo
			}
		} else {
			lastTempo = blk.LastStepBlock + 1
		}
		out := make(sparse, len(b))
		for i, row := range b {
			r := make([]entry, 0, len(row))
			for _, e := range row {
				if !(lastTempo <= blk.BlockAtRegistration[e.j]) {
					r = append(r, e)
				}
			}
			out[i] = r
		}
		return out
	}

	var dividends []I32F32
	var ema sparse
	if in.Yuma3 {
		u16max := FromU16(math.MaxUint16)
		for _, row := range bonds {
			for k := range row {
				row[k].v = row[k].v.Div(u16max)
			}
		}
		bonds = maskBonds(bonds)
		liquid := false
		if in.LiquidAlpha {
			for _, c := range consensus {
				if c != 0 {
					liquid = true
					break
				}
			}
		}
		if liquid {
			alphas := liquidAlphas(wb, bonds, consensus, in.AlphaLow, in.AlphaHigh, in.AlphaSigmoidSteepness)
			ema = matEMAAlpha(wb, bonds, alphas)
		} else {
			ema = matEMA(wb, bonds, in.BondAlpha)
		}
		norm := make(sparse, n)
		for i, row := range ema {
			norm[i] = append([]entry(nil), row...)
		}
		colNormalize(norm, n)
		tb := rowSum(matVecMul(norm, incentive))
		dividends = vecMul(tb, activeStake)
		inplaceNormalize(dividends)
	} else {
		bonds = maskBonds(bonds)
		colNormalize(bonds, n)
		delta := rowHadamard(wb, activeStake)
		colNormalize(delta, n)
		ema = matEMA(delta, bonds, in.BondAlpha)
		colNormalize(ema, n)
		dividends = matmulTranspose(ema, incentive)
		inplaceNormalize(dividends)
		colMaxUpscale(ema, n)
	}

	// E. Emission.
	combined := make([]I32F32, n)
	for i := range combined {
		combined[i] = incentive[i].Add(dividends[i])
	}
	esum := sum(combined)
	nse := append([]I32F32(nil), incentive...)
	nve := append([]I32F32(nil), dividends...)
	nce := append([]I32F32(nil), combined...)
	normalizeUsingSum(nse, esum)
	normalizeUsingSum(nve, esum)
	inplaceNormalize(nce)
	if esum == 0 {
		src := activeStake
		if isZero(activeStake) {
			src = stake
		}
		copy(nve, src)
		copy(nce, src)
	}
	rao := I96F32FromUint64(in.RaoEmission)
	toRao := func(x []I32F32) []uint64 {
		out := make([]uint64, len(x))
		for i, v := range x {
			out[i] = I96F32FromI32F32(v).Mul(rao).ToU64()
		}
		return out
	}

	// O. Outputs.
	toU16 := func(x []I32F32) []uint16 {
		out := make([]uint16, len(x))
		for i, v := range x {
			out[i] = ProportionToU16(v)
		}
		return out
	}
	newBonds := make([][]Entry, n)
	for i := range newBonds {
		if !newPermits[i] {
			newBonds[i] = []Entry{}
			continue
		}
		row := make([]Entry, len(ema[i]))
		for k, e := range ema[i] {
			row[k] = Entry{uint16(e.j), ProportionToU16(e.v)}
		}
		newBonds[i] = row
	}
	return Output{
		Active:              active,
		Stake:               stake,
		ActiveStake:         activeStake,
		Consensus:           consensus,
		Incentive:           incentive,
		Dividends:           dividends,
		ValidatorTrust:      vtrust,
		StakeWeightU16:      toU16(stake),
		ConsensusU16:        toU16(consensus),
		IncentiveU16:        toU16(incentive),
		DividendsU16:        toU16(dividends),
		ValidatorTrustU16:   toU16(vtrust),
		ServerEmission:      toRao(nse),
		ValidatorEmission:   toRao(nve),
		CombinedEmission:    toRao(nce),
		Bonds:               newBonds,
		NewValidatorPermits: newPermits,
	}, nil
}

// DenseBonds expands bond rows to an n×n matrix of stored u16 values.
func DenseBonds(rows [][]Entry, n int) [][]uint16 {
	out := make([][]uint16, n)
	for i := range out {
		out[i] = make([]uint16, n)
		if i < len(rows) {
			for _, e := range rows[i] {
				out[i][e.UID] = e.Value
			}
		}
	}
	return out
}

// ResetBondsColumn is do_reset_bonds (BondsResetOn): it returns bonds with
// column uid removed from every row, as the runtime does when uid's hotkey
// publishes a metadata commitment. The input is not modified.
func ResetBondsColumn(bonds [][]Entry, uid uint16) [][]Entry {
	out := make([][]Entry, len(bonds))
	for i, row := range bonds {
		r := make([]Entry, 0, len(row))
		for _, e := range row {
			if e.UID != uid {
				r = append(r, e)
			}
		}
		out[i] = r
	}
	return out
}
