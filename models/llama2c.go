package models

import (
	"encoding/binary"
	"fmt"
	"math"
)

// llama2.c checkpoints: v0 (legacy) is seven int32 then float32 weights; v1
// starts with the magic "ak42", a version and the same seven ints in a
// 256-byte header, then float32 weights in another order.
const (
	llama2cMagic      = 0x616b3432 // "ak42" read as a little-endian uint32
	llama2cV0Header   = 7 * 4
	llama2cV1Header   = 256
	llama2cNormEps    = 1e-5
	llama2cRopeTheta  = 10000
	llama2cFloatBytes = 4
)

// isLlama2C reports whether data starts like a llama2.c checkpoint: the
// "ak42" magic, or a v0 header of plausible sizes.
func isLlama2C(data []byte) bool {
	if len(data) >= 8 && binary.LittleEndian.Uint32(data) == llama2cMagic {
		return true
	}
	if len(data) < llama2cV0Header {
		return false
	}
	c, _, err := llama2cV0Config(data)
	return err == nil && c.Validate() == nil
}

func llama2cV0Config(data []byte) (Config, bool, error) {
	if len(data) < llama2cV0Header {
		return Config{}, false, fmt.Errorf("llama2.c: %d bytes, too short for the 28-byte header", len(data))
	}
	var h [7]int32
	for i := range h {
		h[i] = int32(binary.LittleEndian.Uint32(data[4*i:]))
	}
	vocab := int(h[5])
	shared := vocab > 0
	if vocab < 0 {
		vocab = -vocab
	}
	c := Config{Dim: int(h[0]), Hidden: int(h[1]), Layers: int(h[2]), Heads: int(h[3]), KVHeads: int(h[4]),
		Vocab: vocab, SeqLen: int(h[6]), NormEps: llama2cNormEps, RopeTheta: llama2cRopeTheta}
	return c, shared, nil
}

// parseLlama2C decodes a llama2.c checkpoint held in data (usually a memory
// map); the returned matrices alias data.
func parseLlama2C(data []byte) (*Weights, error) {
	if len(data) >= 8 && binary.LittleEndian.Uint32(data) == llama2cMagic {
		return parseLlama2CV1(data)
	}
	c, shared, err := llama2cV0Config(data)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("llama2.c v0 header: %w", err)
	}
	// Sizes in floats; Validate's limits keep every product far below 2^62.
	d, hd, L, V, kv := int64(c.Dim), int64(c.Hidden), int64(c.Layers), int64(c.Vocab), int64(c.KVDim())
	rope := int64(c.SeqLen) * int64(c.HeadSize()) / 2
	floats := V*d + L*(d+d*d+2*kv*d+d*d+d+3*hd*d) + d + 2*rope
	if !shared {
		floats += V * d
	}
	want := llama2cV0Header + floats*llama2cFloatBytes
	if int64(len(data)) != want {
		return nil, fmt.Errorf("llama2.c v0: file is %d bytes, header %+v (shared classifier %v) needs %d", len(data), c, shared, want)
	}
	r := llama2cReader{data: data, off: llama2cV0Header}
	w := &Weights{Config: c, Layers: make([]Layer, c.Layers)}
	w.Embedding = r.matrix(c.Vocab, c.Dim)
	for i := range w.Layers {
		w.Layers[i].AttnNorm = r.vector(c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].Q = r.matrix(c.Dim, c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].K = r.matrix(c.KVDim(), c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].V = r.matrix(c.KVDim(), c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].O = r.matrix(c.Dim, c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].FFNNorm = r.vector(c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].Gate = r.matrix(c.Hidden, c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].Down = r.matrix(c.Dim, c.Hidden)
	}
	for i := range w.Layers {
		w.Layers[i].Up = r.matrix(c.Hidden, c.Dim)
	}
	w.FinalNorm = r.vector(c.Dim)
	r.off += int(2 * rope * llama2cFloatBytes) // legacy RoPE tables
	if shared {
		w.Output = w.Embedding
	} else {
		w.Output = r.matrix(c.Vocab, c.Dim)
	}
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("llama2.c v0: %w", err)
	}
	return w, nil
}

// parseLlama2CV1 decodes the "ak42" version 1 (float32) layout: header
// magic, int32 version, seven int32 sizes, a shared-classifier byte, zero
// padding to 256 bytes; then the norms, the embedding, the per-layer
// matrices grouped by kind, and the classifier when unshared.
func parseLlama2CV1(data []byte) (*Weights, error) {
	if len(data) < llama2cV1Header {
		return nil, fmt.Errorf("llama2.c: %d bytes, too short for the 256-byte ak42 header", len(data))
	}
	version := int32(binary.LittleEndian.Uint32(data[4:]))
	switch version {
	case 1:
	case 2:
		return nil, fmt.Errorf("llama2.c: version 2 (int8 quantised) checkpoints are not supported: %w", ErrUnsupported)
	default:
		return nil, fmt.Errorf("llama2.c: unknown ak42 version %d: %w", version, ErrUnsupported)
	}
	c, _, err := llama2cV0Config(data[8:])
	if err != nil {
		return nil, err
	}
	if int32(binary.LittleEndian.Uint32(data[8+20:])) < 0 {
		return nil, fmt.Errorf("llama2.c v1: negative vocabulary size")
	}
	shared := data[8+28] != 0
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("llama2.c v1 header: %w", err)
	}
	d, hd, L, V, kv := int64(c.Dim), int64(c.Hidden), int64(c.Layers), int64(c.Vocab), int64(c.KVDim())
	floats := L*2*d + d + V*d + L*(d*d+2*kv*d+d*d+3*hd*d)
	if !shared {
		floats += V * d
	}
	want := llama2cV1Header + floats*llama2cFloatBytes
	if int64(len(data)) != want {
		return nil, fmt.Errorf("llama2.c v1: file is %d bytes, header %+v (shared classifier %v) needs %d", len(data), c, shared, want)
	}
	r := llama2cReader{data: data, off: llama2cV1Header}
	w := &Weights{Config: c, Layers: make([]Layer, c.Layers)}
	for i := range w.Layers {
		w.Layers[i].AttnNorm = r.vector(c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].FFNNorm = r.vector(c.Dim)
	}
	w.FinalNorm = r.vector(c.Dim)
	w.Embedding = r.matrix(c.Vocab, c.Dim)
	for i := range w.Layers {
		w.Layers[i].Q = r.matrix(c.Dim, c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].K = r.matrix(c.KVDim(), c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].V = r.matrix(c.KVDim(), c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].O = r.matrix(c.Dim, c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].Gate = r.matrix(c.Hidden, c.Dim)
	}
	for i := range w.Layers {
		w.Layers[i].Down = r.matrix(c.Dim, c.Hidden)
	}
	for i := range w.Layers {
		w.Layers[i].Up = r.matrix(c.Hidden, c.Dim)
	}
	if shared {
		w.Output = w.Embedding
	} else {
		w.Output = r.matrix(c.Vocab, c.Dim)
	}
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("llama2.c v1: %w", err)
	}
	return w, nil
}

// llama2cReader hands out consecutive float32 arrays of a checkpoint whose
// total size the caller has already checked.
type llama2cReader struct {
	data []byte
	off  int
}

func (r *llama2cReader) matrix(rows, cols int) Matrix {
	n := rows * cols * llama2cFloatBytes
	m := Matrix{DType: F32, Rows: rows, Cols: cols, Data: r.data[r.off : r.off+n : r.off+n]}
	r.off += n
	return m
}

func (r *llama2cReader) vector(n int) []float32 {
	v := llama2cF32s(r.data[r.off : r.off+n*llama2cFloatBytes])
	r.off += n * llama2cFloatBytes
	return v
}

// llama2cF32s copies little-endian float32 values into a new slice.
func llama2cF32s(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
