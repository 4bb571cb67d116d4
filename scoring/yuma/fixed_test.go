package yuma

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// fx is the Rust tests' I32F32::from_num(f64) (and fixed(f32) via fx32).
func fx(f float64) I32F32 { return FromF64(f) }

// fx32 is Subtensor's fixed(val: f32) / vec_to_fixed: from_num of an f32.
func fx32(f float32) I32F32 { return FromF64(float64(f)) }

func vecFx32(v ...float32) []I32F32 {
	out := make([]I32F32, len(v))
	for i, f := range v {
		out[i] = fx32(f)
	}
	return out
}

func TestFixedRoundingRules(t *testing.T) {
	// YUMA.md §1: multiplication floors (arithmetic shift), also for negatives.
	third := One.Div(FromInt(3)) // 0x55555555 truncated
	if got, want := third.Bits(), int64(0x55555555); got != want {
		t.Fatalf("1/3 bits = %#x, want %#x (division truncates)", got, want)
	}
	if got := FromBits(-1).Mul(FromBits(1)); got != FromBits(-1) {
		t.Fatalf("-2^-32 × 2^-32 = %d bits, want -1 (floor of a negative)", got)
	}
	if got := FromBits(3).Mul(fx(0.5)); got != FromBits(1) {
		t.Fatalf("3·2^-32 × 0.5 = %d bits, want 1 (floor)", got)
	}
	// Division truncates toward zero for negatives too.
	if got := FromInt(-1).Div(FromInt(3)); got != -third {
		t.Fatalf("-1/3 = %d, want %d", got, -third)
	}
	// safe_div: 0 on division by zero and on overflow.
	if got := One.Div(0); got != 0 {
		t.Fatalf("1/0 = %v, want 0", got)
	}
	if got := MaxI32F32.Div(FromBits(1)); got != 0 {
		t.Fatalf("MAX/2^-32 = %v, want 0 (overflow)", got)
	}
	// Saturating ops.
	if got := MaxI32F32.Add(One); got != MaxI32F32 {
		t.Fatalf("MAX+1 = %v", got)
	}
	if got := MinI32F32.Sub(One); got != MinI32F32 {
		t.Fatalf("MIN-1 = %v", got)
	}
	if got := FromInt(100000).Mul(FromInt(100000)); got != MaxI32F32 {
		t.Fatalf("1e5×1e5 = %v, want saturation", got)
	}
	if got := FromInt(-100000).Mul(FromInt(100000)); got != MinI32F32 {
		t.Fatalf("-1e5×1e5 = %v, want saturation", got)
	}
	// from f64: nearest, ties to even.
	if got := FromF64(math.Ldexp(1, -33)); got != 0 { // exactly half an ulp: tie to even 0
		t.Fatalf("2^-33 → %d bits, want 0", got)
	}
	if got := FromF64(math.Ldexp(3, -33)); got != 2 { // 1.5 ulp: tie to even 2
		t.Fatalf("3·2^-33 → %d bits, want 2", got)
	}
	if got := FromF64(0.1).Bits(); got != 429496730 { // 0.1·2^32 = 429496729.6
		t.Fatalf("0.1 → %d bits, want 429496730", got)
	}
	// to integer: floor, saturating.
	if got := FromF64(65535.9999).ToU16(); got != 65535 {
		t.Fatalf("ToU16 = %d", got)
	}
	if got := FromInt(70000).ToU16(); got != 65535 {
		t.Fatalf("ToU16 saturation = %d", got)
	}
	if got := FromInt(-1).ToU64(); got != 0 {
		t.Fatalf("ToU64(-1) = %d", got)
	}
	// round: ties away from zero.
	for _, c := range []struct{ in, want float64 }{{0.5, 1}, {1.5, 2}, {2.5, 3}, {-0.5, -1}, {-2.5, -3}, {2.4999, 2}} {
		if got := FromF64(c.in).Round(); got != FromF64(c.want) {
			t.Errorf("round(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// Port of tests/math.rs::test_math_fixed_overflow (the asserted part).
func TestMathFixedOverflow(t *testing.T) {
	if got := AlphaFromMovingAverage(900_000); got != fx(0.1) {
		t.Fatalf("alpha(900000) = %v (%d), want from_num(0.1)", got, got.Bits())
	}
	maxFrac := I64F64FromI32F32(MaxI32F32)
	if got := One.Sub(maxFrac.Div(maxFrac).ToI32F32()); got != 0 {
		t.Fatalf("1 - max/max = %v", got)
	}
	// prod_96 = I96F32(max_32) × I96F32(u64::MAX) must not saturate.
	p := I96F32FromI32F32(MaxI32F32).Mul(I96F32FromUint64(math.MaxUint64))
	if p.ToU64() != math.MaxUint64 {
		t.Fatalf("I96F32 product to u64 = %d, want saturation at u64::MAX", p.ToU64())
	}
}

// Port of tests/math.rs::test_math_u64_normalization.
func TestMathU64Normalization(t *testing.T) {
	const maxStake = 21_000_000_000_000_000
	frac := func(x uint64) I64F64 { return I64F64FromUint64(x).Div(I64F64FromUint64(maxStake)) }
	// min_frac == I64F64::from_num(0.0000000000000000476); as I32F32 it is 0.
	if got := frac(1).ToI32F32(); got != 0 {
		t.Fatalf("min frac → %v", got)
	}
	// min32_frac as I32F32 == I32F32::from_num(0.0000000002) (one ulp).
	if got := frac(4_889_444).ToI32F32(); got != fx(0.0000000002) {
		t.Fatalf("min32 frac → %d bits, want %d", got.Bits(), fx(0.0000000002).Bits())
	}
	if got := frac(10_500_000_000_000_000).ToI32F32(); got != fx(0.5) {
		t.Fatalf("half → %v", got)
	}
	if got := frac(maxStake).ToI32F32(); got != One {
		t.Fatalf("one → %v", got)
	}
}

// Port of tests/math.rs::test_math_fixed64_to_u64, _saturates,
// test_math_fixed64_to_fixed32(_saturates), test_vec_fixed64_to_fixed32(_saturates).
func TestMathFixed64Conversions(t *testing.T) {
	if got := I64F64FromUint64(math.MaxInt64).ToU64(); got != math.MaxInt64 {
		t.Fatalf("i64::MAX → %d", got)
	}
	if got := I64F64FromUint64(math.MaxInt64 / 2).ToU64(); got != math.MaxInt64/2 {
		t.Fatalf("i64::MAX/2 → %d", got)
	}
	if got := I64F64FromI32F32(FromInt(-1)).ToU64(); got != 0 {
		t.Fatalf("-1 → %d, want 0", got)
	}
	if got := I64F64FromUint64(math.MaxUint32 / 2).ToI32F32(); got != FromInt(math.MaxUint32/2) {
		t.Fatalf("u32::MAX/2 → %v", got)
	}
	if got := I64F64FromUint64(math.MaxUint32).ToI32F32(); got != MaxI32F32 {
		t.Fatalf("u32::MAX → %v, want saturation", got)
	}
	if got := I64F64FromUint64(math.MaxInt64).ToI32F32(); got != MaxI32F32 {
		t.Fatalf("i64::MAX → %v, want saturation", got)
	}
	if got := I64F64FromI32F32(FromInt(math.MinInt32)).ToI32F32(); got != FromInt(math.MinInt32) {
		t.Fatalf("i32::MIN → %v", got)
	}
}

// Port of tests/math.rs::test_math_to_num, test_fixed_proportion_to_u16(_saturates),
// test_math_u16_proportion_to_fixed, test_math_fixed_to_u16.
func TestMathToNum(t *testing.T) {
	if FromU16(65535).ToU16() != 65535 || FromU16(32767).ToU16() != 32767 || FromU16(0).ToU16() != 0 {
		t.Fatal("u16 round trip")
	}
	if MaxI32F32.ToU64() != math.MaxInt32 {
		t.Fatalf("I32F32::MAX to u64 = %d", MaxI32F32.ToU64())
	}
	if I96F32FromUint64(math.MaxUint64).ToU64() != math.MaxUint64 {
		t.Fatal("I96F32 u64::MAX round trip")
	}
	if ProportionToU16(0) != 0 || ProportionToU16(FromU16(65535)) != 65535 {
		t.Fatal("fixed_proportion_to_u16")
	}
	if U16Proportion(0) != 0 {
		t.Fatal("u16_proportion_to_fixed(0)")
	}
}

// Port of tests/math.rs::test_math_exp_safe.
func TestMathExpSafe(t *testing.T) {
	exp := func(x I32F32) I32F32 {
		t.Helper()
		r, ok := Exp(x)
		if !ok {
			t.Fatalf("exp(%v) failed", x)
		}
		return r
	}
	if ExpSafe(0) != exp(0) || ExpSafe(One) != exp(One) {
		t.Fatal("exp_safe(0|1)")
	}
	lo, hi := FromInt(-20), FromInt(20)
	for _, x := range []I32F32{lo, lo - One, MinI32F32} {
		if ExpSafe(x) != exp(lo) {
			t.Fatalf("exp_safe(%v) != exp(-20)", x)
		}
	}
	for _, x := range []I32F32{hi, hi + One, MaxI32F32} {
		if ExpSafe(x) != exp(hi) {
			t.Fatalf("exp_safe(%v) != exp(20)", x)
		}
	}
	// Sanity against float exp where the 31-term series converges (it does
	// not at 20: 20^31/31! is still ~2.6e7, which Subtensor inherits).
	for _, x := range []float64{-5, -1.5, 0.25, 3} {
		got := exp(fx(x)).Float64()
		if math.Abs(got-math.Exp(x))/math.Exp(x) > 1e-6 {
			t.Errorf("exp(%v) = %v, float %v", x, got, math.Exp(x))
		}
	}
	// exp(22) overflows I32F32: safe_exp gives 0, exp_safe clamps.
	if SafeExp(FromInt(22)) != 0 {
		t.Fatal("safe_exp(22) should fail to 0")
	}
}

// sigmoidSafe is tests' use of Subtensor's sigmoid_safe (math.rs), kept in
// the test because the epoch does not use it.
func sigmoidSafe(input, rho, kappa I32F32) I32F32 {
	offset := input.Sub(kappa)
	negRho := rho.Mul(FromInt(-1))
	e := ExpSafe(negRho.Mul(offset))
	return One.Div(e.Add(One))
}

// Port of tests/math.rs::test_math_sigmoid_safe (exact equality, as in Rust).
func TestMathSigmoidSafe(t *testing.T) {
	trust := []I32F32{MinI32F32, 0, fx(0.4), fx(0.5), fx(0.6), One, MaxI32F32}
	check := func(rho, kappa I32F32, in []I32F32, want []I32F32) {
		t.Helper()
		for i := range in {
			if got := sigmoidSafe(in[i], rho, kappa); got != want[i] {
				t.Errorf("sigmoid(%v; rho=%v kappa=%v) = %v (%d), want %v (%d)", in[i], rho, kappa, got, got.Bits(), want[i], want[i].Bits())
			}
		}
	}
	check(MaxI32F32, MaxI32F32, trust, vecFx32(0.0000000019, 0.0000000019, 0.0000000019, 0.0000000019, 0.0000000019, 0.0000000019, 0.5))
	check(MinI32F32, MinI32F32, trust, vecFx32(0.5, 0.0000000019, 0.0000000019, 0.0000000019, 0.0000000019, 0.0000000019, 0.0000000019))
	f64s := func(v ...float64) []I32F32 {
		out := make([]I32F32, len(v))
		for i, f := range v {
			out[i] = fx(f)
		}
		return out
	}
	check(FromInt(30), fx(0.5), trust, f64s(0.0000000019, 0.0000003057, 0.0474258729, 0.5, 0.952574127, 0.9999996943, 0.9999999981))
	check(FromInt(40), fx(0.5), vecFx32(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1),
		f64s(0.0000000019, 0.0000001125, 0.0000061442, 0.0003353502, 0.017986214, 0.5, 0.9820138067, 0.9996646498, 0.9999938558, 0.9999998875, 0.9999999981))
}

// The wide types' math/bits fast paths agree with a math/big reference.
func TestWideFastPathsMatchBig(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	refMul := func(a, b I96F32) I96F32 {
		p := new(big.Int).Mul(a.w.big(), b.w.big())
		return I96F32{satWide(p.Rsh(p, 32))}
	}
	refDiv := func(a, b I64F64) I64F64 {
		n := a.w.big()
		q := n.Lsh(n, 64).Quo(n, b.w.big())
		if q.Cmp(i128Max) > 0 || q.Cmp(i128Min) < 0 {
			return I64F64{}
		}
		return I64F64{wideFromBig(q)}
	}
	for i := 0; i < 20000; i++ {
		a := I96F32{wide{rng.Int63() >> uint(rng.Intn(64)), rng.Uint64()}}
		b := I96F32{wide{rng.Int63() >> uint(rng.Intn(64)), rng.Uint64()}}
		if i%3 == 0 {
			a = I96F32FromI32F32(FromBits(rng.Int63n(1 << 33)))
			b = I96F32FromUint64(rng.Uint64())
		}
		if got, want := a.Mul(b), refMul(a, b); got != want {
			t.Fatalf("mul %v×%v: got %v, want %v", a, b, got, want)
		}
		x := I64F64FromUint64(uint64(rng.Int63()) >> uint(rng.Intn(63)))
		y := I64F64FromUint64(1 + uint64(rng.Int63())>>uint(rng.Intn(63)))
		if got, want := x.Div(y), refDiv(x, y); got != want {
			t.Fatalf("div %v/%v: got %v, want %v", x, y, got, want)
		}
	}
}
