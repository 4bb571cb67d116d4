package models

import "fmt"

// This file is the contract between the model file formats (llama2.c, GGUF,
// safetensors; they produce a Weights) and the engine (kernels, forward pass,
// sampler; it consumes one). Both sides rely on it: change it in one commit
// with both sides.

// DType is how a weight matrix is stored.
type DType uint8

// Storage types. Values match nothing on disk; each format maps its own codes.
const (
	F32  DType = iota // little-endian IEEE float32
	F16               // little-endian IEEE half
	BF16              // little-endian bfloat16
	Q8_0              // blocks of 32: f16 scale d, 32 × int8; x = q·d (34 bytes)
	Q4_0              // blocks of 32: f16 scale d, 16 bytes of nibbles; x[j] = (lo−8)·d, x[j+16] = (hi−8)·d (18 bytes)
)

var dtypeNames = [...]string{F32: "F32", F16: "F16", BF16: "BF16", Q8_0: "Q8_0", Q4_0: "Q4_0"}

func (d DType) String() string {
	if int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return fmt.Sprintf("DType(%d)", d)
}

// RowBytes is the size in bytes of one row of cols values, or an error when
// cols does not fit the type's block size.
func (d DType) RowBytes(cols int) (int, error) {
	switch d {
	case F32:
		return 4 * cols, nil
	case F16, BF16:
		return 2 * cols, nil
	case Q8_0, Q4_0:
		if cols%32 != 0 {
			return 0, fmt.Errorf("%v row of %d values: not a multiple of the block size 32", d, cols)
		}
		if d == Q8_0 {
			return cols / 32 * 34, nil
		}
		return cols / 32 * 18, nil
	}
	return 0, fmt.Errorf("unknown dtype %d", d)
}

// Matrix is a weight matrix stored row-major as [Rows][Cols] ([out][in]: the
// engine computes W·x) in its file's encoding. Data usually aliases a
// read-only memory map of the model file: never write to it.
type Matrix struct {
	DType      DType
	Rows, Cols int
	Data       []byte
}

// Config holds a Llama model's hyper-parameters.
type Config struct {
	Dim       int     // embedding width
	Hidden    int     // feed-forward width
	Layers    int     // transformer blocks
	Heads     int     // attention (query) heads
	KVHeads   int     // key/value heads (grouped-query attention); Heads % KVHeads == 0
	Vocab     int     // vocabulary size
	SeqLen    int     // maximum context length
	NormEps   float32 // RMSNorm epsilon (1e-5 for llama2.c files)
	RopeTheta float32 // RoPE base (10000 unless the file says otherwise)
}

// HeadSize is Dim / Heads.
func (c Config) HeadSize() int { return c.Dim / c.Heads }

// KVDim is the width of the key and value projections.
func (c Config) KVDim() int { return c.KVHeads * c.HeadSize() }

// Validate checks that the hyper-parameters describe a model the engine can
// run, with limits that keep a hostile header from asking for huge memory.
func (c Config) Validate() error {
	switch {
	case c.Dim <= 0 || c.Hidden <= 0 || c.Layers <= 0 || c.Heads <= 0 || c.KVHeads <= 0 || c.Vocab <= 0 || c.SeqLen <= 0:
		return fmt.Errorf("model config %+v: every size must be positive", c)
	case c.Dim > 1<<16 || c.Hidden > 1<<18 || c.Layers > 1024 || c.Heads > 1024 || c.Vocab > 1<<21 || c.SeqLen > 1<<20:
		return fmt.Errorf("model config %+v: a size is beyond any supported model", c)
	case c.Dim%c.Heads != 0:
		return fmt.Errorf("model config: dim %d is not a multiple of heads %d", c.Dim, c.Heads)
	case c.Heads%c.KVHeads != 0:
		return fmt.Errorf("model config: heads %d is not a multiple of kv heads %d", c.Heads, c.KVHeads)
	case c.HeadSize()%2 != 0:
		return fmt.Errorf("model config: head size %d is odd (RoPE rotates pairs)", c.HeadSize())
	case !(c.NormEps > 0) || !(c.RopeTheta > 0):
		return fmt.Errorf("model config: norm eps %g and rope theta %g must be positive", c.NormEps, c.RopeTheta)
	}
	return nil
}

// Layer holds one transformer block.
type Layer struct {
	AttnNorm []float32 // [Dim]
	Q        Matrix    // [Dim][Dim]
	K        Matrix    // [KVDim][Dim]
	V        Matrix    // [KVDim][Dim]
	O        Matrix    // [Dim][Dim]
	FFNNorm  []float32 // [Dim]
	Gate     Matrix    // w1 [Hidden][Dim]
	Down     Matrix    // w2 [Dim][Hidden]
	Up       Matrix    // w3 [Hidden][Dim]
}

// Weights is a whole model. Q and K rows use llama2.c's RoPE pairing
// (adjacent pairs); formats that store them otherwise (Hugging Face) are
// un-permuted by their loader.
type Weights struct {
	Config    Config
	Embedding Matrix    // [Vocab][Dim]
	Layers    []Layer   // [Layers]
	FinalNorm []float32 // [Dim]
	Output    Matrix    // [Vocab][Dim]; equal to Embedding when the classifier is shared
}

// Check verifies every shape and byte length against Config.
func (w *Weights) Check() error {
	c := w.Config
	if err := c.Validate(); err != nil {
		return err
	}
	if len(w.Layers) != c.Layers {
		return fmt.Errorf("weights: %d layers, config says %d", len(w.Layers), c.Layers)
	}
	mat := func(name string, m Matrix, rows, cols int) error {
		if m.Rows != rows || m.Cols != cols {
			return fmt.Errorf("weights: %s is %d×%d, want %d×%d", name, m.Rows, m.Cols, rows, cols)
		}
		rb, err := m.DType.RowBytes(cols)
		if err != nil {
			return fmt.Errorf("weights: %s: %w", name, err)
		}
		if len(m.Data) != rows*rb {
			return fmt.Errorf("weights: %s holds %d bytes, want %d", name, len(m.Data), rows*rb)
		}
		return nil
	}
	vec := func(name string, v []float32, n int) error {
		if len(v) != n {
			return fmt.Errorf("weights: %s has %d values, want %d", name, len(v), n)
		}
		return nil
	}
	if err := mat("embedding", w.Embedding, c.Vocab, c.Dim); err != nil {
		return err
	}
	if err := mat("output", w.Output, c.Vocab, c.Dim); err != nil {
		return err
	}
	if err := vec("final norm", w.FinalNorm, c.Dim); err != nil {
		return err
	}
	kv := c.KVDim()
	for i, l := range w.Layers {
		p := fmt.Sprintf("layer %d ", i)
		for _, e := range []error{
			vec(p+"attn norm", l.AttnNorm, c.Dim), vec(p+"ffn norm", l.FFNNorm, c.Dim),
			mat(p+"q", l.Q, c.Dim, c.Dim), mat(p+"k", l.K, kv, c.Dim), mat(p+"v", l.V, kv, c.Dim),
			mat(p+"o", l.O, c.Dim, c.Dim), mat(p+"gate", l.Gate, c.Hidden, c.Dim),
			mat(p+"down", l.Down, c.Dim, c.Hidden), mat(p+"up", l.Up, c.Hidden, c.Dim),
		} {
			if e != nil {
				return e
			}
		}
	}
	return nil
}
