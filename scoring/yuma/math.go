package yuma

import (
	"math"
	"sort"
)

// This file mirrors the helpers of Subtensor's epoch/math.rs that the sparse
// epoch uses, one Go function per Rust function (named in each comment), with
// the same iteration order so that every saturating sum and floor happens in
// the same place.

// entry is one (column, value) cell of a sparse row.
type entry struct {
	j int
	v I32F32
}

type sparse [][]entry

// sum is iter().sum(); saturating here (the sums of an epoch never overflow).
func sum(x []I32F32) I32F32 {
	var s I32F32
	for _, v := range x {
		s = s.Add(v)
	}
	return s
}

// isZero is is_zero.
func isZero(x []I32F32) bool { return sum(x) == 0 }

// inplaceNormalize is inplace_normalize.
func inplaceNormalize(x []I32F32) {
	s := sum(x)
	if s == 0 {
		return
	}
	for i := range x {
		x[i] = x[i].Div(s)
	}
}

// normalizeUsingSum is inplace_normalize_using_sum.
func normalizeUsingSum(x []I32F32, s I32F32) {
	if s == 0 {
		return
	}
	for i := range x {
		x[i] = x[i].Div(s)
	}
}

// normalize64 is inplace_normalize_64 followed by vec_fixed64_to_fixed32.
func normalize64(x []I64F64) []I32F32 {
	var s I64F64
	for _, v := range x {
		s = s.Add(v)
	}
	out := make([]I32F32, len(x))
	for i, v := range x {
		if !s.IsZero() {
			v = v.Div(s)
		}
		out[i] = v.ToI32F32()
	}
	return out
}

// isTopkNonzero is is_topk_nonzero: non-zero entries, of which only the k
// largest stay true (stable ascending sort: among ties the lower index is
// cleared first).
func isTopkNonzero(x []I32F32, k int) []bool {
	n := len(x)
	res := make([]bool, n)
	for i, v := range x {
		res[i] = v != 0
	}
	if n < k {
		return res
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	for _, i := range idx[:n-k] {
		res[i] = false
	}
	return res
}

// maskRows is mask_rows_sparse.
func maskRows(mask []bool, m sparse) sparse {
	out := make(sparse, len(m))
	for i, row := range m {
		if !mask[i] {
			out[i] = append([]entry(nil), row...)
		}
	}
	return out
}

// maskDiag is mask_diag_sparse / mask_diag_sparse_except_index (except < 0:
// no exception).
func maskDiag(m sparse, except int) sparse {
	out := make(sparse, len(m))
	for i, row := range m {
		r := make([]entry, 0, len(row))
		for _, e := range row {
			if e.j != i || (i == except && e.j == except) {
				r = append(r, e)
			}
		}
		out[i] = r
	}
	return out
}

// vecMask is vec_mask_sparse_matrix: drop (i, j) where mask(first[i], second[j]).
func vecMask(m sparse, first, second []uint64, mask func(a, b uint64) bool) sparse {
	out := make(sparse, len(m))
	for i, row := range m {
		r := make([]entry, 0, len(row))
		for _, e := range row {
			if !mask(first[i], second[e.j]) {
				r = append(r, e)
			}
		}
		out[i] = r
	}
	return out
}

// rowNormalize is inplace_row_normalize_sparse.
func rowNormalize(m sparse) {
	for _, row := range m {
		var s I32F32
		for _, e := range row {
			s = s.Add(e.v)
		}
		if s > 0 {
			for k := range row {
				row[k].v = row[k].v.Div(s)
			}
		}
	}
}

// rowSum is row_sum_sparse.
func rowSum(m sparse) []I32F32 {
	out := make([]I32F32, len(m))
	for i, row := range m {
		var s I32F32
		for _, e := range row {
			s = s.Add(e.v)
		}
		out[i] = s
	}
	return out
}

// matmul is matmul_sparse: result_j = Σ_i vector_i × m_ij.
func matmul(m sparse, vector []I32F32, cols int) []I32F32 {
	out := make([]I32F32, cols)
	for i, row := range m {
		s := vector[i]
		for _, e := range row {
			out[e.j] = out[e.j].Add(s.Mul(e.v))
		}
	}
	return out
}

// matmulTranspose is matmul_transpose_sparse: result_i = Σ_j vector_j × m_ij.
func matmulTranspose(m sparse, vector []I32F32) []I32F32 {
	out := make([]I32F32, len(m))
	for i, row := range m {
		var acc I32F32
		for _, e := range row {
			acc = acc.Add(vector[e.j].Mul(e.v))
		}
		out[i] = acc
	}
	return out
}

// colClip is col_clip_sparse: min(m_ij, c_j); cells whose clip threshold is
// ≤ 0 are removed.
func colClip(m sparse, c []I32F32) sparse {
	out := make(sparse, len(m))
	for i, row := range m {
		r := make([]entry, 0, len(row))
		for _, e := range row {
			th := c[e.j]
			if th < e.v {
				if th > 0 {
					r = append(r, entry{e.j, th})
				}
			} else {
				r = append(r, e)
			}
		}
		out[i] = r
	}
	return out
}

// WeightedMedian is weighted_median (the iterative form): the stake-weighted
// median of score over the indices in partition, with minority = stake_sum −
// κ, searched with a middle-element pivot.
func WeightedMedian(stake, score []I32F32, partition []int, minority, lo, hi I32F32) I32F32 {
	var sc medianScratch
	return sc.median(stake, score, partition, minority, lo, hi)
}

// medianScratch holds weighted_median's partition buffers between calls.
type medianScratch struct{ cur, lower, upper []int }

func (sc *medianScratch) median(stake, score []I32F32, partition []int, minority, lo, hi I32F32) I32F32 {
	if len(stake) != len(score) {
		return 0
	}
	cur := append(sc.cur[:0], partition...)
	limit := len(partition)
	lower, upper := sc.lower, sc.upper
	defer func() { sc.cur, sc.lower, sc.upper = cur, lower, upper }()
	for it := 0; ; {
		n := len(cur)
		if n == 0 {
			return 0
		}
		if n == 1 {
			return score[cur[0]]
		}
		pivot := score[cur[n/2]]
		var loStake, hiStake I32F32
		lower, upper = lower[:0], upper[:0]
		for _, idx := range cur {
			switch s := score[idx]; {
			case s == pivot:
			case s < pivot:
				loStake = loStake.Add(stake[idx])
				lower = append(lower, idx)
			default:
				hiStake = hiStake.Add(stake[idx])
				upper = append(upper, idx)
			}
		}
		switch {
		case minority < lo.Add(loStake) && len(lower) > 0:
			hi = lo.Add(loStake)
			cur = append(cur[:0], lower...)
		case hi.Sub(hiStake) <= minority && len(upper) > 0:
			lo = hi.Sub(hiStake)
			cur = append(cur[:0], upper...)
		default:
			return pivot
		}
		it++
		if it > limit {
			return 0
		}
	}
}

// weightedMedianCol is weighted_median_col_sparse.
func weightedMedianCol(stake []I32F32, m sparse, cols int, majority I32F32) []I32F32 {
	var useStake []I32F32
	for _, s := range stake {
		if s > 0 {
			useStake = append(useStake, s)
		}
	}
	inplaceNormalize(useStake)
	stakeSum := sum(useStake)
	minority := stakeSum.Sub(majority)
	k := len(useStake)
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	// Column-major cells (validator rank, value) in CSR form instead of
	// Rust's dense columns × k matrix; each column is densified just before
	// its median.
	start := make([]int, cols+1)
	for i, s := range stake {
		if s > 0 {
			for _, e := range m[i] {
				start[e.j+1]++
			}
		}
	}
	for c := 0; c < cols; c++ {
		start[c+1] += start[c]
	}
	rank := make([]int32, start[cols])
	val := make([]I32F32, start[cols])
	fill := append([]int(nil), start[:cols]...)
	r := int32(0)
	for i, s := range stake {
		if s <= 0 {
			continue
		}
		for _, e := range m[i] {
			rank[fill[e.j]], val[fill[e.j]] = r, e.v
			fill[e.j]++
		}
		r++
	}
	med := make([]I32F32, cols)
	score := make([]I32F32, k)
	var sc medianScratch
	for c := 0; c < cols; c++ {
		for x := start[c]; x < start[c+1]; x++ {
			score[rank[x]] = val[x] // a later duplicate overwrites, as in Rust
		}
		med[c] = sc.median(useStake, score, idx, minority, 0, stakeSum)
		for x := start[c]; x < start[c+1]; x++ {
			score[rank[x]] = 0
		}
	}
	return med
}

// interpolate is interpolate_sparse: a + ratio (b − a); ratio 0 returns a,
// ratio 1 returns b unchanged, otherwise a sorted row of the positive cells.
func interpolate(a, b sparse, cols int, ratio I32F32) sparse {
	if ratio == 0 {
		return a
	}
	if ratio == One {
		return b
	}
	out := make(sparse, len(a))
	row1 := make([]I32F32, cols)
	row2 := make([]I32F32, cols)
	for i := range a {
		if len(a[i]) == 0 && len(b[i]) == 0 {
			continue // every cell interpolates to 0 and is dropped
		}
		clear(row1)
		clear(row2)
		for _, e := range a[i] {
			row1[e.j] = e.v
		}
		for _, e := range b[i] {
			row2[e.j] = e.v
		}
		var r []entry
		for j := 0; j < cols; j++ {
			v := row1[j].Add(ratio.Mul(row2[j].Sub(row1[j])))
			if v > 0 {
				r = append(r, entry{j, v})
			}
		}
		out[i] = r
	}
	return out
}

// matEMA is mat_ema_sparse: α·new + (1−α)·old through a dense row
// accumulator, keeping positive cells in column order.
func matEMA(newM, old sparse, alpha I32F32) sparse {
	n := len(newM)
	oneMinus := One.Sub(alpha)
	out := make(sparse, n)
	acc := make([]I32F32, n)
	for i := range newM {
		if len(newM[i]) == 0 && len(old[i]) == 0 {
			continue
		}
		clear(acc)
		for _, e := range newM[i] {
			acc[e.j] = acc[e.j].Add(alpha.Mul(e.v))
		}
		for _, e := range old[i] {
			acc[e.j] = acc[e.j].Add(oneMinus.Mul(e.v))
		}
		var r []entry
		for j, v := range acc {
			if v > 0 {
				r = append(r, entry{j, v})
			}
		}
		out[i] = r
	}
	return out
}

// matEMAAlpha is mat_ema_alpha_sparse: per cell min(1, (1−α_ij)·old_ij +
// max(0, α_ij·new_ij)), emitted only for the cells of the new row, in its
// order.
func matEMAAlpha(newM, old sparse, alpha [][]I32F32) sparse {
	out := make(sparse, len(newM))
	for i := range newM {
		ar := alpha[i]
		if len(newM[i]) == 0 {
			continue // nothing is emitted for an empty new row
		}
		decayed := make([]I32F32, len(ar))
		for _, e := range old[i] {
			if e.j < len(ar) {
				decayed[e.j] = One.Sub(ar[e.j]).Mul(e.v)
			}
		}
		var r []entry
		for _, e := range newM[i] {
			if e.j >= len(ar) {
				continue
			}
			inc := ar[e.j].Mul(e.v).Max(0)
			v := decayed[e.j].Add(inc).Min(One)
			if v > 0 {
				r = append(r, entry{e.j, v})
			}
		}
		out[i] = r
	}
	return out
}

// colNormalize is inplace_col_normalize_sparse.
func colNormalize(m sparse, cols int) {
	s := make([]I32F32, cols)
	for _, row := range m {
		for _, e := range row {
			s[e.j] = s[e.j].Add(e.v)
		}
	}
	for _, row := range m {
		for k, e := range row {
			if s[e.j] != 0 {
				row[k].v = e.v.Div(s[e.j])
			}
		}
	}
}

// colMaxUpscale is inplace_col_max_upscale_sparse.
func colMaxUpscale(m sparse, cols int) {
	mx := make([]I32F32, cols)
	for _, row := range m {
		for _, e := range row {
			if mx[e.j] < e.v {
				mx[e.j] = e.v
			}
		}
	}
	for _, row := range m {
		for k, e := range row {
			if mx[e.j] != 0 {
				row[k].v = e.v.Div(mx[e.j])
			}
		}
	}
}

// rowHadamard is row_hadamard_sparse: m_ij × v_i.
func rowHadamard(m sparse, v []I32F32) sparse {
	out := make(sparse, len(m))
	for i, row := range m {
		r := make([]entry, len(row))
		for k, e := range row {
			r[k] = entry{e.j, e.v.Mul(v[i])}
		}
		out[i] = r
	}
	return out
}

// matVecMul is mat_vec_mul_sparse: m_ij × v_j, zero products dropped.
func matVecMul(m sparse, v []I32F32) sparse {
	out := make(sparse, len(m))
	for i, row := range m {
		var r []entry
		for _, e := range row {
			if e.j < len(v) {
				if p := e.v.Mul(v[e.j]); p != 0 {
					r = append(r, entry{e.j, p})
				}
			}
		}
		out[i] = r
	}
	return out
}

// vecMul is vec_mul: a_i × b_i with checked_mul, 0 on overflow.
func vecMul(a, b []I32F32) []I32F32 {
	out := make([]I32F32, min(len(a), len(b)))
	for i := range out {
		out[i], _ = a[i].CheckedMul(b[i])
	}
	return out
}

// clampValue is clamp_value.
func clampValue(v, lo, hi I32F32) I32F32 { return v.Min(hi).Max(lo) }

// alphaSigmoid is Pallet::alpha_sigmoid.
func alphaSigmoid(consensus, weight, bond, low, high, steepness I32F32) I32F32 {
	diffBuy := clampValue(weight.Sub(consensus), 0, One)
	diffSell := clampValue(bond.Sub(weight), 0, One)
	x := diffSell
	if weight >= bond {
		x = diffBuy
	}
	half := One / 2
	arg := steepness.SatDiv(FromInt(-100)).Mul(x.Sub(half))
	sig := One.SatDiv(One.Add(SafeExp(arg)))
	a := low.Add(sig.Mul(high.Sub(low)))
	return clampValue(a, low, high)
}

// liquidAlphas is compute_liquid_alpha_values_sparse: per row, the alpha of
// each column, found by walking the row with a forward cursor that assumes
// ascending columns (cells of unsorted rows are read as 0, exactly as in
// Rust). Only the cells mat_ema_alpha_sparse reads are evaluated — the
// columns of the row of w — and rows with an empty w row get no alphas;
// every evaluated alpha equals Rust's.
func liquidAlphas(w, b sparse, consensus []I32F32, low, high, steepness I32F32) [][]I32F32 {
	out := make([][]I32F32, len(w))
	need := make([]bool, len(consensus))
	for i := range w {
		wr, br := w[i], b[i]
		if len(wr) == 0 {
			continue
		}
		for _, e := range wr {
			if e.j < len(need) {
				need[e.j] = true
			}
		}
		row := make([]I32F32, len(consensus))
		wi, bi := 0, 0
		for j, c := range consensus {
			var wv, bv I32F32
			for wi < len(wr) {
				if wr[wi].j < j {
					wi++
					continue
				}
				if wr[wi].j == j {
					wv = wr[wi].v
				}
				break
			}
			for bi < len(br) {
				if br[bi].j < j {
					bi++
					continue
				}
				if br[bi].j == j {
					bv = br[bi].v
				}
				break
			}
			if need[j] {
				row[j] = alphaSigmoid(c, wv, bv, low, high, steepness)
			}
		}
		for _, e := range wr {
			if e.j < len(need) {
				need[e.j] = false
			}
		}
		out[i] = row
	}
	return out
}

// ---------------------------------------------------------------------------
// Quantisation

// MaxUpscaleU16 is vec_max_upscale_to_u16: scale x so that its maximum is
// 65535, rounding ties away from zero.
func MaxUpscaleU16(x []I32F32) []uint16 {
	u16max := FromU16(math.MaxUint16)
	threshold := FromInt(32768)
	out := make([]uint16, len(x))
	if len(x) == 0 {
		return out
	}
	mx := x[0]
	for _, v := range x[1:] {
		mx = mx.Max(v)
	}
	switch {
	case mx == 0:
		for i, v := range x {
			out[i] = v.Mul(u16max).ToU16()
		}
	case mx > threshold:
		f := u16max.Div(mx)
		for i, v := range x {
			out[i] = v.Mul(f).Round().ToU16()
		}
	default:
		for i, v := range x {
			out[i] = v.Mul(u16max).Div(mx).Round().ToU16()
		}
	}
	return out
}

// MaxUpscaleU16FromU16 is vec_u16_max_upscale_to_u16, the quantisation
// set_weights applies to a submitted weight vector.
func MaxUpscaleU16FromU16(x []uint16) []uint16 {
	f := make([]I32F32, len(x))
	for i, v := range x {
		f[i] = FromU16(v)
	}
	return MaxUpscaleU16(f)
}

// QuantizeWeights max-upscales float weights to u16 as set_weights stores
// them: each value becomes I32F32 (nearest, ties to even), then
// vec_max_upscale_to_u16. Negative, NaN or infinite values are an error.
func QuantizeWeights(w []float64) ([]uint16, error) {
	f := make([]I32F32, len(w))
	for i, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, errNegativeWeight(i, v)
		}
		f[i] = FromF64(v)
	}
	return MaxUpscaleU16(f), nil
}

// Normalize returns x normalised to sum 1 (inplace_normalize on a copy).
func Normalize(x []I32F32) []I32F32 {
	y := append([]I32F32(nil), x...)
	inplaceNormalize(y)
	return y
}
