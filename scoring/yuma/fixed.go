package yuma

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// I32F32 is substrate_fixed's I32F32: a signed 64-bit integer holding the
// value times 2^32. The zero value is 0.
//
// Rounding follows substrate_fixed 0.6.0 exactly (YUMA.md §1):
// multiplication floors (arithmetic shift of the 128-bit product), division
// truncates toward zero, conversions to integers floor.
type I32F32 int64

const (
	frac32 = 32
	// One is 1.0 in I32F32.
	One I32F32 = 1 << frac32
	// MaxI32F32 is I32F32::MAX.
	MaxI32F32 I32F32 = math.MaxInt64
	// MinI32F32 is I32F32::MIN.
	MinI32F32 I32F32 = math.MinInt64
)

// FromInt returns n as I32F32, saturating.
func FromInt(n int64) I32F32 {
	if n > math.MaxInt32 {
		return MaxI32F32
	}
	if n < math.MinInt32 {
		return MinI32F32
	}
	return I32F32(n << frac32)
}

// FromU16 returns the integer x as I32F32 (exact).
func FromU16(x uint16) I32F32 { return I32F32(int64(x) << frac32) }

// FromBits returns the I32F32 whose raw representation is b.
func FromBits(b int64) I32F32 { return I32F32(b) }

// Bits returns the raw representation (value × 2^32).
func (a I32F32) Bits() int64 { return int64(a) }

// FromF64 converts f like substrate_fixed's saturating_from_num(f64): the
// nearest representable value, ties to even; NaN is 0, out of range saturates.
func FromF64(f float64) I32F32 {
	if math.IsNaN(f) {
		return 0
	}
	// Scaling by a power of two is exact in float64, so RoundToEven rounds the
	// exact value.
	v := math.RoundToEven(math.Ldexp(f, frac32))
	if v >= 9223372036854775807 {
		return MaxI32F32
	}
	if v < -9223372036854775808 {
		return MinI32F32
	}
	return I32F32(int64(v))
}

// Float64 returns a as float64. The conversion is exact for |a| < 2^21.
func (a I32F32) Float64() float64 { return math.Ldexp(float64(a), -frac32) }

// String formats a as the shortest decimal that converts back to the same
// float64 (exact for the normalised values of an epoch).
func (a I32F32) String() string { return strconv.FormatFloat(a.Float64(), 'g', -1, 64) }

// Add is saturating_add.
func (a I32F32) Add(b I32F32) I32F32 {
	s := a + b
	if (s > a) == (b > 0) {
		return s
	}
	if b > 0 {
		return MaxI32F32
	}
	return MinI32F32
}

// Sub is saturating_sub.
func (a I32F32) Sub(b I32F32) I32F32 {
	s := a - b
	if (s < a) == (b > 0) {
		return s
	}
	if b > 0 {
		return MinI32F32
	}
	return MaxI32F32
}

// mul128 returns the signed 128-bit product of a and b.
func mul128(a, b int64) (hi int64, lo uint64) {
	uh, ul := bits.Mul64(uint64(a), uint64(b))
	h := int64(uh)
	if a < 0 {
		h -= b
	}
	if b < 0 {
		h -= a
	}
	return h, ul
}

// shr128to64 shifts the signed 128-bit value hi:lo right by s (0 < s < 64)
// arithmetically and reports whether the result fits in int64.
func shr128to64(hi int64, lo uint64, s uint) (int64, bool) {
	r := int64(uint64(hi)<<(64-s) | lo>>s)
	top := hi >> s
	return r, top == r>>63
}

// CheckedMul is checked_mul: the floored product, or ok=false on overflow.
func (a I32F32) CheckedMul(b I32F32) (I32F32, bool) {
	if a >= 0 && b >= 0 {
		hi, lo := bits.Mul64(uint64(a), uint64(b))
		if hi>>(frac32-1) != 0 {
			return 0, false
		}
		return I32F32(hi<<frac32 | lo>>frac32), true
	}
	hi, lo := mul128(int64(a), int64(b))
	r, ok := shr128to64(hi, lo, frac32)
	return I32F32(r), ok
}

// Mul is saturating_mul (floored product, saturating on overflow).
func (a I32F32) Mul(b I32F32) I32F32 {
	r, ok := a.CheckedMul(b)
	if ok {
		return r
	}
	if (a < 0) != (b < 0) {
		return MinI32F32
	}
	return MaxI32F32
}

// CheckedDiv is checked_div: (a << 32) / b truncated toward zero; ok=false on
// division by zero or overflow.
func (a I32F32) CheckedDiv(b I32F32) (I32F32, bool) {
	if b == 0 {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	ua, ub := absU64(int64(a)), absU64(int64(b))
	hi, lo := ua>>(64-frac32), ua<<frac32
	if hi >= ub {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, ub)
	if !neg {
		if q > math.MaxInt64 {
			return 0, false
		}
		return I32F32(q), true
	}
	if q > 1<<63 {
		return 0, false
	}
	return I32F32(-int64(q)), true // q == 2^63 wraps to MinInt64, as intended
}

// Div is safe_div: CheckedDiv, returning 0 on division by zero and overflow.
func (a I32F32) Div(b I32F32) I32F32 {
	r, _ := a.CheckedDiv(b)
	return r
}

// SatDiv is saturating_div (b must not be zero; zero yields 0 here instead of
// Rust's panic).
func (a I32F32) SatDiv(b I32F32) I32F32 {
	if b == 0 {
		return 0
	}
	r, ok := a.CheckedDiv(b)
	if ok {
		return r
	}
	if (a < 0) != (b < 0) {
		return MinI32F32
	}
	return MaxI32F32
}

func absU64(x int64) uint64 {
	if x < 0 {
		return uint64(-x) // MinInt64 maps to 2^63
	}
	return uint64(x)
}

// Round is round(): nearest integer, ties away from zero (saturating).
func (a I32F32) Round() I32F32 {
	const half = 1 << (frac32 - 1)
	const mask = ^I32F32(One - 1)
	if a >= 0 {
		if a > MaxI32F32-half {
			return MaxI32F32 & mask
		}
		return (a + half) & mask
	}
	n := -a
	if a == MinI32F32 {
		return MinI32F32
	}
	return -((n + half) & mask)
}

// ToU16 is saturating_to_num::<u16>() (floor, clamped to [0, 65535]).
func (a I32F32) ToU16() uint16 {
	if a < 0 {
		return 0
	}
	i := int64(a) >> frac32
	if i > math.MaxUint16 {
		return math.MaxUint16
	}
	return uint16(i)
}

// ToU64 is saturating_to_num::<u64>() (floor, negatives to 0).
func (a I32F32) ToU64() uint64 {
	if a < 0 {
		return 0
	}
	return uint64(a) >> frac32
}

// Min returns the smaller of a and b.
func (a I32F32) Min(b I32F32) I32F32 {
	if b < a {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a I32F32) Max(b I32F32) I32F32 {
	if b > a {
		return b
	}
	return a
}

// U16Proportion is u16_proportion_to_fixed: x / 65535 (safe_div).
func U16Proportion(x uint16) I32F32 { return FromU16(x).Div(FromU16(math.MaxUint16)) }

// ProportionToU16 is fixed_proportion_to_u16: floor(x × 65535), saturating.
func ProportionToU16(x I32F32) uint16 { return x.Mul(FromU16(math.MaxUint16)).ToU16() }

// ---------------------------------------------------------------------------
// Wide types. They appear a handful of times per epoch (stake normalisation,
// the emission product), so they use math/big for clarity.

var (
	i128Max = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	i128Min = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))
)

// wide is a signed 128-bit two's-complement integer.
type wide struct {
	hi int64
	lo uint64
}

func (w wide) big() *big.Int {
	b := new(big.Int).SetInt64(w.hi)
	b.Lsh(b, 64)
	return b.Add(b, new(big.Int).SetUint64(w.lo))
}

// wideFromBig converts b, which must lie in the i128 range.
func wideFromBig(b *big.Int) wide {
	lo := new(big.Int).And(b, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(b, 64).Int64()
	return wide{hi, lo}
}

func satWide(b *big.Int) wide {
	if b.Cmp(i128Max) > 0 {
		return wideFromBig(i128Max)
	}
	if b.Cmp(i128Min) < 0 {
		return wideFromBig(i128Min)
	}
	return wideFromBig(b)
}

func (w wide) add(v wide) wide {
	lo, c := bits.Add64(w.lo, v.lo, 0)
	return wide{w.hi + v.hi + int64(c), lo}
}

func (w wide) sign() int {
	switch {
	case w.hi < 0:
		return -1
	case w.hi == 0 && w.lo == 0:
		return 0
	}
	return 1
}

// I64F64 is substrate_fixed's I64F64 (i128 bits, 64 fractional bits).
type I64F64 struct{ w wide }

// I64F64FromUint64 is I64F64::saturating_from_num(u64).
func I64F64FromUint64(x uint64) I64F64 {
	if x > math.MaxInt64 {
		return I64F64{wide{math.MaxInt64, math.MaxUint64}}
	}
	return I64F64{wide{int64(x), 0}}
}

// I64F64FromI32F32 widens a exactly.
func I64F64FromI32F32(a I32F32) I64F64 {
	return I64F64{wide{int64(a) >> 32, uint64(a) << 32}}
}

// Add is plain (wrapping) addition, as Rust's iter().sum() in release builds.
func (a I64F64) Add(b I64F64) I64F64 { return I64F64{a.w.add(b.w)} }

// IsZero reports a == 0.
func (a I64F64) IsZero() bool { return a.w.sign() == 0 }

// Div is safe_div: (a << 64) / b truncated toward zero; 0 on /0 or overflow.
func (a I64F64) Div(b I64F64) I64F64 {
	if b.w.sign() == 0 {
		return I64F64{}
	}
	if a.w.lo == 0 && b.w.lo == 0 && a.w.hi >= 0 && b.w.hi > 0 {
		// Integers (the stake normalisation): (a·2^128)/(b·2^64) = (a<<64)/b.
		qh := uint64(a.w.hi) / uint64(b.w.hi)
		r := uint64(a.w.hi) % uint64(b.w.hi)
		ql, _ := bits.Div64(r, 0, uint64(b.w.hi))
		if qh > math.MaxInt64 {
			return I64F64{}
		}
		return I64F64{wide{int64(qh), ql}}
	}
	n := a.w.big()
	n.Lsh(n, 64)
	q := n.Quo(n, b.w.big())
	if q.Cmp(i128Max) > 0 || q.Cmp(i128Min) < 0 {
		return I64F64{}
	}
	return I64F64{wideFromBig(q)}
}

// ToU64 is saturating_to_num::<u64>() (floor).
func (a I64F64) ToU64() uint64 {
	if a.w.hi < 0 {
		return 0
	}
	return uint64(a.w.hi)
}

// ToI32F32 is I32F32::saturating_from_num(I64F64): extra bits floored.
func (a I64F64) ToI32F32() I32F32 {
	r, ok := shr128to64(a.w.hi, a.w.lo, 32)
	if ok {
		return I32F32(r)
	}
	if a.w.hi < 0 {
		return MinI32F32
	}
	return MaxI32F32
}

// I96F32 is substrate_fixed's I96F32 (i128 bits, 32 fractional bits).
type I96F32 struct{ w wide }

// mul128x128 returns the 256-bit product of two unsigned 128-bit values
// (hi:lo), least significant word first.
func mul128x128(ah, al, bh, bl uint64) [4]uint64 {
	var p [4]uint64
	h, l := bits.Mul64(al, bl)
	p[0] = l
	p1 := h
	h1, l1 := bits.Mul64(al, bh)
	h2, l2 := bits.Mul64(ah, bl)
	h3, l3 := bits.Mul64(ah, bh)
	var c uint64
	p1, c = bits.Add64(p1, l1, 0)
	p2, c2 := bits.Add64(h1, l3, c)
	p1, c = bits.Add64(p1, l2, 0)
	p2, c3 := bits.Add64(p2, h2, c)
	p3 := h3 + c2 + c3
	p[1], p[2], p[3] = p1, p2, p3
	return p
}

// I96F32FromI32F32 widens a exactly.
func I96F32FromI32F32(a I32F32) I96F32 { return I96F32{wide{int64(a) >> 63, uint64(a)}} }

// I96F32FromUint64 is I96F32::saturating_from_num(u64) (exact).
func I96F32FromUint64(x uint64) I96F32 { return I96F32{wide{int64(x >> 32), x << 32}} }

// Mul is saturating_mul: (a × b) >> 32 floored, saturating.
func (a I96F32) Mul(b I96F32) I96F32 {
	if a.w.hi >= 0 && b.w.hi >= 0 {
		// Non-negative fast path: 256-bit product, shift, range check.
		p := mul128x128(uint64(a.w.hi), a.w.lo, uint64(b.w.hi), b.w.lo)
		lo := p[0]>>32 | p[1]<<32
		hi := p[1]>>32 | p[2]<<32
		top := p[2]>>32 | p[3]<<32
		if top != 0 || hi>>63 != 0 {
			return I96F32{wideFromBig(i128Max)}
		}
		return I96F32{wide{int64(hi), lo}}
	}
	p := new(big.Int).Mul(a.w.big(), b.w.big())
	p.Rsh(p, 32) // arithmetic: floors negatives too
	return I96F32{satWide(p)}
}

// ToU64 is saturating_to_num::<u64>() (floor, negatives to 0).
func (a I96F32) ToU64() uint64 {
	if a.w.hi < 0 {
		return 0
	}
	if uint64(a.w.hi)>>32 != 0 {
		return math.MaxUint64
	}
	return uint64(a.w.hi)<<32 | a.w.lo>>32
}

// ---------------------------------------------------------------------------
// exp

// eI9F23 is substrate_fixed's constant e as I9F23, widened to I32F32.
var eI9F23 = I32F32(int64(22802601) << 9)

// Exp is substrate_fixed::transcendental::exp for I32F32 → I32F32: the
// Taylor series 1 + x + Σ_{i=2..31} x^i/i! with checked_mul/checked_div in
// I32F32 on |x|, inverted for negative x. ok=false where Rust returns Err.
func Exp(x I32F32) (I32F32, bool) {
	if x == 0 {
		return One, true
	}
	if x == One {
		return eI9F23, true
	}
	neg := x < 0
	if neg {
		if x == MinI32F32 {
			return 0, false
		}
		x = -x
	}
	if x > MaxI32F32-One {
		return 0, false
	}
	result := x + One
	term := x
	var ok bool
	for i := int64(2); i < frac32; i++ {
		if term, ok = term.CheckedMul(x); !ok {
			return 0, false
		}
		if term, ok = term.CheckedDiv(FromInt(i)); !ok {
			return 0, false
		}
		s := result + term
		if (term > 0 && s < result) || (term < 0 && s > result) {
			return 0, false
		}
		result = s
	}
	if neg {
		if result, ok = One.CheckedDiv(result); !ok {
			return 0, false
		}
	}
	return result, true
}

// ExpSafe is Subtensor's exp_safe: the input clamped to [-20, 20], and on
// overflow 0 (x ≤ 0) or I32F32::MAX.
func ExpSafe(x I32F32) I32F32 {
	if lo := FromInt(-20); x < lo {
		x = lo
	} else if hi := FromInt(20); x > hi {
		x = hi
	}
	r, ok := Exp(x)
	if ok {
		return r
	}
	if x <= 0 {
		return 0
	}
	return MaxI32F32
}

// SafeExp is Subtensor's safe_exp (used by alpha_sigmoid): exp, or 0 where
// exp fails.
func SafeExp(x I32F32) I32F32 {
	r, ok := Exp(x)
	if !ok {
		return 0
	}
	return r
}
