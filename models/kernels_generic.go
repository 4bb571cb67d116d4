//go:build !amd64

package models

func dot4F32(w, x []float32, n int, d []float32) { dot4F32Generic(w, x, n, d) }

// haveAsm reports whether an assembly kernel is in use.
var (
	haveAsm    = false
	haveAsmInt = false
	haveAsmF16 = false
)

func blockSums(dt DType, row []byte, xq []int8, out []int32) { blockSumsGeneric(dt, row, xq, out) }

func dot8F32(w, x []float32, n int, d []float32) { dot8F32Generic(w, x, n, d) }

func dot8F16(w []byte, x []float32, n int, d []float32) bool { return false }

func dotQuantFast(dt DType, row []byte, a *q8Act) (float32, bool) { return 0, false }

// axpy computes out[i] = out[i] + float32(a·v[i]).
func axpy(a float32, v, out []float32) {
	v = v[:len(out)]
	for i := range out {
		out[i] = out[i] + float32(a*v[i])
	}
}

func dot8Strided(w []float32, stride int, x []float32, n int, d []float32) {
	for r := 0; r < 8; r++ {
		d[r] = dotF32(w[r*stride:r*stride+n], x)
	}
}

func dot4x2F32(w, x0, x1 []float32, n int, d *[8]float32) bool { return false }
