package models

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"
)

// Exact kernels.
//
// Every dot product in the engine is dotF32 or its quantised sibling, with a
// fixed order of operations:
//
//   - lane l (0 ≤ l < 8) accumulates the products of elements i ≡ l (mod 8) in
//     increasing i: s[l] = s[l] + float32(a[i]·b[i]). The explicit conversion
//     forces the product to be rounded, so no compiler fuses it into a
//     multiply-add (the arm64 compiler would otherwise).
//   - the lanes are reduced by the fixed tree ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)).
//
// A matrix product computes each output element with exactly this routine,
// whatever the batch composition or thread split, so results are identical
// for any GOMAXPROCS, batch size, prefill versus step by step, and on every
// architecture. An assembly version (amd64 AVX) keeps the same lanes.

// dotF32 is the exact float32 dot product of a and b[:len(a)].
func dotF32(a, b []float32) float32 {
	n := len(a)
	b = b[:n]
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= n; i += 8 {
		x, y := a[i:i+8:i+8], b[i:i+8:i+8]
		s0 = s0 + float32(x[0]*y[0])
		s1 = s1 + float32(x[1]*y[1])
		s2 = s2 + float32(x[2]*y[2])
		s3 = s3 + float32(x[3]*y[3])
		s4 = s4 + float32(x[4]*y[4])
		s5 = s5 + float32(x[5]*y[5])
		s6 = s6 + float32(x[6]*y[6])
		s7 = s7 + float32(x[7]*y[7])
	}
	var t [8]float32
	for j := 0; i < n; i, j = i+1, j+1 {
		t[j] = float32(a[i] * b[i])
	}
	s0, s1, s2, s3 = s0+t[0], s1+t[1], s2+t[2], s3+t[3]
	s4, s5, s6, s7 = s4+t[4], s5+t[5], s6+t[6], s7+t[7]
	return reduce8(s0, s1, s2, s3, s4, s5, s6, s7)
}

// reduce8 is the fixed reduction tree of the eight lanes.
func reduce8(s0, s1, s2, s3, s4, s5, s6, s7 float32) float32 {
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// Lanes start at +0 and +0 + (−0) = +0, so a lane is never −0: adding a
// zero for an absent tail element leaves it unchanged, and the kernels may
// either add zeros or skip absent lanes with identical results.

// f16ToF32 converts an IEEE half to float32 exactly.
func f16ToF32(h uint16) float32 { return f16Table[h] }

var f16Table = func() *[1 << 16]float32 {
	var t [1 << 16]float32
	for i := range t {
		t[i] = f16Convert(uint16(i))
	}
	return &t
}()

func f16Convert(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	man := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	case exp == 0 && man == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: man·2^−24, exact in float32
		v := float32(man) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+112)<<23 | man<<13)
}

// bf16ToF32 converts a bfloat16 to float32 exactly.
func bf16ToF32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// f32View returns the little-endian float32 values of b. It aliases b when
// the platform is little-endian and b is 4-byte aligned, otherwise it copies.
func f32View(b []byte) []float32 {
	n := len(b) / 4
	if n == 0 {
		return nil
	}
	if littleEndian && uintptr(unsafe.Pointer(&b[0]))%4 == 0 {
		return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// f32Bytes returns the bytes of v in little-endian order (aliasing on
// little-endian machines).
func f32Bytes(v []float32) []byte {
	if len(v) == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v))
	}
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// dotHalf is the exact dot product of a row of halves (F16 or BF16) with x:
// each weight is converted exactly to float32, then the same lanes and tree
// as dotF32.
func dotHalf(row []byte, x []float32, conv func(uint16) float32) float32 {
	n := len(x)
	var s [8]float32
	for i := 0; i < n; i++ {
		w := conv(uint16(row[2*i]) | uint16(row[2*i+1])<<8)
		s[i&7] = s[i&7] + float32(w*x[i])
	}
	return reduce8(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7])
}

// dotF16 is dotHalf specialised for F16, eight values per step.
func dotF16(row []byte, x []float32) float32 {
	n := len(x)
	row = row[:2*n]
	t := f16Table
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= n; i += 8 {
		r := row[2*i : 2*i+16 : 2*i+16]
		y := x[i : i+8 : i+8]
		s0 = s0 + float32(t[uint16(r[0])|uint16(r[1])<<8]*y[0])
		s1 = s1 + float32(t[uint16(r[2])|uint16(r[3])<<8]*y[1])
		s2 = s2 + float32(t[uint16(r[4])|uint16(r[5])<<8]*y[2])
		s3 = s3 + float32(t[uint16(r[6])|uint16(r[7])<<8]*y[3])
		s4 = s4 + float32(t[uint16(r[8])|uint16(r[9])<<8]*y[4])
		s5 = s5 + float32(t[uint16(r[10])|uint16(r[11])<<8]*y[5])
		s6 = s6 + float32(t[uint16(r[12])|uint16(r[13])<<8]*y[6])
		s7 = s7 + float32(t[uint16(r[14])|uint16(r[15])<<8]*y[7])
	}
	var tl [8]float32
	for j := 0; i < n; i, j = i+1, j+1 {
		tl[j] = float32(t[uint16(row[2*i])|uint16(row[2*i+1])<<8] * x[i])
	}
	s0, s1, s2, s3 = s0+tl[0], s1+tl[1], s2+tl[2], s3+tl[3]
	s4, s5, s6, s7 = s4+tl[4], s5+tl[5], s6+tl[6], s7+tl[7]
	return reduce8(s0, s1, s2, s3, s4, s5, s6, s7)
}

// Quantised kernels (Q8_0, Q4_0) follow llama.cpp's scheme: the activation
// vector is quantised per block of 32 to int8 with scale d = max|x|/127
// (q = round-half-away(x/d)), each block's products are summed exactly in
// int32, and the scaled block results are summed in float32 in block order:
// s = s + float32(float32(isum)·float32(dw·dx)).

// q8Act is an activation vector quantised in blocks of 32.
type q8Act struct {
	q []int8
	d []float32
}

// quantizeQ8 quantises x (len a multiple of 32) into a.
func quantizeQ8(x []float32, a *q8Act) {
	nb := len(x) / 32
	if cap(a.q) < len(x) {
		a.q = make([]int8, len(x))
		a.d = make([]float32, nb)
	}
	a.q, a.d = a.q[:len(x)], a.d[:nb]
	for b := 0; b < nb; b++ {
		blk := x[32*b : 32*b+32]
		var amax float32
		for _, v := range blk {
			if v < 0 {
				v = -v
			}
			if v > amax {
				amax = v
			}
		}
		d := amax / 127
		var id float32
		if d != 0 {
			id = 1 / d
		}
		a.d[b] = d
		q := a.q[32*b : 32*b+32]
		for j, v := range blk {
			q[j] = int8(roundHalfAway(v * id))
		}
	}
}

// roundHalfAway rounds to the nearest integer, halves away from zero
// (C's roundf), exactly.
func roundHalfAway(v float32) float32 {
	t := float32(math.Trunc(float64(v)))
	if d := v - t; d >= 0.5 {
		t++
	} else if d <= -0.5 {
		t--
	}
	return t
}

// blockSumsGeneric is the portable blockSums: per block, the int32 sum of
// weight × activation products.
func blockSumsGeneric(dt DType, row []byte, xq []int8, out []int32) {
	for b := range out {
		q := xq[32*b : 32*b+32 : 32*b+32]
		var isum int32
		if dt == Q8_0 {
			w := row[34*b+2 : 34*b+34 : 34*b+34]
			for j := 0; j < 32; j++ {
				isum += int32(int8(w[j])) * int32(q[j])
			}
		} else {
			w := row[18*b+2 : 18*b+18 : 18*b+18]
			for j := 0; j < 16; j++ {
				isum += (int32(w[j]&15)-8)*int32(q[j]) + (int32(w[j]>>4)-8)*int32(q[j+16])
			}
		}
		out[b] = isum
	}
}

// dotQuant is the exact dot product of a Q8_0 or Q4_0 row with a quantised
// activation: exact int32 block sums, then the fixed-order float sum
// s = s + float32(float32(isum)·float32(dw·dx)) over blocks.
func dotQuant(dt DType, row []byte, a *q8Act) float32 {
	if s, ok := dotQuantFast(dt, row, a); ok {
		return s
	}
	return dotQuantGo(dt, row, a)
}

// dotQuantGo is the portable dotQuant.
func dotQuantGo(dt DType, row []byte, a *q8Act) float32 {
	bs := 34
	if dt == Q4_0 {
		bs = 18
	}
	var sums [64]int32
	var s float32
	nb := len(a.d)
	for b0 := 0; b0 < nb; b0 += len(sums) {
		n := min(len(sums), nb-b0)
		blockSums(dt, row[bs*b0:bs*(b0+n)], a.q[32*b0:32*(b0+n)], sums[:n])
		for i, isum := range sums[:n] {
			b := b0 + i
			dw := f16ToF32(uint16(row[bs*b]) | uint16(row[bs*b+1])<<8)
			s = s + float32(float32(isum)*float32(dw*a.d[b]))
		}
	}
	return s
}

// dotQ8 is dotQuant for Q8_0.
func dotQ8(row []byte, a *q8Act) float32 { return dotQuant(Q8_0, row, a) }

// dotQ4 is dotQuant for Q4_0.
func dotQ4(row []byte, a *q8Act) float32 { return dotQuant(Q4_0, row, a) }

// dequantRow writes row r of m as float32 into out (len m.Cols). F32, F16
// and BF16 convert exactly; Q8_0 and Q4_0 give q·d rounded to float32.
func dequantRow(m *Matrix, r int, out []float32) {
	rb, _ := m.DType.RowBytes(m.Cols)
	row := m.Data[r*rb : (r+1)*rb]
	switch m.DType {
	case F32:
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(row[4*i:]))
		}
	case F16:
		for i := range out {
			out[i] = f16ToF32(binary.LittleEndian.Uint16(row[2*i:]))
		}
	case BF16:
		for i := range out {
			out[i] = bf16ToF32(binary.LittleEndian.Uint16(row[2*i:]))
		}
	case Q8_0:
		for b := 0; b < len(out)/32; b++ {
			blk := row[34*b:]
			d := f16ToF32(binary.LittleEndian.Uint16(blk))
			for j := 0; j < 32; j++ {
				out[32*b+j] = float32(int8(blk[2+j])) * d
			}
		}
	case Q4_0:
		for b := 0; b < len(out)/32; b++ {
			blk := row[18*b:]
			d := f16ToF32(binary.LittleEndian.Uint16(blk))
			for j := 0; j < 16; j++ {
				out[32*b+j] = float32(int32(blk[2+j]&15)-8) * d
				out[32*b+j+16] = float32(int32(blk[2+j]>>4)-8) * d
			}
		}
	}
}

// matKernel multiplies one weight matrix by activation rows.
type matKernel struct {
	m   *Matrix
	rb  int       // bytes per row
	f32 []float32 // F32 weights as float32 (aliasing the matrix when possible)
}

func newMatKernel(m *Matrix) (*matKernel, error) {
	rb, err := m.DType.RowBytes(m.Cols)
	if err != nil {
		return nil, err
	}
	if len(m.Data) != rb*m.Rows {
		return nil, fmt.Errorf("matrix %d×%d %v: %d bytes, want %d", m.Rows, m.Cols, m.DType, len(m.Data), rb*m.Rows)
	}
	k := &matKernel{m: m, rb: rb}
	if m.DType == F32 {
		k.f32 = f32View(m.Data)
	}
	return k, nil
}

// quantised reports whether the kernel needs quantised activations.
func (k *matKernel) quantised() bool { return k.m.DType == Q8_0 || k.m.DType == Q4_0 }

// mulRows computes out[b·ld+o] = W[o]·x[b] for rows o in [r0, r1) and every
// batch row b; x holds len(xs) rows of Cols values (xq their quantised
// versions for Q8_0/Q4_0), out has leading dimension ld.
func (k *matKernel) mulRows(r0, r1 int, xs [][]float32, xq []q8Act, out []float32, ld int) {
	cols := k.m.Cols
	switch k.m.DType {
	case F32:
		o := r0
		if len(xs) >= 2 && cols%8 == 0 && haveAsm {
			// batches: four rows × two activation rows per call, each
			// element still the exact dot product
			var d [8]float32
			for ; o+4 <= r1; o += 4 {
				w := k.f32[o*cols : (o+4)*cols]
				b := 0
				for ; b+2 <= len(xs); b += 2 {
					dot4x2F32(w, xs[b], xs[b+1], cols, &d)
					for r := 0; r < 4; r++ {
						out[b*ld+o+r] = d[2*r]
						out[(b+1)*ld+o+r] = d[2*r+1]
					}
				}
				if b < len(xs) {
					dot4F32(w, xs[b], cols, out[b*ld+o:b*ld+o+4])
				}
			}
		}
		for ; o+8 <= r1; o += 8 {
			w := k.f32[o*cols : (o+8)*cols]
			for b, x := range xs {
				dot8F32(w, x, cols, out[b*ld+o:b*ld+o+8:b*ld+o+8])
			}
		}
		for ; o+4 <= r1; o += 4 {
			w := k.f32[o*cols : (o+4)*cols]
			for b, x := range xs {
				d := out[b*ld+o : b*ld+o+4 : b*ld+o+4]
				dot4F32(w, x, cols, d)
			}
		}
		for ; o < r1; o++ {
			w := k.f32[o*cols : (o+1)*cols]
			for b, x := range xs {
				out[b*ld+o] = dotF32(w, x)
			}
		}
	case F16:
		o := r0
		for ; o+8 <= r1; o += 8 {
			w := k.m.Data[o*k.rb : (o+8)*k.rb]
			done := true
			for b, x := range xs {
				if !dot8F16(w, x, cols, out[b*ld+o:b*ld+o+8:b*ld+o+8]) {
					done = false
					break
				}
			}
			if !done {
				break
			}
		}
		for ; o < r1; o++ {
			row := k.m.Data[o*k.rb : (o+1)*k.rb]
			for b, x := range xs {
				out[b*ld+o] = dotF16(row, x)
			}
		}
	case BF16:
		for o := r0; o < r1; o++ {
			row := k.m.Data[o*k.rb : (o+1)*k.rb]
			for b, x := range xs {
				out[b*ld+o] = dotHalf(row, x, bf16ToF32)
			}
		}
	case Q8_0:
		for o := r0; o < r1; o++ {
			row := k.m.Data[o*k.rb : (o+1)*k.rb]
			for b := range xs {
				out[b*ld+o] = dotQ8(row, &xq[b])
			}
		}
	case Q4_0:
		for o := r0; o < r1; o++ {
			row := k.m.Data[o*k.rb : (o+1)*k.rb]
			for b := range xs {
				out[b*ld+o] = dotQ4(row, &xq[b])
			}
		}
	}
}

// dot8F32Generic computes eight exact dot products of consecutive rows of w
// (each n long) with x into d[0:8]: the portable reference for dot8AVX.
func dot8F32Generic(w, x []float32, n int, d []float32) {
	for r := 0; r < 8; r++ {
		d[r] = dotF32(w[r*n:(r+1)*n], x)
	}
}

// dot4F32Generic computes four exact dot products of consecutive rows of w
// (each n long) with x into d[0:4]. It is the portable reference for the
// assembly version.
func dot4F32Generic(w, x []float32, n int, d []float32) {
	d[0] = dotF32(w[0:n], x)
	d[1] = dotF32(w[n:2*n], x)
	d[2] = dotF32(w[2*n:3*n], x)
	d[3] = dotF32(w[3*n:4*n], x)
}
