package models

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestMathMatchesStandardLibrary(t *testing.T) {
	for i := 0; i < 20000; i++ {
		x := float64(Uniform(1, i))*1400 - 745
		if got, want := exp64(x), math.Exp(x); math.Abs(got-want) > 8e-16*want+1e-300 { // absolute slack for subnormal results
			t.Fatalf("exp64(%g) = %g, want %g", x, got, want)
		}
		y := math.Ldexp(float64(Uniform(2, i))+0.5, int(Uniform(3, i)*200)-100)
		if got, want := log64(y), math.Log(y); math.Abs(got-want) > 4e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("log64(%g) = %.17g, want %.17g", y, got, want)
		}
		z := float64(Uniform(4, i)) * 1e5
		s, c := sincos64(z)
		if math.Abs(s-math.Sin(z)) > 1e-15*math.Max(1, z) || math.Abs(c-math.Cos(z)) > 1e-15*math.Max(1, z) {
			t.Fatalf("sincos64(%g) = %g %g, want %g %g", z, s, c, math.Sin(z), math.Cos(z))
		}
	}
	if exp64(800) != math.Inf(1) || exp64(-800) != 0 || !math.IsNaN(exp64(math.NaN())) || !math.IsNaN(log64(-1)) {
		t.Fatal("exp64/log64 special cases")
	}
	// float32 results agree with correctly rounded float32 (via float64) but
	// for rare half-way cases.
	bad := 0
	for i := 0; i < 100000; i++ {
		x := float32(Uniform(5, i)*40 - 20)
		if expf(x) != float32(math.Exp(float64(x))) {
			bad++
		}
	}
	if bad > 10 {
		t.Fatalf("expf differs from rounded math.Exp in %d of 100000 cases", bad)
	}
}

// laneDot is the written definition of the exact dot product.
func laneDot(a, b []float32) float32 {
	var s [8]float32
	for i := range a {
		s[i%8] = s[i%8] + float32(a[i]*b[i])
	}
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

func randVec(seed uint64, n int) []float32 {
	v := make([]float32, n)
	r := xorshift64s(seed)
	r.fill(v, 0, 1)
	return v
}

func TestDotKernelsFollowTheLaneDefinition(t *testing.T) {
	for _, n := range []int{1, 3, 7, 8, 9, 16, 31, 64, 100, 288, 768, 1000} {
		a, b := randVec(uint64(n), n), randVec(uint64(n)+99, n)
		want := laneDot(a, b)
		if got := dotF32(a, b); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("n=%d: dotF32 %g, definition %g", n, got, want)
		}
		w := append(append(append(randVec(1, n), randVec(2, n)...), randVec(3, n)...), randVec(4, n)...)
		w8 := append(append(append(append(append([]float32(nil), w...), randVec(5, n)...), randVec(6, n)...), randVec(7, n)...), randVec(8, n)...)
		var d8 [8]float32
		dot8F32(w8, b, n, d8[:])
		for r := 0; r < 8; r++ {
			if want := laneDot(w8[r*n:(r+1)*n], b); math.Float32bits(d8[r]) != math.Float32bits(want) {
				t.Fatalf("n=%d: dot8F32 row %d %g, definition %g (asm %v)", n, r, d8[r], want, haveAsm)
			}
		}
		var d42 [8]float32
		if dot4x2F32(w, b, a, n, &d42) {
			for r := 0; r < 4; r++ {
				if d42[2*r] != laneDot(w[r*n:(r+1)*n], b) || d42[2*r+1] != laneDot(w[r*n:(r+1)*n], a) {
					t.Fatalf("n=%d: dot4x2F32 row %d differs from the definition", n, r)
				}
			}
		} else if haveAsm && n%8 == 0 {
			t.Fatalf("n=%d: dot4x2F32 declined", n)
		}
		var d4 [4]float32
		dot4F32(w, b, n, d4[:])
		for r := 0; r < 4; r++ {
			if want := laneDot(w[r*n:(r+1)*n], b); d4[r] != want {
				t.Fatalf("n=%d: dot4F32 row %d %g, definition %g", n, r, d4[r], want)
			}
		}
		// F16 and BF16: exact conversion, then the same lanes
		h, bf := make([]byte, 2*n), make([]byte, 2*n)
		hv, bv := make([]float32, n), make([]float32, n)
		for i := range a {
			u := uint16(Uniform(9, i+n) * 65535)
			if (u>>10)&0x1f == 0x1f {
				u &^= 0x4000 // keep it finite
			}
			binary.LittleEndian.PutUint16(h[2*i:], u)
			hv[i] = f16Convert(u)
			binary.LittleEndian.PutUint16(bf[2*i:], uint16(math.Float32bits(a[i])>>16))
			bv[i] = bf16ToF32(uint16(math.Float32bits(a[i]) >> 16))
		}
		if got, want := dotF16(h, b), laneDot(hv, b); got != want {
			t.Fatalf("n=%d: dotF16 %g, definition %g", n, got, want)
		}
		h8, hv8 := make([]byte, 0, 16*n), make([]float32, 0, 8*n)
		for r := 0; r < 8; r++ {
			for i := 0; i < n; i++ {
				u := uint16(Uniform(uint64(r+20), i+n) * 0x7bff)
				if i%3 == 0 {
					u |= 0x8000
				}
				h8 = append(h8, byte(u), byte(u>>8))
				hv8 = append(hv8, f16Convert(u))
			}
		}
		var d8h [8]float32
		if dot8F16(h8, b, n, d8h[:]) {
			for r := 0; r < 8; r++ {
				if want := laneDot(hv8[r*n:(r+1)*n], b); d8h[r] != want {
					t.Fatalf("n=%d: dot8F16 row %d %g, definition %g", n, r, d8h[r], want)
				}
			}
		} else if haveAsmF16 && n%8 == 0 {
			t.Fatalf("n=%d: dot8F16 declined", n)
		}
		if got, want := dotHalf(bf, b, bf16ToF32), laneDot(bv, b); got != want {
			t.Fatalf("n=%d: dot BF16 %g, definition %g", n, got, want)
		}
	}
}

func TestF16Conversion(t *testing.T) {
	for _, c := range []struct {
		h    uint16
		want float32
	}{
		{0x3c00, 1}, {0xc000, -2}, {0x7bff, 65504}, {0x0001, 1.0 / (1 << 24)}, {0x0400, 1.0 / (1 << 14)},
		{0x3555, 0.333251953125}, {0x8000, float32(math.Copysign(0, -1))}, {0x7c00, float32(math.Inf(1))},
	} {
		if got := f16Convert(c.h); math.Float32bits(got) != math.Float32bits(c.want) {
			t.Errorf("f16 %#04x = %g, want %g", c.h, got, c.want)
		}
	}
	if !math.IsNaN(float64(f16Convert(0x7e00))) {
		t.Error("f16 NaN")
	}
}

// quantise builds a Q8_0 or Q4_0 row from values (test helper).
func quantRow(dt DType, x []float32) []byte {
	var out []byte
	for b := 0; b < len(x)/32; b++ {
		blk := x[32*b : 32*b+32]
		var amax float32
		for _, v := range blk {
			amax = max(amax, float32(math.Abs(float64(v))))
		}
		div := float32(127)
		if dt == Q4_0 {
			div = 8
		}
		d := amax / div
		h := f32ToF16(d)
		out = append(out, byte(h), byte(h>>8))
		dd := f16Convert(h)
		q := func(v float32) int {
			if dd == 0 {
				return 0
			}
			return int(math.Round(float64(v / dd)))
		}
		if dt == Q8_0 {
			for _, v := range blk {
				out = append(out, byte(int8(max(-127, min(127, q(v))))))
			}
		} else {
			for j := 0; j < 16; j++ {
				lo, hi := max(0, min(15, q(blk[j])+8)), max(0, min(15, q(blk[j+16])+8))
				out = append(out, byte(lo|hi<<4))
			}
		}
	}
	return out
}

// f32ToF16 rounds to the nearest half (test helper for normal values).
func f32ToF16(f float32) uint16 {
	best, bd := uint16(0), math.Inf(1)
	lo, hi := 0, 0x7bff
	for lo <= hi { // binary search over positive halves (monotonic)
		m := (lo + hi) / 2
		if f16Convert(uint16(m)) < f {
			lo = m + 1
		} else {
			hi = m - 1
		}
	}
	for _, c := range []int{lo - 1, lo} {
		if c >= 0 && c <= 0x7bff {
			if d := math.Abs(float64(f16Convert(uint16(c)) - f)); d < bd {
				best, bd = uint16(c), d
			}
		}
	}
	return best
}

func TestQuantisedDotsAreCloseAndExactInIntegers(t *testing.T) {
	n := 256
	x, wv := randVec(11, n), randVec(12, n)
	var a q8Act
	quantizeQ8(x, &a)
	// the activation quantisation reconstructs x within half a step
	for i, v := range x {
		if d := math.Abs(float64(float32(a.q[i])*a.d[i/32] - v)); d > float64(a.d[i/32])/2+1e-7 {
			t.Fatalf("activation %d: %g vs %g", i, float32(a.q[i])*a.d[i/32], v)
		}
	}
	for _, dt := range []DType{Q8_0, Q4_0} {
		row := quantRow(dt, wv)
		m := Matrix{DType: dt, Rows: 1, Cols: n, Data: row}
		deq := make([]float32, n)
		dequantRow(&m, 0, deq)
		// reference: same block order, integer sums written out in float64
		var s float32
		for b := 0; b < n/32; b++ {
			var isum int64
			dw := f16Convert(binary.LittleEndian.Uint16(row[len(row)/(n/32)*b:]))
			for j := 0; j < 32; j++ {
				isum += int64(math.Round(float64(deq[32*b+j]/dw))) * int64(a.q[32*b+j])
			}
			s = s + float32(float32(isum)*float32(dw*a.d[b]))
		}
		var got float32
		if dt == Q8_0 {
			got = dotQ8(row, &a)
		} else {
			got = dotQ4(row, &a)
		}
		if got != s || dotQuantGo(dt, row, &a) != s {
			t.Fatalf("%v: kernel %g, portable %g, reference %g", dt, got, dotQuantGo(dt, row, &a), s)
		}
		if exact := float64(laneDot(deq, x)); math.Abs(float64(got)-exact) > 0.05*math.Sqrt(float64(n)) {
			t.Fatalf("%v: %g too far from the float dot %g", dt, got, exact)
		}
	}
}

func TestRoundHalfAway(t *testing.T) {
	for _, c := range [][2]float32{{0.5, 1}, {-0.5, -1}, {1.49, 1}, {2.5, 3}, {-2.5, -3}, {126.6, 127}, {0, 0}, {-0.2, 0}} {
		if got := roundHalfAway(c[0]); got != c[1] {
			t.Errorf("round(%g) = %g, want %g", c[0], got, c[1])
		}
	}
}

func TestBlockSumsMatchPortable(t *testing.T) {
	for _, nb := range []int{1, 2, 7, 64, 65} {
		for _, dt := range []DType{Q8_0, Q4_0} {
			bs := 34
			if dt == Q4_0 {
				bs = 18
			}
			row := make([]byte, bs*nb)
			xq := make([]int8, 32*nb)
			for i := range row {
				row[i] = byte(Uniform(uint64(nb), i) * 256)
			}
			for i := range xq {
				xq[i] = int8(int(Uniform(uint64(nb)+7, i)*255) - 127)
			}
			if nb == 1 { // extremes: −128 weights against ±127 activations
				for j := 2; j < bs; j++ {
					row[j] = 0x80
				}
				for j := range xq {
					xq[j] = int8(127 - 254*(j%2))
				}
			}
			a := q8Act{q: xq, d: randVec(uint64(nb)+3, nb)}
			for b := 0; b < nb; b++ { // finite F16 scales
				row[bs*b+1] &= 0x7b
			}
			if f, g := dotQuant(dt, row, &a), dotQuantGo(dt, row, &a); math.Float32bits(f) != math.Float32bits(g) {
				t.Fatalf("%v nb=%d: dotQuant %g, portable %g", dt, nb, f, g)
			}
			got, want := make([]int32, nb), make([]int32, nb)
			blockSums(dt, row, xq, got)
			blockSumsGeneric(dt, row, xq, want)
			for b := range got {
				if got[b] != want[b] {
					t.Fatalf("%v nb=%d block %d: %d, portable %d (asm %v)", dt, nb, b, got[b], want[b], haveAsmInt)
				}
			}
		}
	}
}
