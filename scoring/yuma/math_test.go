package yuma

import (
	"math/rand"
	"slices"
	"testing"
)

// The tests in this file port pallets/subtensor/src/tests/math.rs; each names
// its Rust original. Inputs are built like the Rust helpers (vec_to_fixed,
// vec_to_sparse_mat_fixed: f32 → I32F32, positive cells only) and compared
// with the Rust tests' epsilons (0 where Rust uses assert_eq).

// vecToSparse is vec_to_sparse_mat_fixed.
func vecToSparse(v []float32, rows int, transpose bool) sparse {
	cols := len(v) / rows
	var m sparse
	if transpose {
		for c := 0; c < cols; c++ {
			var r []entry
			for row := 0; row < rows; row++ {
				if x := v[row*cols+c]; x > 0 {
					r = append(r, entry{row, fx32(x)})
				}
			}
			m = append(m, r)
		}
		return m
	}
	for row := 0; row < rows; row++ {
		var r []entry
		for c := 0; c < cols; c++ {
			if x := v[row*cols+c]; x > 0 {
				r = append(r, entry{c, fx32(x)})
			}
		}
		m = append(m, r)
	}
	return m
}

func absDiff(a, b I32F32) I32F32 {
	if a > b {
		return a - b
	}
	return b - a
}

// assertSparse is assert_sparse_mat_compare.
func assertSparse(t *testing.T, got, want sparse, eps I32F32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("rows: got %d, want %d", len(got), len(want))
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: got %v, want %v", i, got[i], want[i])
		}
		for k := range got[i] {
			if got[i][k].j != want[i][k].j || absDiff(got[i][k].v, want[i][k].v) > eps {
				t.Fatalf("row %d cell %d: got (%d, %v), want (%d, %v) ±%v", i, k, got[i][k].j, got[i][k].v, want[i][k].j, want[i][k].v, eps)
			}
		}
	}
}

// assertVec is assert_vec_compare.
func assertVec(t *testing.T, got, want []I32F32, eps I32F32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("len: got %d, want %d", len(got), len(want))
	}
	for i := range got {
		if absDiff(got[i], want[i]) > eps {
			t.Fatalf("[%d]: got %v, want %v ±%v", i, got[i], want[i], eps)
		}
	}
}

// Port of tests/math.rs::test_vec_max_upscale_to_u16.
func TestVecMaxUpscaleToU16(t *testing.T) {
	cases := []struct {
		in   []I32F32
		want []uint16
	}{
		{vecFx32(), []uint16{}},
		{vecFx32(0), []uint16{0}},
		{vecFx32(0, 0), []uint16{0, 0}},
		{vecFx32(0, 1), []uint16{0, 65535}},
		{vecFx32(0, 0.000000001), []uint16{0, 65535}},
		{vecFx32(0, 0.000016, 1), []uint16{0, 1, 65535}},
		{vecFx32(0.000000001, 0.000000001), []uint16{65535, 65535}},
		{vecFx32(0.000001, 0.000006, 0.000007, 0.0001, 0.001, 0.01, 0.1, 0.2, 0.3, 0.4), []uint16{0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535}},
		{[]I32F32{FromInt(16384)}, []uint16{65535}},
		{[]I32F32{FromInt(32768)}, []uint16{65535}},
		{[]I32F32{FromInt(32769)}, []uint16{65535}},
		{[]I32F32{FromInt(65535)}, []uint16{65535}},
		{[]I32F32{MaxI32F32}, []uint16{65535}},
		{vecFx32(0, 1, 65535), []uint16{0, 1, 65535}},
		{vecFx32(0, 0.5, 1, 1.5, 2, 32768), []uint16{0, 1, 2, 3, 4, 65535}},
		{vecFx32(0, 0.5, 1, 1.5, 2, 32768, 32769), []uint16{0, 1, 2, 3, 4, 65533, 65535}},
		{[]I32F32{0, FromInt(1), FromInt(32768), FromInt(32769), MaxI32F32}, []uint16{0, 0, 1, 1, 65535}},
	}
	for i, c := range cases {
		if got := MaxUpscaleU16(c.in); !slices.Equal(got, c.want) {
			t.Errorf("case %d: got %v, want %v", i, got, c.want)
		}
	}
}

// Port of tests/math.rs::test_vec_u16_max_upscale_to_u16.
func TestVecU16MaxUpscaleToU16(t *testing.T) {
	cases := []struct{ in, want []uint16 }{
		{[]uint16{}, []uint16{}},
		{[]uint16{0}, []uint16{0}},
		{[]uint16{0, 0}, []uint16{0, 0}},
		{[]uint16{1}, []uint16{65535}},
		{[]uint16{0, 1}, []uint16{0, 65535}},
		{[]uint16{65534}, []uint16{65535}},
		{[]uint16{65535}, []uint16{65535}},
		{[]uint16{65535, 65535}, []uint16{65535, 65535}},
		{[]uint16{0, 1, 65534}, []uint16{0, 1, 65535}},
		{[]uint16{0, 1, 2, 3, 4, 65533, 65535}, []uint16{0, 1, 2, 3, 4, 65533, 65535}},
		// set_weights in tests/epoch.rs::test_outdated_weights: [2·(MAX/3), MAX/3]
		// is stored as [65535, 32768] (32767.5 rounds away from zero).
		{[]uint16{43690, 21845}, []uint16{65535, 32768}},
	}
	for i, c := range cases {
		if got := MaxUpscaleU16FromU16(c.in); !slices.Equal(got, c.want) {
			t.Errorf("case %d: got %v, want %v", i, got, c.want)
		}
	}
}

func TestQuantizeWeights(t *testing.T) {
	got, err := QuantizeWeights([]float64{0, 0.25, 0.5, 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint16{0, 16384, 32768, 65535}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v (ties away from zero, zeros kept)", got, want)
	}
	if _, err := QuantizeWeights([]float64{0.5, -1}); err == nil {
		t.Fatal("negative weight accepted")
	}
}

// isTopk is math.rs is_topk (the Rust test's subject): is_topk_nonzero
// without the non-zero filter.
func isTopk(x []I32F32, k int) []bool {
	n := len(x)
	res := make([]bool, n)
	for i := range res {
		res[i] = true
	}
	if n < k {
		return res
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpI32F32(x[a], x[b]) })
	for _, i := range idx[:n-k] {
		res[i] = false
	}
	return res
}

func cmpI32F32(a, b I32F32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Port of tests/math.rs::test_math_is_topk, plus the nonzero variant the
// epoch uses (the lower uid loses ties).
func TestMathIsTopk(t *testing.T) {
	b := func(s string) []bool {
		out := make([]bool, len(s))
		for i := range s {
			out[i] = s[i] == '1'
		}
		return out
	}
	v := vecFx32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	cases := []struct {
		x    []I32F32
		k    int
		want []bool
	}{
		{vecFx32(), 5, []bool{}},
		{v, 0, b("0000000000")},
		{v, 5, b("0000011111")},
		{v, 10, b("1111111111")},
		{v, 100, b("1111111111")},
		{vecFx32(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), 5, b("1111100000")},
		{vecFx32(9, 0, 8, 1, 7, 2, 6, 3, 5, 4), 5, b("1010101010")},
		{vecFx32(0.9, 0, 0.8, 0.1, 0.7, 0.2, 0.6, 0.3, 0.5, 0.4), 5, b("1010101010")},
		{vecFx32(0, 1, 2, 3, 4, 5, 5, 5, 5, 6), 5, b("0000011111")},
	}
	for i, c := range cases {
		if got := isTopk(c.x, c.k); !slices.Equal(got, c.want) {
			t.Errorf("is_topk case %d: got %v, want %v", i, got, c.want)
		}
	}
	// is_topk_nonzero: zero stake never gets a permit; ties at the cut lose
	// the lower uids first (stable ascending sort clears them).
	if got, want := isTopkNonzero(v, 10), b("0111111111"); !slices.Equal(got, want) {
		t.Errorf("nonzero k=10: got %v, want %v", got, want)
	}
	if got, want := isTopkNonzero(vecFx32(1, 1, 1, 1), 2), b("0011"); !slices.Equal(got, want) {
		t.Errorf("ties: got %v, want %v", got, want)
	}
}

// Port of tests/math.rs::test_math_normalize and test_math_inplace_normalize.
func TestMathNormalize(t *testing.T) {
	eps := fx(0.0001)
	assertVec(t, Normalize(nil), nil, eps)
	y := Normalize([]I32F32{fx(1), fx(10), fx(30)})
	assertVec(t, y, []I32F32{fx(0.0243902437), fx(0.243902439), fx(0.7317073171)}, eps)
	if absDiff(sum(y), One) > eps {
		t.Fatal("sum")
	}
	y = Normalize([]I32F32{fx(-1), fx(10), fx(30)})
	assertVec(t, y, []I32F32{fx(-0.0256410255), fx(0.2564102563), fx(0.769230769)}, eps)
}

// Port of tests/math.rs::test_math_inplace_normalize_64.
func TestMathInplaceNormalize64(t *testing.T) {
	got := normalize64([]I64F64{I64F64FromUint64(1), I64F64FromUint64(10), I64F64FromUint64(30)})
	assertVec(t, got, []I32F32{fx(0.0243902437), fx(0.243902439), fx(0.7317073171)}, fx(0.0001))
}

// Port of tests/math.rs::test_math_inplace_row_normalize_sparse.
func TestMathInplaceRowNormalizeSparse(t *testing.T) {
	v := []float32{0, 1, 0, 2, 0, 3, 4, 0, 1, 0, 2, 0, 3, 0, 1, 0, 0, 2, 0, 3, 4, 0,
		10, 0, 100, 1000, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}
	m := vecToSparse(v, 6, false)
	rowNormalize(m)
	target := []float32{0, 0.1, 0, 0.2, 0, 0.3, 0.4, 0, 0.166666, 0, 0.333333, 0, 0.5, 0, 0.1, 0, 0, 0.2,
		0, 0.3, 0.4, 0, 0.0009, 0, 0.009, 0.09, 0, 0.9, 0, 0, 0, 0, 0, 0, 0, 0.142857,
		0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857}
	assertSparse(t, m, vecToSparse(target, 6, false), fx(0.0001))
	z := make([]float32, 12)
	m = vecToSparse(z, 3, false)
	rowNormalize(m)
	assertSparse(t, m, vecToSparse(z, 3, false), 0)
}

// Port of tests/math.rs::test_math_inplace_col_normalize_sparse.
func TestMathInplaceColNormalizeSparse(t *testing.T) {
	v := []float32{0, 1, 0, 2, 0, 3, 4, 0, 1, 0, 2, 0, 3, 0, 1, 0, 0, 2, 0, 3, 4, 0,
		10, 0, 100, 1000, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}
	m := vecToSparse(v, 6, true)
	colNormalize(m, 6)
	target := []float32{0, 0.1, 0, 0.2, 0, 0.3, 0.4, 0, 0.166666, 0, 0.333333, 0, 0.5, 0, 0.1, 0, 0, 0.2,
		0, 0.3, 0.4, 0, 0.0009, 0, 0.009, 0.09, 0, 0.9, 0, 0, 0, 0, 0, 0, 0, 0.142857,
		0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857}
	assertSparse(t, m, vecToSparse(target, 6, true), fx(0.0001))
	z := make([]float32, 12)
	m = vecToSparse(z, 3, false)
	colNormalize(m, 6)
	assertSparse(t, m, vecToSparse(z, 3, false), 0)
	var empty sparse
	colNormalize(empty, 0)
	assertSparse(t, empty, sparse{}, 0)
}

// Port of tests/math.rs::test_math_inplace_col_max_upscale_sparse.
func TestMathInplaceColMaxUpscaleSparse(t *testing.T) {
	m := sparse{{}}
	colMaxUpscale(m, 0)
	assertSparse(t, m, sparse{{}}, 0)
	m = sparse{{{0, 0}}}
	colMaxUpscale(m, 1)
	assertSparse(t, m, sparse{{{0, 0}}}, 0)
	v := []float32{0, 1, 0, 2, 0, 3, 4, 0, 1, 0, 2, 0, 3, 0, 1, 0, 0, 2, 0, 3, 4, 0,
		10, 0, 100, 1000, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}
	m = vecToSparse(v, 6, true)
	colMaxUpscale(m, 6)
	target := []float32{0, 0.25, 0, 0.5, 0, 0.75, 1, 0, 0.333333, 0, 0.666666, 0, 1, 0, 0.25, 0, 0, 0.5,
		0, 0.75, 1, 0, 0.001, 0, 0.01, 0.1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}
	assertSparse(t, m, vecToSparse(target, 6, true), fx(0.0001))
}

// Ports of tests/math.rs::test_math_mask_rows_sparse, test_math_mask_diag_sparse
// and test_math_vec_mask_sparse_matrix.
func TestMathMasksSparse(t *testing.T) {
	in := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	mat := vecToSparse(in, 3, false)
	for _, c := range []struct {
		mask   []bool
		target []float32
	}{
		{[]bool{false, false, false}, in},
		{[]bool{true, true, true}, make([]float32, 9)},
		{[]bool{true, false, true}, []float32{0, 0, 0, 4, 5, 6, 0, 0, 0}},
	} {
		assertSparse(t, maskRows(c.mask, mat), vecToSparse(c.target, 3, false), 0)
	}
	assertSparse(t, maskDiag(mat, -1), vecToSparse([]float32{0, 2, 3, 4, 0, 6, 7, 8, 0}, 3, false), 0)
	assertSparse(t, maskDiag(vecToSparse([]float32{1, 0, 0, 0, 5, 0, 0, 0, 9}, 3, false), -1), vecToSparse(make([]float32, 9), 3, false), 0)
	// mask_diag_sparse_except_index keeps the owner's self-weight.
	assertSparse(t, maskDiag(mat, 1), vecToSparse([]float32{0, 2, 3, 4, 5, 6, 7, 8, 0}, 3, false), 0)

	fv, sv := []uint64{1, 2, 3}, []uint64{1, 2, 3}
	assertSparse(t, vecMask(mat, fv, sv, func(a, b uint64) bool { return a == b }), vecToSparse([]float32{0, 2, 3, 4, 0, 6, 7, 8, 0}, 3, false), 0)
	assertSparse(t, vecMask(mat, fv, sv, func(a, b uint64) bool { return a < b }), vecToSparse([]float32{1, 0, 0, 4, 5, 0, 7, 8, 9}, 3, false), 0)
}

// Ports of tests/math.rs::test_math_row_hadamard_sparse, test_math_row_sum_sparse,
// test_math_sparse_matmul and test_math_sparse_matmul_transpose.
func TestMathSparseProducts(t *testing.T) {
	vec4 := vecFx32(1, 2, 3, 4)
	for _, c := range []struct{ m, target []float32 }{
		{[]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []float32{1, 2, 3, 8, 10, 12, 21, 24, 27, 40, 44, 48}},
		{[]float32{0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12}, []float32{0, 2, 3, 8, 0, 12, 21, 24, 0, 40, 44, 48}},
		{make([]float32, 12), make([]float32, 12)},
	} {
		assertSparse(t, rowHadamard(vecToSparse(c.m, 4, false), vec4), vecToSparse(c.target, 4, false), 0)
	}
	for _, c := range []struct {
		m      []float32
		target []I32F32
	}{
		{[]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, vecFx32(6, 15, 24, 33)},
		{[]float32{0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12}, vecFx32(5, 10, 15, 33)},
		{[]float32{1, 2, 3, 0, 0, 0, 7, 8, 9, 10, 11, 12}, vecFx32(6, 0, 24, 33)},
		{make([]float32, 12), vecFx32(0, 0, 0, 0)},
	} {
		assertVec(t, rowSum(vecToSparse(c.m, 4, false)), c.target, 0)
	}
	for _, c := range []struct {
		m          []float32
		mm, mmTran []I32F32
	}{
		{[]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, vecFx32(70, 80, 90), vecFx32(14, 32, 50, 68)},
		{[]float32{0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12}, vecFx32(69, 70, 63), vecFx32(13, 22, 23, 68)},
		{make([]float32, 12), vecFx32(0, 0, 0), vecFx32(0, 0, 0, 0)},
	} {
		m := vecToSparse(c.m, 4, false)
		assertVec(t, matmul(m, vec4, 3), c.mm, 0)
		assertVec(t, matmulTranspose(m, vecFx32(1, 2, 3)), c.mmTran, 0)
	}
}

// Port of tests/math.rs::test_math_col_clip_sparse.
func TestMathColClipSparse(t *testing.T) {
	c := vecFx32(0, 5, 12)
	for _, tc := range []struct{ m, target []float32 }{
		{[]float32{0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []float32{0, 2, 3, 0, 5, 6, 0, 5, 9, 0, 5, 12}},
		{[]float32{0, 2, 3, 4, 5, 6, 0, 0, 0, 10, 11, 12}, []float32{0, 2, 3, 0, 5, 6, 0, 0, 0, 0, 5, 12}},
		{make([]float32, 12), make([]float32, 12)},
	} {
		assertSparse(t, colClip(vecToSparse(tc.m, 4, false), c), vecToSparse(tc.target, 4, false), 0)
	}
}

// wm runs weighted_median over all indices with minority = one − majority.
func wm(stake, score []I32F32, majority I32F32) I32F32 {
	idx := make([]int, len(stake))
	for i := range idx {
		idx[i] = i
	}
	return WeightedMedian(stake, score, idx, One.Sub(majority), 0, sum(stake))
}

// Port of tests/math.rs::test_math_weighted_median (fixed cases, and the
// randomised check that the result is a valid median, with a seeded rng).
func TestMathWeightedMedian(t *testing.T) {
	maj := fx32(0.51)
	cases := []struct {
		stake, score []I32F32
		want         I32F32
	}{
		{vecFx32(), vecFx32(), 0},
		{Normalize(vecFx32(0.51)), vecFx32(1), One},
		{vecFx32(0.49, 0.51), vecFx32(0.5, 1), One},
		{vecFx32(0.51, 0.49), vecFx32(0.5, 1), fx32(0.5)},
		{vecFx32(0.49, 0, 0.51), vecFx32(0.5, 0.7, 1), One},
		{vecFx32(0.49, 0.01, 0.5), vecFx32(0.5, 0.7, 1), fx32(0.7)},
		{vecFx32(0.49, 0.51, 0.0), vecFx32(0.5, 0.7, 1), fx32(0.7)},
		{vecFx32(0.0, 0.49, 0.51), vecFx32(0.5, 0.7, 1), One},
		{vecFx32(0.0, 0.49, 0.0, 0.51), vecFx32(0.5, 0.5, 1, 1), One},
		{vecFx32(0.0, 0.49, 0.0, 0.51, 0.0), vecFx32(0.5, 0.5, 1, 1, 0.5), One},
		{vecFx32(0.2, 0.2, 0.2, 0.2, 0.2), vecFx32(0.8, 0.2, 1, 0.6, 0.4), fx32(0.6)},
		{vecFx32(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), vecFx32(0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4), fx32(0.6)},
	}
	for i, c := range cases {
		if got := wm(c.stake, c.score, maj); got != c.want {
			t.Errorf("case %d: got %v, want %v", i, got, c.want)
		}
	}

	rng := rand.New(rand.NewSource(1))
	const n = 100
	for _, majority := range vecFx32(0, 0.0000001, 0.25, 0.49, 0.49, 0.49, 0.5, 0.51, 0.51, 0.51, 0.9999999, 1) {
		for _, allowEqual := range []bool{false, true} {
			for rep := 0; rep < 20; rep++ {
				stake := make([]I32F32, n)
				score := make([]I32F32, n)
				var last I32F32
				for i := 0; i < n; i++ {
					if allowEqual {
						if rng.Intn(2) == 1 {
							stake[i] = One
						}
						if rng.Intn(2) == 1 {
							last += One
						}
						score[i] = last
					} else {
						stake[i] = One
						score[i] = FromInt(int64(i))
					}
				}
				inplaceNormalize(stake)
				total := sum(stake)
				minority := total - majority
				if minority < 0 {
					minority = 0
				}
				var medians []I32F32
				var medianStake, acc I32F32
				set := false
				for i := 0; i < n; i++ {
					acc += stake[i]
					if !set && acc >= minority {
						medianStake, set = acc, true
					}
					if set {
						if medianStake < acc {
							if medianStake == minority && !slices.Contains(medians, score[i]) {
								medians = append(medians, score[i])
							}
							break
						}
						if !slices.Contains(medians, score[i]) {
							medians = append(medians, score[i])
						}
					}
				}
				if len(medians) == 0 {
					medians = append(medians, 0)
				}
				idx := make([]int, n)
				for i := range idx {
					idx[i] = i
				}
				if got := WeightedMedian(stake, score, idx, minority, 0, total); !slices.Contains(medians, got) {
					t.Fatalf("majority %v: median %v not in %v", majority, got, medians)
				}
				for p := 0; p < 3; p++ {
					perm := rng.Perm(n)
					s2, c2 := make([]I32F32, n), make([]I32F32, n)
					for i, j := range perm {
						s2[i], c2[i] = stake[j], score[j]
					}
					if got := WeightedMedian(s2, c2, idx, minority, 0, total); !slices.Contains(medians, got) {
						t.Fatalf("permuted: median %v not in %v", got, medians)
					}
				}
			}
		}
	}
}

// Port of tests/math.rs::test_math_weighted_median_col_sparse.
func TestMathWeightedMedianColSparse(t *testing.T) {
	if got := weightedMedianCol(nil, sparse{{}}, 0, fx32(0.5)); len(got) != 0 {
		t.Fatalf("empty: %v", got)
	}
	assertVec(t, weightedMedianCol(vecFx32(0, 0), vecToSparse(make([]float32, 4), 2, false), 2, fx32(0.5)), vecFx32(0, 0), 0)
	w := vecToSparse([]float32{0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0.4, 0.5}, 4, false)
	stake := vecFx32(0, 0.75, 0.25, 0)
	assertVec(t, weightedMedianCol(stake, w, 3, fx32(0.24)), vecFx32(0, 0.3, 0.4), 0)
	assertVec(t, weightedMedianCol(stake, w, 3, fx32(0.26)), vecFx32(0, 0.2, 0.4), 0)
	assertVec(t, weightedMedianCol(stake, w, 3, fx32(0.76)), vecFx32(0, 0.2, 0.1), 0)
	w = vecToSparse([]float32{0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0, 0.5}, 4, false)
	assertVec(t, weightedMedianCol(vecFx32(0, 0.3, 0.2, 0.5), w, 3, fx32(0.51)), vecFx32(0, 0, 0.4), 0)
}

// Verifies YUMA.md §4 C2's characterisation of the median on random inputs:
// c = min{ s ∈ scores : Σ_{score ≤ s} stake > minority }.
func TestWeightedMedianCharacterisation(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for rep := 0; rep < 3000; rep++ {
		n := 1 + rng.Intn(12)
		stake := make([]I32F32, n)
		score := make([]I32F32, n)
		for i := range stake {
			stake[i] = FromBits(int64(1 + rng.Intn(1<<20)))
			score[i] = FromBits(int64(rng.Intn(6)) << 29)
		}
		inplaceNormalize(stake)
		kappa := FromBits(int64(rng.Intn(1 << 32)))
		total := sum(stake)
		minority := total.Sub(kappa)
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		got := WeightedMedian(stake, score, idx, minority, 0, total)
		want := I32F32(-1)
		sorted := slices.Clone(score)
		slices.Sort(sorted)
		for _, s := range sorted {
			var acc I32F32
			for i := range score {
				if score[i] <= s {
					acc += stake[i]
				}
			}
			if acc > minority {
				want = s
				break
			}
		}
		if want == -1 {
			want = sorted[len(sorted)-1]
		}
		if got != want {
			t.Fatalf("rep %d: median %v, characterisation %v (stake %v score %v minority %v)", rep, got, want, stake, score, minority)
		}
	}
}

// Port of tests/math.rs::test_math_interpolate_sparse.
func TestMathInterpolateSparse(t *testing.T) {
	assertSparse(t, interpolate(sparse{{}}, sparse{{}}, 0, 0), sparse{{}}, 0)
	m1, m2 := vecToSparse([]float32{0}, 1, false), vecToSparse([]float32{1}, 1, false)
	assertSparse(t, interpolate(m1, m2, 1, 0), vecToSparse([]float32{0}, 1, false), 0)
	assertSparse(t, interpolate(m1, m2, 1, fx(0.5)), vecToSparse([]float32{0.5}, 1, false), 0)
	assertSparse(t, interpolate(m1, m2, 1, One), vecToSparse([]float32{1}, 1, false), 0)
	z := make([]float32, 12)
	zm := vecToSparse(z, 4, false)
	assertSparse(t, interpolate(zm, zm, 3, 0), zm, 0)
	assertSparse(t, interpolate(zm, zm, 3, One), zm, 0)
	m1 = vecToSparse([]float32{1, 0, 100, 1000, 10000, 100000}, 3, false)
	m2 = vecToSparse([]float32{10, 100, 1000, 10000, 100000, 0}, 3, false)
	assertSparse(t, interpolate(m1, m2, 2, 0), m1, 0)
	assertSparse(t, interpolate(m1, m2, 2, fx(0.9)), vecToSparse([]float32{9.1, 90, 910, 9100, 91000, 10000}, 3, false), fx(0.0001))
	ones := make([]float32, 12)
	for i := range ones {
		ones[i] = 1
	}
	m2 = vecToSparse(ones, 4, false)
	fill := func(v float32) sparse {
		x := make([]float32, 12)
		for i := range x {
			x[i] = v
		}
		return vecToSparse(x, 4, false)
	}
	assertSparse(t, interpolate(zm, m2, 3, 0), zm, 0)
	assertSparse(t, interpolate(zm, m2, 3, fx(0.000000001)), fill(0.000000001), 0)
	assertSparse(t, interpolate(zm, m2, 3, fx(0.5)), fill(0.5), 0)
	assertSparse(t, interpolate(zm, m2, 3, fx(0.9999998808)), fill(0.999_999_9), 0)
	assertSparse(t, interpolate(zm, m2, 3, One), fill(1), 0)
}

// Port of tests/math.rs::test_math_sparse_mat_ema.
func TestMathSparseMatEMA(t *testing.T) {
	for i, c := range []struct{ old, new, target []float32 }{
		{[]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []float32{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120}, []float32{1.9, 3.8, 5.7, 7.6, 9.5, 11.4, 13.3, 15.2, 17.1, 19, 20.9, 22.8}},
		{[]float32{0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12}, []float32{10, 20, 0, 40, 0, 60, 0, 80, 90, 100, 110, 120}, []float32{1, 3.8, 2.7, 7.6, 0, 11.4, 6.3, 15.2, 9, 19, 20.9, 22.8}},
		{make([]float32, 12), []float32{10, 20, 0, 40, 0, 60, 0, 80, 90, 100, 110, 120}, []float32{1, 2, 0, 4, 0, 6, 0, 8, 9, 10, 11, 12}},
		{make([]float32, 12), make([]float32, 12), make([]float32, 12)},
		{[]float32{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []float32{0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}, []float32{0.9, 0, 0, 0, 0.2, 0, 0, 0, 0, 0, 0, 0}},
	} {
		got := matEMA(vecToSparse(c.new, 4, false), vecToSparse(c.old, 4, false), fx(0.1))
		t.Run("", func(t *testing.T) {
			_ = i
			assertSparse(t, got, vecToSparse(c.target, 4, false), fx(0.000001))
		})
	}
}

// Port of tests/math.rs::test_math_sparse_mat_ema_alpha: the liquid-alpha
// EMA, including the last case where an old bond whose column is absent from
// the new row is dropped.
func TestMathSparseMatEMAAlpha(t *testing.T) {
	alphas := func(v float32) [][]I32F32 {
		out := make([][]I32F32, 4)
		for i := range out {
			out[i] = vecFx32(v, v, v)
		}
		return out
	}
	for _, c := range []struct {
		old, new, target []float32
		eps              float64
	}{
		{[]float32{0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12}, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
			[]float32{0.19, 0.38, 1, 0.43599, 0.545, 0.65399, 0.763, 0.87199, 0.981, 1, 1, 1}, 1e-4},
		{[]float32{0.001, 0.002, 0.003, 0.004, 0.05, 0.006, 0.007, 0.008, 0.009, 0.010, 0.011, 0.012}, []float32{0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12},
			[]float32{0.0109, 0.0218, 0.30270, 0.007599, 0.05, 0.01139, 0.0133, 0.01519, 0.017, 0.01899, 0.02089, 0.0227}, 1e-4},
		{make([]float32, 12), []float32{0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12},
			[]float32{0.01, 0.02, 0.3, 0.00399, 0.005, 0.00599, 0.007, 0.00799, 0.009, 0.01, 0.011, 0.01199}, 1e-4},
		{make([]float32, 12), make([]float32, 12), make([]float32, 12), 1e-4},
		{[]float32{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []float32{0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0},
			[]float32{0, 0, 0, 0, 0.2, 0, 0, 0, 0, 0, 0, 0}, 1e-1},
	} {
		got := matEMAAlpha(vecToSparse(c.new, 4, false), vecToSparse(c.old, 4, false), alphas(0.1))
		assertSparse(t, got, vecToSparse(c.target, 4, false), fx(c.eps))
	}
}

// Ports of tests/math.rs::test_mat_ema_alpha_sparse_{single_element,
// multiple_elements,zero_alpha,one_alpha,mixed_alpha,sparse_matrix,varying_alpha}.
func TestMatEMAAlphaSparseCases(t *testing.T) {
	row := func(cells ...float64) []entry {
		r := make([]entry, 0, len(cells)/2)
		for i := 0; i < len(cells); i += 2 {
			r = append(r, entry{int(cells[i]), fx(cells[i+1])})
		}
		return r
	}
	a := func(v ...float64) []I32F32 {
		out := make([]I32F32, len(v))
		for i, f := range v {
			out[i] = fx(f)
		}
		return out
	}
	two := sparse{row(0, 1, 1, 2), row(0, 3, 1, 4)}
	twoOld := sparse{row(0, 5, 1, 6), row(0, 7, 1, 8)}
	ones := sparse{row(0, 1, 1, 1), row(0, 1, 1, 1)}
	cases := []struct {
		name     string
		new, old sparse
		alpha    [][]I32F32
		want     sparse
		eps      float64
	}{
		{"single_element", sparse{row(0, 1)}, sparse{row(0, 2)}, [][]I32F32{a(0.5)}, sparse{row(0, 1)}, 0},
		{"multiple_elements", two, twoOld, [][]I32F32{a(0.1, 0.2), a(0.1, 0.2)}, ones, 0.000001},
		{"zero_alpha", sparse{row(0, 1)}, sparse{row(0, 2)}, [][]I32F32{a(0.1, 0)}, sparse{row(0, 1)}, 0},
		{"one_alpha", sparse{row(0, 1)}, sparse{row(0, 2)}, [][]I32F32{a(1, 0)}, sparse{row(0, 1)}, 0},
		{"mixed_alpha", two, twoOld, [][]I32F32{a(0.3, 0.7), a(0.3, 0.7)}, ones, 0.000001},
		{"sparse_matrix", sparse{row(0, 1), row(1, 4)}, sparse{row(0, 5), row(1, 8)}, [][]I32F32{a(0.5, 0.5), a(0.5, 0.5)}, sparse{row(0, 1), row(1, 1)}, 0},
		{"varying_alpha", sparse{row(0, 0.1, 1, 0.2), row(0, 0.3, 1, 0.4)}, sparse{row(0, 0.5, 1, 0.6), row(0, 0.7, 1, 0.8)},
			[][]I32F32{a(0.9, 0.8), a(0.5, 0.7)}, sparse{row(0, 0.14, 1, 0.28), row(0, 0.499999, 1, 0.519999)}, 1e-6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertSparse(t, matEMAAlpha(c.new, c.old, c.alpha), c.want, fx(c.eps))
		})
	}
	if got := matEMAAlpha(nil, nil, nil); len(got) != 0 {
		t.Fatalf("empty: %v", got)
	}
}

// refLiquidAlphas is a direct transcription of
// compute_liquid_alpha_values_sparse (every row, every column), used to
// check the lazy liquidAlphas on rows in any order.
func refLiquidAlphas(w, b sparse, consensus []I32F32, low, high, steep I32F32) [][]I32F32 {
	out := make([][]I32F32, len(w))
	for i := range w {
		row := make([]I32F32, len(consensus))
		wi, bi := 0, 0
		for j, c := range consensus {
			var wv, bv I32F32
			for wi < len(w[i]) && w[i][wi].j < j {
				wi++
			}
			if wi < len(w[i]) && w[i][wi].j == j {
				wv = w[i][wi].v
			}
			for bi < len(b[i]) && b[i][bi].j < j {
				bi++
			}
			if bi < len(b[i]) && b[i][bi].j == j {
				bv = b[i][bi].v
			}
			row[j] = alphaSigmoid(c, wv, bv, low, high, steep)
		}
		out[i] = row
	}
	return out
}

func TestLiquidAlphasMatchReference(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for rep := 0; rep < 300; rep++ {
		n := 1 + rng.Intn(12)
		randRows := func() sparse {
			m := make(sparse, n)
			for i := range m {
				for _, j := range rng.Perm(n)[:rng.Intn(n+1)] {
					m[i] = append(m[i], entry{j, FromBits(rng.Int63n(int64(One) + 1))})
				}
				if rng.Intn(2) == 0 { // sorted rows half of the time
					slices.SortFunc(m[i], func(a, b entry) int { return a.j - b.j })
				}
			}
			return m
		}
		w, b := randRows(), randRows()
		c := make([]I32F32, n)
		for j := range c {
			c[j] = FromBits(rng.Int63n(int64(One) + 1))
		}
		low, high := U16Proportion(uint16(rng.Intn(30000))), U16Proportion(uint16(30000+rng.Intn(35536)))
		steep := FromInt(int64(rng.Intn(65536) - 32768))
		got := matEMAAlpha(w, b, liquidAlphas(w, b, c, low, high, steep))
		want := matEMAAlpha(w, b, refLiquidAlphas(w, b, c, low, high, steep))
		assertSparse(t, got, want, 0)
	}
}
