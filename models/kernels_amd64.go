package models

import "golang.org/x/sys/cpu"

// On amd64 with AVX the four-row F32 dot product runs in assembly
// (dot4AVX, kernels_amd64.s). Each YMM accumulator holds the eight lanes of
// one row in the lane order of dotF32: lane l adds the rounded product of
// elements i ≡ l (mod 8) in increasing i, with VMULPS then VADDPS (never a
// fused multiply-add). The tail and the reduction tree are the portable Go
// code, so the results are bit-identical to dot4F32Generic
// (TestDotKernelsFollowTheLaneDefinition checks both).

//go:noescape
func dot4AVX(w *float32, stride int, x *float32, nblk int, out *[32]float32)

//go:noescape
func dot8AVX(w *float32, stride int, x *float32, n int, out *[8]float32)

// dot8F32 computes eight exact dot products of consecutive rows of w (each
// n long) with x into d[0:8].
func dot8F32(w, x []float32, n int, d []float32) {
	if !haveAsm || n == 0 {
		dot8F32Generic(w, x, n, d)
		return
	}
	_ = w[8*n-1]
	_ = x[n-1]
	dot8AVX(&w[0], 4*n, &x[0], n, (*[8]float32)(d[:8]))
}

//go:noescape
func dot8F16AVX(w *byte, stride int, x *float32, nblk int, out *[8]float32)

var haveAsmF16 = cpu.X86.HasAVX && cpu.X86.HasF16C

// dot8F16 computes eight exact dot products of consecutive F16 rows of w
// (each n values, 2n bytes) with x into d[0:8]; it reports false when it
// cannot (no F16C, or n not a multiple of 8) and the caller must use dotF16.
func dot8F16(w []byte, x []float32, n int, d []float32) bool {
	if !haveAsmF16 || n == 0 || n%8 != 0 {
		return false
	}
	_ = w[16*n-1]
	_ = x[n-1]
	dot8F16AVX(&w[0], 2*n, &x[0], n/8, (*[8]float32)(d[:8]))
	return true
}

//go:noescape
func q8BlockSumsAVX2(w *byte, x *int8, nb int, out *int32)

//go:noescape
func q4BlockSumsAVX2(w *byte, x *int8, nb int, out *int32)

// haveAsm reports whether the AVX float kernel is in use; haveAsmInt the
// AVX2 integer block kernels of Q8_0 and Q4_0 (integer sums are exact in any
// order, so they need no lane discipline).
var (
	haveAsm    = cpu.X86.HasAVX
	haveAsmInt = cpu.X86.HasAVX2
)

//go:noescape
func dot4x2AVX(w *float32, stride int, x0, x1 *float32, nblk int, out *[8]float32)

// dot4x2F32 computes the exact dot products of four consecutive rows of w
// (each n long) with x0 and x1: d[2r+c] = row r · x_c. It reports false when
// it cannot (no AVX, or n not a multiple of 8).
func dot4x2F32(w, x0, x1 []float32, n int, d *[8]float32) bool {
	if !haveAsm || n == 0 || n%8 != 0 {
		return false
	}
	_ = w[4*n-1]
	_ = x0[n-1]
	_ = x1[n-1]
	dot4x2AVX(&w[0], 4*n, &x0[0], &x1[0], n/8, d)
	return true
}

//go:noescape
func axpyAVX(a float32, v *float32, out *float32, nblk int)

// axpy computes out[i] = out[i] + float32(a·v[i]).
func axpy(a float32, v, out []float32) {
	n := len(out)
	v = v[:n]
	i := 0
	if haveAsm && n >= 8 {
		axpyAVX(a, &v[0], &out[0], n/8)
		i = n / 8 * 8
	}
	for ; i < n; i++ {
		out[i] = out[i] + float32(a*v[i])
	}
}

// dot8Strided computes eight exact dot products of x (n values) with rows
// that start stride values apart in w (w[r·stride : r·stride+n]).
func dot8Strided(w []float32, stride int, x []float32, n int, d []float32) {
	if !haveAsm || n == 0 {
		for r := 0; r < 8; r++ {
			d[r] = dotF32(w[r*stride:r*stride+n], x)
		}
		return
	}
	_ = w[7*stride+n-1]
	_ = x[n-1]
	dot8AVX(&w[0], 4*stride, &x[0], n, (*[8]float32)(d[:8]))
}

//go:noescape
func q8DotAVX2(row *byte, xq *int8, xd *float32, nb int) float32

//go:noescape
func q4DotAVX2(row *byte, xq *int8, xd *float32, nb int) float32

// dotQuantFast runs dotQuant entirely in assembly (integer block sums, then
// the same float32 multiply, multiply, add per block in block order). It
// reports false when the CPU lacks AVX2 or F16C.
func dotQuantFast(dt DType, row []byte, a *q8Act) (float32, bool) {
	nb := len(a.d)
	if !haveAsmInt || !haveAsmF16 || nb == 0 {
		return 0, false
	}
	_ = a.q[32*nb-1]
	if dt == Q8_0 {
		_ = row[34*nb-1]
		return q8DotAVX2(&row[0], &a.q[0], &a.d[0], nb), true
	}
	_ = row[18*nb-1]
	return q4DotAVX2(&row[0], &a.q[0], &a.d[0], nb), true
}

// blockSums writes the exact int32 dot product of each quantised weight
// block of row with the activation blocks of a into out (len = blocks).
func blockSums(dt DType, row []byte, xq []int8, out []int32) {
	nb := len(out)
	if !haveAsmInt || nb == 0 {
		blockSumsGeneric(dt, row, xq, out)
		return
	}
	_ = xq[32*nb-1]
	if dt == Q8_0 {
		_ = row[34*nb-1]
		q8BlockSumsAVX2(&row[0], &xq[0], nb, &out[0])
	} else {
		_ = row[18*nb-1]
		q4BlockSumsAVX2(&row[0], &xq[0], nb, &out[0])
	}
}

func dot4F32(w, x []float32, n int, d []float32) {
	if !haveAsm || n < 8 {
		dot4F32Generic(w, x, n, d)
		return
	}
	_ = w[4*n-1]
	_ = x[n-1]
	_ = d[3]
	var s [32]float32
	nb := n / 8
	dot4AVX(&w[0], 4*n, &x[0], nb, &s)
	i0 := nb * 8
	for r := 0; r < 4; r++ {
		l := s[8*r : 8*r+8 : 8*r+8]
		row := w[r*n : (r+1)*n]
		for i, j := i0, 0; i < n; i, j = i+1, j+1 {
			l[j] = l[j] + float32(row[i]*x[i])
		}
		d[r] = reduce8(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7])
	}
}
