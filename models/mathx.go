package models

import (
	"math"
	"math/big"
)

// Portable elementary functions for the exact engine.
//
// The engine must give the same bits on every architecture, so it never calls
// math.Exp, math.Log, math.Pow, math.Sin or math.Cos (math.Exp, for one, has
// an amd64 assembly path that differs from the portable code). The functions
// here use only IEEE basic operations (+, −, ×, ÷, sqrt) and exact bit
// manipulation (math.Floor, math.Frexp, math.Ldexp), each product written as
// float64(a*b) so that no compiler may fuse a multiply-add. They are accurate
// to a few units in the last place of float64; the engine rounds their results
// to float32, so they agree with the correctly rounded float32 functions in
// all but rare half-way cases, and — what matters — they agree with
// themselves on every machine.

const (
	ln2Hi  = 6.93147180369123816490e-01 // high 32 bits of ln 2 (k·ln2Hi is exact for |k| < 2^20)
	ln2Lo  = 1.90821492927058770002e-10 // ln 2 − ln2Hi
	invLn2 = 1.44269504088896338700e+00
)

// exp64 returns e^x: x = (k/64)·ln2 + r with |r| ≤ ln2/128, so
// e^x = 2^(k div 64) · 2^((k mod 64)/64) · e^r; the 64 powers of two come
// from a table computed exactly with math/big, e^r from its degree-5 Taylor
// polynomial in Horner form (error below 4e-17), and the power of two is
// applied exactly.
func exp64(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709.782712893384:
		return math.Inf(1)
	case x < -745.1332191019412:
		return 0
	}
	k := math.Floor(float64(x*(64*invLn2)) + 0.5)
	r := x - float64(k*(ln2Hi/64)) // exact product: ln2Hi has 32 significant bits, |k| < 2^17
	r = r - float64(k*(ln2Lo/64))
	p := 1.0 / 120
	p = float64(p*r) + 1.0/24
	p = float64(p*r) + 1.0/6
	p = float64(p*r) + 0.5
	p = float64(p*r) + 1
	p = float64(p*r) + 1
	ki := int(k)
	j := ki & 63
	m := (ki - j) >> 6
	v := float64(exp2Table[j] * p)
	if m >= -1022 && m <= 1023 {
		return float64(v * math.Float64frombits(uint64(m+1023)<<52))
	}
	return math.Ldexp(v, m)
}

// exp2Table[j] = 2^(j/64) correctly rounded to float64: 2^j under six
// square roots at 256 bits (math/big's Sqrt is exact integer arithmetic).
var exp2Table = func() (t [64]float64) {
	for j := range t {
		v := new(big.Float).SetPrec(256).SetMantExp(big.NewFloat(1), j)
		for i := 0; i < 6; i++ {
			v.Sqrt(v)
		}
		t[j], _ = v.Float64()
	}
	return t
}()

// expf returns e^x rounded to float32.
func expf(x float32) float32 { return float32(exp64(float64(x))) }

// log64 returns ln x for finite x > 0: x = m·2^e with m in [√½, √2), and
// ln m = 2·atanh(s), s = (m−1)/(m+1), by its odd series up to s^27.
func log64(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		return math.NaN()
	}
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	s := (m - 1) / (m + 1)
	z := float64(s * s)
	p := 1.0 / 27
	for n := 25; n >= 1; n -= 2 {
		p = float64(p*z) + 1/float64(n)
	}
	lnm := float64(2 * float64(s*p))
	fe := float64(e)
	return float64(fe*ln2Hi) + (float64(fe*ln2Lo) + lnm)
}

// pow64 returns b^y for b > 0 as e^(y·ln b).
func pow64(b, y float64) float64 { return exp64(float64(y * log64(b))) }

// π/2 split into three parts for Cody–Waite argument reduction: the first two
// have at most 33 significant bits, so k·part is exact for |k| < 2^20. They
// are derived once from a decimal expansion of π with math/big, which is
// exact integer arithmetic and therefore the same everywhere.
var pio2A, pio2B, pio2C = splitPiOver2()

func splitPiOver2() (a, b, c float64) {
	const pi = "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651"
	p, _, err := big.ParseFloat(pi, 10, 400, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	p.Quo(p, big.NewFloat(2))
	part := func(prec uint) float64 {
		t := new(big.Float).SetPrec(prec).SetMode(big.ToZero).Set(p)
		f, _ := t.Float64()
		p.Sub(p, new(big.Float).SetFloat64(f))
		return f
	}
	return part(33), part(33), part(53)
}

// sincos64 returns sin x and cos x for |x| < 2^20·π/2 (RoPE angles are at
// most the context length): x = k·π/2 + r with |r| ≤ π/4, Taylor polynomials
// of degree 23 (sin) and 22 (cos) in r, then the quadrant k mod 4.
func sincos64(x float64) (sin, cos float64) {
	k := math.Floor(float64(x*(2/math.Pi)) + 0.5)
	r := x - float64(k*pio2A)
	r = r - float64(k*pio2B)
	r = r - float64(k*pio2C)
	z := float64(r * r)
	// sin r = r·(1 − z/3! + z²/5! − …), cos r = 1 − z/2! + z²/4! − …
	ps, pc := 0.0, 0.0
	for n := 11; n >= 0; n-- {
		ps = float64(ps*z) + sinCoef[n]
		pc = float64(pc*z) + cosCoef[n]
	}
	s, c := float64(r*ps), pc
	switch int64(k) & 3 {
	case 0:
		return s, c
	case 1:
		return c, -s
	case 2:
		return -s, -c
	default:
		return -c, s
	}
}

// sinCoef[n] = (−1)^n/(2n+1)!, cosCoef[n] = (−1)^n/(2n)!, each the exact
// rational rounded once to float64 (math/big), so no table is hand-typed.
var sinCoef, cosCoef = taylorCoefs()

func taylorCoefs() (s, c [12]float64) {
	fact := big.NewInt(1)
	for m := 0; m <= 23; m++ {
		if m > 0 {
			fact.Mul(fact, big.NewInt(int64(m)))
		}
		r := new(big.Rat).SetFrac(big.NewInt(1), fact)
		f, _ := r.Float64()
		if (m/2)%2 == 1 {
			f = -f
		}
		if m%2 == 0 {
			c[m/2] = f
		} else {
			s[m/2] = f
		}
	}
	return s, c
}

// sqrtf is the correctly rounded float32 square root (rounding the float64
// square root of a float32 to float32 is exact-rounding safe).
func sqrtf(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// ropeFreqs returns llama2.c's per-pair RoPE frequencies,
// freq_i = 1 / theta^(2i/headSize), each step rounded to float32 as run.c
// does with powf.
func ropeFreqs(headSize int, theta float32) []float32 {
	f := make([]float32, headSize/2)
	for i := range f {
		e := float32(2*i) / float32(headSize)
		p := float32(pow64(float64(theta), float64(e)))
		f[i] = 1 / p
	}
	return f
}

// ropeAngles fills cos and sin for position pos: angle_i = float32(pos)·freq_i
// rounded to float32, then the float32 cosine and sine.
func ropeAngles(freqs []float32, pos int, cos, sin []float32) {
	for i, f := range freqs {
		v := float32(pos) * f
		s, c := sincos64(float64(v))
		cos[i], sin[i] = float32(c), float32(s)
	}
}
