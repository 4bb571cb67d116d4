package models

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Shape is the size of a built-in random model.
type Shape struct {
	Dim, Hidden, Layers, Heads, KVHeads, Vocab, SeqLen int
	// Shared makes the classifier the embedding matrix (llama2.c's positive
	// vocab size); otherwise a separate classifier with a zero BOS row.
	Shared bool
}

// DefaultShape is the test shape of MODELS.md: dim 64, hidden 172, 2 layers,
// 4 heads, 2 kv heads, vocab 512, seq 256, unshared classifier.
func DefaultShape() Shape {
	return Shape{Dim: 64, Hidden: 172, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 512, SeqLen: 256}
}

// Shape15M is the benchmark shape of MODELS.md ("15M"): dim 288, hidden 768,
// 6 layers, 6 heads, 6 kv heads, vocab 32000, seq 256, unshared classifier.
func Shape15M() Shape {
	return Shape{Dim: 288, Hidden: 768, Layers: 6, Heads: 6, KVHeads: 6, Vocab: 32000, SeqLen: 256}
}

// Config returns the model configuration of the shape (llama2.c defaults:
// RMSNorm eps 1e-5, RoPE theta 10000).
func (s Shape) Config() Config {
	return Config{Dim: s.Dim, Hidden: s.Hidden, Layers: s.Layers, Heads: s.Heads, KVHeads: s.KVHeads,
		Vocab: s.Vocab, SeqLen: s.SeqLen, NormEps: 1e-5, RopeTheta: 10000}
}

// xorshift64s is MODELS.md's generator: xorshift64* with the output's high 32
// bits, of which the top 24 make a float64 in [0, 1).
type xorshift64s uint64

func (s *xorshift64s) float() float64 {
	x := uint64(*s)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*s = xorshift64s(x)
	u := uint32((x * 0x2545F4914F6CDD1D) >> 32)
	return float64(u>>8) / 16777216.0
}

// fill draws every value of dst as offset + (2f − 1)·scale in float64,
// rounded to float32.
func (s *xorshift64s) fill(dst []float32, offset, scale float64) {
	for i := range dst {
		f := s.float()
		dst[i] = float32(offset + float64((2*f-1)*scale))
	}
}

// Random returns the built-in random model of MODELS.md: its weights equal,
// bit for bit, the llama2.c v0 file that WriteLlama2C writes for it. Values
// are drawn in file order (embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1,
// w2, w3, rms_final, then wcls if unshared); every wcls row is drawn and then
// row 1 (BOS) is set to zero so greedy decoding never emits BOS.
func Random(shape Shape, seed uint64) (*Weights, error) {
	if seed == 0 {
		return nil, errors.New("random model: seed must not be 0 (xorshift64* state)")
	}
	c := shape.Config()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("random model: %w", err)
	}
	if c.Dim > 1<<13 || c.Hidden > 1<<15 || c.Vocab > 1<<18 || c.Layers > 64 {
		return nil, fmt.Errorf("random model: shape %+v is too large for a test model", shape)
	}
	rng := xorshift64s(seed)
	dim, hid, kv, L := c.Dim, c.Hidden, c.KVDim(), c.Layers
	mat := func(rows, cols int, scale float64) Matrix {
		v := make([]float32, rows*cols)
		rng.fill(v, 0, scale)
		return Matrix{DType: F32, Rows: rows, Cols: cols, Data: f32Bytes(v)}
	}
	norm := func() []float32 {
		v := make([]float32, dim)
		rng.fill(v, 1, 0.2)
		return v
	}
	w := &Weights{Config: c, Layers: make([]Layer, L)}
	sd, sh := 1/math.Sqrt(float64(dim)), 1/math.Sqrt(float64(hid))
	w.Embedding = mat(c.Vocab, dim, 1)
	for l := range w.Layers {
		w.Layers[l].AttnNorm = norm()
	}
	for l := range w.Layers {
		w.Layers[l].Q = mat(dim, dim, sd)
	}
	for l := range w.Layers {
		w.Layers[l].K = mat(kv, dim, sd)
	}
	for l := range w.Layers {
		w.Layers[l].V = mat(kv, dim, sd)
	}
	for l := range w.Layers {
		w.Layers[l].O = mat(dim, dim, sd)
	}
	for l := range w.Layers {
		w.Layers[l].FFNNorm = norm()
	}
	for l := range w.Layers {
		w.Layers[l].Gate = mat(hid, dim, sd)
	}
	for l := range w.Layers {
		w.Layers[l].Down = mat(dim, hid, sh)
	}
	for l := range w.Layers {
		w.Layers[l].Up = mat(hid, dim, sd)
	}
	w.FinalNorm = norm()
	if shape.Shared {
		w.Output = w.Embedding
	} else {
		w.Output = mat(c.Vocab, dim, 1)
		if c.Vocab > 1 {
			clear(w.Output.Data[dim*4 : 2*dim*4])
		}
	}
	return w, w.Check()
}

// sharedClassifier reports whether the classifier is the embedding matrix.
func sharedClassifier(w *Weights) bool {
	a, b := w.Embedding, w.Output
	return a.DType == b.DType && a.Rows == b.Rows && a.Cols == b.Cols && len(a.Data) == len(b.Data) &&
		(len(a.Data) == 0 || &a.Data[0] == &b.Data[0])
}

// WriteLlama2C writes w as a llama2.c v0 checkpoint: the 7 × int32 header
// (vocab negative when the classifier is separate), the float32 arrays in
// file order, the two legacy RoPE tables ([seq_len][head_size/2] cos, then
// sin, of float32(pos)·freq_i with the engine's portable cos/sin and
// run.c's float32 frequencies), then wcls when unshared. Every matrix must be
// F32, RMSNorm eps 1e-5 and RoPE theta 10000 (the format cannot say
// otherwise).
func WriteLlama2C(out io.Writer, w *Weights) error {
	if err := w.Check(); err != nil {
		return fmt.Errorf("write llama2.c: %w", err)
	}
	c := w.Config
	if c.RopeTheta != 10000 || (c.NormEps != 1e-5 && c.NormEps != 0) {
		return fmt.Errorf("write llama2.c: rope theta %g and norm eps %g cannot be expressed (need 10000, 1e-5)", c.RopeTheta, c.NormEps)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	vocab := int32(c.Vocab)
	shared := sharedClassifier(w)
	if !shared {
		vocab = -vocab
	}
	hdr := []int32{int32(c.Dim), int32(c.Hidden), int32(c.Layers), int32(c.Heads), int32(c.KVHeads), vocab, int32(c.SeqLen)}
	if err := binary.Write(bw, binary.LittleEndian, hdr); err != nil {
		return fmt.Errorf("write llama2.c: %w", err)
	}
	var err error
	vec := func(v []float32) {
		if err == nil {
			_, err = bw.Write(f32Bytes(v))
		}
	}
	mat := func(name string, m Matrix) {
		if err != nil {
			return
		}
		if m.DType != F32 {
			err = fmt.Errorf("%s is %v; llama2.c v0 holds only F32", name, m.DType)
			return
		}
		_, err = bw.Write(m.Data)
	}
	mat("embedding", w.Embedding)
	for _, l := range w.Layers {
		vec(l.AttnNorm)
	}
	for _, f := range []struct {
		name string
		get  func(*Layer) Matrix
	}{
		{"wq", func(l *Layer) Matrix { return l.Q }},
		{"wk", func(l *Layer) Matrix { return l.K }},
		{"wv", func(l *Layer) Matrix { return l.V }},
		{"wo", func(l *Layer) Matrix { return l.O }},
		{"", nil},
		{"w1", func(l *Layer) Matrix { return l.Gate }},
		{"w2", func(l *Layer) Matrix { return l.Down }},
		{"w3", func(l *Layer) Matrix { return l.Up }},
	} {
		for i := range w.Layers {
			if f.get == nil {
				vec(w.Layers[i].FFNNorm)
			} else {
				mat(fmt.Sprintf("layer %d %s", i, f.name), f.get(&w.Layers[i]))
			}
		}
	}
	vec(w.FinalNorm)
	hs := c.HeadSize()
	freqs := ropeFreqs(hs, 10000)
	cos, sin := make([]float32, c.SeqLen*hs/2), make([]float32, c.SeqLen*hs/2)
	for p := 0; p < c.SeqLen; p++ {
		ropeAngles(freqs, p, cos[p*hs/2:(p+1)*hs/2], sin[p*hs/2:(p+1)*hs/2])
	}
	vec(cos)
	vec(sin)
	if !shared {
		mat("classifier", w.Output)
	}
	if err != nil {
		return fmt.Errorf("write llama2.c: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write llama2.c: %w", err)
	}
	return nil
}
