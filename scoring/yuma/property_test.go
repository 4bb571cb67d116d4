package yuma

import (
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// randomInput draws an epoch input with distinct non-zero stakes (so top-k
// has no ties), column-sorted weight rows (as liquid alpha assumes), random
// bonds, permits, activity and parameters.
func randomInput(rng *rand.Rand) Input {
	n := 2 + rng.Intn(40)
	stake := make([]uint64, n)
	used := map[uint64]bool{0: true}
	for i := range stake {
		if rng.Intn(4) == 0 {
			continue // zero stake
		}
		for {
			s := uint64(1 + rng.Int63n(1_000_000_000_000))
			if !used[s] {
				used[s] = true
				stake[i] = s
				break
			}
		}
	}
	in := DefaultInput(stake)
	in.Yuma3 = rng.Intn(3) != 0
	in.LiquidAlpha = rng.Intn(2) == 0
	in.Kappa = KappaFromU16(uint16(rng.Intn(65536)))
	in.BondsPenalty = []I32F32{0, One, U16Proportion(uint16(rng.Intn(65536)))}[rng.Intn(3)]
	in.BondAlpha = AlphaFromMovingAverage(uint64(rng.Intn(1_000_001)))
	in.MaxAllowedValidators = 1 + rng.Intn(n+2)
	in.RaoEmission = []uint64{1_000_000_000, uint64(rng.Int63n(1 << 50)), 1}[rng.Intn(3)]
	if rng.Intn(3) == 0 {
		o := uint16(rng.Intn(n))
		in.OwnerUID = &o
	}
	if rng.Intn(2) == 0 {
		in.ValidatorPermits = make([]bool, n)
		for i := range in.ValidatorPermits {
			in.ValidatorPermits[i] = rng.Intn(3) != 0
		}
	}
	if rng.Intn(2) == 0 {
		in.Active = make([]bool, n)
		for i := range in.Active {
			in.Active[i] = rng.Intn(5) != 0
		}
	}
	randRows := func(maxVal int) [][]Entry {
		rows := make([][]Entry, n)
		for i := range rows {
			if rng.Intn(3) == 0 {
				continue
			}
			for j := 0; j < n; j++ {
				if rng.Intn(3) == 0 {
					rows[i] = append(rows[i], Entry{uint16(j), uint16(rng.Intn(maxVal + 1))})
				}
			}
		}
		return rows
	}
	in.Weights = randRows(65535)
	in.Bonds = randRows(65535)
	return in
}

func permuteInput(in Input, perm []int) Input {
	n := len(in.Stake)
	out := in
	out.Stake = make([]uint64, n)
	for i, p := range perm {
		out.Stake[p] = in.Stake[i]
	}
	mapRows := func(rows [][]Entry) [][]Entry {
		res := make([][]Entry, n)
		for i, row := range rows {
			r := make([]Entry, len(row))
			for k, e := range row {
				r[k] = Entry{uint16(perm[e.UID]), e.Value}
			}
			slices.SortFunc(r, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
			res[perm[i]] = r
		}
		return res
	}
	out.Weights = mapRows(in.Weights)
	out.Bonds = mapRows(in.Bonds)
	permBools := func(b []bool) []bool {
		if b == nil {
			return nil
		}
		res := make([]bool, n)
		for i, p := range perm {
			res[p] = b[i]
		}
		return res
	}
	out.ValidatorPermits = permBools(in.ValidatorPermits)
	out.Active = permBools(in.Active)
	if in.OwnerUID != nil {
		o := uint16(perm[*in.OwnerUID])
		out.OwnerUID = &o
	}
	return out
}

func bondMap(rows [][]Entry) map[[2]int]uint16 {
	m := map[[2]int]uint16{}
	for i, row := range rows {
		for _, e := range row {
			m[[2]int{i, int(e.UID)}] = e.Value
		}
	}
	return m
}

// Property: Σ emission ≤ rao_emission with a rounding loss of at most n rao
// (for rao_emission ≤ 2^32; above that the normalisation error adds
// n·rao·2^-32).
func TestPropertyEmissionConservation(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for rep := 0; rep < 400; rep++ {
		in := randomInput(rng)
		out, err := Run(in)
		if err != nil {
			t.Fatal(err)
		}
		n := uint64(len(in.Stake))
		rao := in.RaoEmission
		// Floors lose < 1 rao per uid; the I32F32 normalisation loses at most
		// 2^-32 per uid, times rao. For rao ≤ 2^32 the bound "loss ≤ n"
		// holds (3 000 random epochs at 1e9 rao never exceeded it).
		bound := n
		if rao > 1<<32 {
			bound = n + n*(rao>>32) + n
		}
		var comb, split uint64
		for i := range out.CombinedEmission {
			comb += out.CombinedEmission[i]
			split += out.ServerEmission[i] + out.ValidatorEmission[i]
		}
		if comb > rao || split > rao {
			t.Fatalf("rep %d: Σ combined %d, Σ server+validator %d exceed %d", rep, comb, split, rao)
		}
		var totalStake uint64
		for _, s := range in.Stake {
			totalStake += s
		}
		if totalStake == 0 {
			continue // nothing to distribute to
		}
		if rao-comb > bound {
			t.Fatalf("rep %d: combined loss %d > %d (n=%d)", rep, rao-comb, bound, n)
		}
		if rao-split > 2*bound {
			t.Fatalf("rep %d: split loss %d > %d (n=%d)", rep, rao-split, 2*bound, n)
		}
	}
}

// Property: relabelling uids relabels every output.
func TestPropertyPermutationEquivariance(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for rep := 0; rep < 300; rep++ {
		in := randomInput(rng)
		n := len(in.Stake)
		// Sort the original rows too, so both runs see column-sorted rows.
		for _, rows := range [][][]Entry{in.Weights, in.Bonds} {
			for _, r := range rows {
				slices.SortFunc(r, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
			}
		}
		perm := rng.Perm(n)
		a, err := Run(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(permuteInput(in, perm))
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range perm {
			if a.Consensus[i] != b.Consensus[p] || a.Incentive[i] != b.Incentive[p] || a.Dividends[i] != b.Dividends[p] ||
				a.ValidatorTrust[i] != b.ValidatorTrust[p] || a.Stake[i] != b.Stake[p] ||
				a.CombinedEmission[i] != b.CombinedEmission[p] || a.ServerEmission[i] != b.ServerEmission[p] ||
				a.ValidatorEmission[i] != b.ValidatorEmission[p] || a.NewValidatorPermits[i] != b.NewValidatorPermits[p] {
				t.Fatalf("rep %d: uid %d → %d differs", rep, i, p)
			}
		}
		am, bm := bondMap(a.Bonds), bondMap(b.Bonds)
		if len(am) != len(bm) {
			t.Fatalf("rep %d: %d bonds vs %d after permutation", rep, len(am), len(bm))
		}
		for k, v := range am {
			if bm[[2]int{perm[k[0]], perm[k[1]]}] != v {
				t.Fatalf("rep %d: bond %v differs", rep, k)
			}
		}
	}
}

// Property: an epoch is a pure function (same input, same output) and never
// produces negative values.
func TestPropertyDeterministicNonNegative(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for rep := 0; rep < 200; rep++ {
		in := randomInput(rng)
		a, err := Run(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(in)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("rep %d: two runs differ", rep)
		}
		for _, v := range [][]I32F32{a.Stake, a.ActiveStake, a.Consensus, a.Incentive, a.Dividends, a.ValidatorTrust} {
			for i, x := range v {
				if x < 0 || x > One+FromBits(64) {
					t.Fatalf("rep %d: value %v at %d outside [0, 1]", rep, x, i)
				}
			}
		}
	}
}

func TestRunRejectsMalformedInput(t *testing.T) {
	good := func() Input {
		in := DefaultInput([]uint64{1, 2, 3})
		in.Weights = [][]Entry{{{1, 65535}}}
		return in
	}
	cases := []struct {
		name  string
		mod   func(*Input)
		field string
	}{
		{"empty", func(in *Input) { in.Stake = nil }, "stake"},
		{"rows", func(in *Input) { in.Weights = make([][]Entry, 4) }, "weights"},
		{"uid", func(in *Input) { in.Weights = [][]Entry{{{3, 1}}} }, "weights[0][0]"},
		{"dup", func(in *Input) { in.Weights = [][]Entry{{{1, 1}, {1, 2}}} }, "weights[0][1]"},
		{"bond uid", func(in *Input) { in.Bonds = [][]Entry{{}, {{9, 1}}} }, "bonds[1][0]"},
		{"kappa", func(in *Input) { in.Kappa = FromInt(2) }, "kappa"},
		{"permits", func(in *Input) { in.ValidatorPermits = []bool{true} }, "validator_permits"},
		{"active", func(in *Input) { in.Active = []bool{true} }, "active"},
		{"owner", func(in *Input) { o := uint16(3); in.OwnerUID = &o }, "owner_uid"},
		{"stake sum", func(in *Input) { in.Stake = []uint64{1 << 63, 1 << 63} }, "stake"},
		{"alpha order", func(in *Input) { in.AlphaLow, in.AlphaHigh = One, 0 }, "alpha_low"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good()
			c.mod(&in)
			_, err := Run(in)
			fe, ok := err.(*FieldError)
			if !ok || fe.Field != c.field {
				t.Fatalf("err = %v, want a FieldError on %q", err, c.field)
			}
		})
	}
	if _, err := Run(good()); err != nil {
		t.Fatal(err)
	}
}
