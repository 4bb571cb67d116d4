package models

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
)

// GGUF metadata value types.
const (
	ggufUint8   = 0
	ggufInt8    = 1
	ggufUint16  = 2
	ggufInt16   = 3
	ggufUint32  = 4
	ggufInt32   = 5
	ggufFloat32 = 6
	ggufBool    = 7
	ggufString  = 8
	ggufArray   = 9
	ggufUint64  = 10
	ggufInt64   = 11
	ggufFloat64 = 12
)

// ggufScalarSize is the encoded size of each fixed-size value type.
var ggufScalarSize = map[uint32]int{
	ggufUint8: 1, ggufInt8: 1, ggufBool: 1, ggufUint16: 2, ggufInt16: 2,
	ggufUint32: 4, ggufInt32: 4, ggufFloat32: 4, ggufUint64: 8, ggufInt64: 8, ggufFloat64: 8,
}

// ggufType describes a ggml tensor type: a block of blockLen values takes
// blockBytes bytes. dtype is the contract's DType for the supported ones.
type ggufType struct {
	name       string
	blockLen   int
	blockBytes int
	dtype      DType
	supported  bool
}

var ggufTypes = map[uint32]ggufType{
	0: {"F32", 1, 4, F32, true}, 1: {"F16", 1, 2, F16, true}, 2: {"Q4_0", 32, 18, Q4_0, true},
	3: {"Q4_1", 32, 20, 0, false}, 6: {"Q5_0", 32, 22, 0, false}, 7: {"Q5_1", 32, 24, 0, false},
	8: {"Q8_0", 32, 34, Q8_0, true}, 9: {"Q8_1", 32, 36, 0, false}, 10: {"Q2_K", 256, 84, 0, false},
	11: {"Q3_K", 256, 110, 0, false}, 12: {"Q4_K", 256, 144, 0, false}, 13: {"Q5_K", 256, 176, 0, false},
	14: {"Q6_K", 256, 210, 0, false}, 15: {"Q8_K", 256, 292, 0, false}, 16: {"IQ2_XXS", 256, 66, 0, false},
	17: {"IQ2_XS", 256, 74, 0, false}, 18: {"IQ3_XXS", 256, 98, 0, false}, 19: {"IQ1_S", 256, 50, 0, false},
	20: {"IQ4_NL", 32, 18, 0, false}, 21: {"IQ3_S", 256, 110, 0, false}, 22: {"IQ2_S", 256, 82, 0, false},
	23: {"IQ4_XS", 256, 136, 0, false}, 24: {"I8", 1, 1, 0, false}, 25: {"I16", 1, 2, 0, false},
	26: {"I32", 1, 4, 0, false}, 27: {"I64", 1, 8, 0, false}, 28: {"F64", 1, 8, 0, false},
	29: {"IQ1_M", 256, 56, 0, false}, 30: {"BF16", 1, 2, BF16, true}, 34: {"TQ1_0", 256, 54, 0, false},
	35: {"TQ2_0", 256, 66, 0, false},
}

func ggufTypeName(t uint32) string {
	if gt, ok := ggufTypes[t]; ok {
		return gt.name
	}
	return fmt.Sprintf("type %d", t)
}

const (
	ggufMaxDims       = 4
	ggufMaxNesting    = 8
	ggufDefaultAlign  = 32
	ggufMaxAlign      = 1 << 20
	ggufMinKVBytes    = 8 + 4 + 1         // empty key, type, one-byte value
	ggufMinInfoBytes  = 8 + 4 + 8 + 4 + 8 // empty name, one dim, type, offset
	ggufMaxStringSize = 1 << 30
)

// ggufTensor is one tensor info; data aliases the file.
type ggufTensor struct {
	name   string
	dims   []int64 // dims[0] is the contiguous row length
	typ    uint32
	offset uint64
	data   []byte
}

// elements is the number of values in the tensor.
func (t *ggufTensor) elements() int64 {
	n := int64(1)
	for _, d := range t.dims {
		n *= d
	}
	return n
}

// ggufFile is a parsed GGUF file. Metadata values are uint8, int8, uint16,
// int16, uint32, int32, float32, bool, string, uint64, int64, float64, or
// for arrays a typed slice of those ([]string, []float32, ...) or []any for
// arrays of arrays.
type ggufFile struct {
	version   uint32
	keys      []string
	kv        map[string]any
	kvType    map[string]uint32
	tensors   []ggufTensor
	byName    map[string]int
	alignment uint64
	dataStart int64
}

// ggufReader decodes little-endian values with bounds checks; the first
// failure sticks in err and every later read returns zero values.
type ggufReader struct {
	b   []byte
	off int
	err error
}

func (r *ggufReader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("gguf: at byte %d: %s", r.off, fmt.Sprintf(format, a...))
	}
}

func (r *ggufReader) left() int { return len(r.b) - r.off }

func (r *ggufReader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > r.left() {
		r.fail("need %d bytes, %d left (file truncated?)", n, r.left())
		return nil
	}
	b := r.b[r.off : r.off+n]
	r.off += n
	return b
}

func (r *ggufReader) u8() uint8 {
	if b := r.next(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *ggufReader) u16() uint16 {
	if b := r.next(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *ggufReader) u32() uint32 {
	if b := r.next(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *ggufReader) u64() uint64 {
	if b := r.next(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *ggufReader) str() string {
	n := r.u64()
	if r.err != nil {
		return ""
	}
	if n > uint64(r.left()) || n > ggufMaxStringSize {
		r.fail("string of %d bytes, %d left", n, r.left())
		return ""
	}
	return string(r.next(int(n)))
}

// count reads a u64 count of items of at least minSize bytes each and checks
// it against the bytes left, so no allocation exceeds the file size.
func (r *ggufReader) count(what string, minSize int) int {
	n := r.u64()
	if r.err != nil {
		return 0
	}
	if n > uint64(r.left()/minSize) {
		r.fail("%s count %d cannot fit in the %d bytes left", what, n, r.left())
		return 0
	}
	return int(n)
}

func (r *ggufReader) value(typ uint32, depth int) any {
	switch typ {
	case ggufUint8:
		return r.u8()
	case ggufInt8:
		return int8(r.u8())
	case ggufUint16:
		return r.u16()
	case ggufInt16:
		return int16(r.u16())
	case ggufUint32:
		return r.u32()
	case ggufInt32:
		return int32(r.u32())
	case ggufFloat32:
		return math.Float32frombits(r.u32())
	case ggufBool:
		v := r.u8()
		if v > 1 {
			r.fail("bool value %d", v)
		}
		return v == 1
	case ggufString:
		return r.str()
	case ggufUint64:
		return r.u64()
	case ggufInt64:
		return int64(r.u64())
	case ggufFloat64:
		return math.Float64frombits(r.u64())
	case ggufArray:
		if depth >= ggufMaxNesting {
			r.fail("arrays nested deeper than %d", ggufMaxNesting)
			return nil
		}
		return r.array(depth + 1)
	}
	r.fail("unknown value type %d", typ)
	return nil
}

func (r *ggufReader) array(depth int) any {
	et := r.u32()
	if r.err != nil {
		return nil
	}
	minSize, scalar := ggufScalarSize[et]
	switch {
	case scalar:
	case et == ggufString:
		minSize = 8
	case et == ggufArray:
		minSize = 4 + 8
	default:
		r.fail("unknown array element type %d", et)
		return nil
	}
	n := r.count("array", minSize)
	if r.err != nil {
		return nil
	}
	switch et {
	case ggufUint8:
		return ggufFill(r, n, r.u8)
	case ggufInt8:
		return ggufFill(r, n, func() int8 { return int8(r.u8()) })
	case ggufUint16:
		return ggufFill(r, n, r.u16)
	case ggufInt16:
		return ggufFill(r, n, func() int16 { return int16(r.u16()) })
	case ggufUint32:
		return ggufFill(r, n, r.u32)
	case ggufInt32:
		return ggufFill(r, n, func() int32 { return int32(r.u32()) })
	case ggufFloat32:
		return ggufFill(r, n, func() float32 { return math.Float32frombits(r.u32()) })
	case ggufBool:
		return ggufFill(r, n, func() bool { return r.value(ggufBool, depth).(bool) })
	case ggufString:
		return ggufFill(r, n, r.str)
	case ggufUint64:
		return ggufFill(r, n, r.u64)
	case ggufInt64:
		return ggufFill(r, n, func() int64 { return int64(r.u64()) })
	case ggufFloat64:
		return ggufFill(r, n, func() float64 { return math.Float64frombits(r.u64()) })
	default: // arrays of arrays
		return ggufFill(r, n, func() any { return r.value(ggufArray, depth) })
	}
}

func ggufFill[T any](r *ggufReader, n int, read func() T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = read()
		if r.err != nil {
			return nil
		}
	}
	return out
}

// parseGGUF decodes a GGUF v2/v3 file's header, metadata and tensor infos
// held in data, and checks every tensor lies inside the data section.
func parseGGUF(data []byte) (*ggufFile, error) {
	r := &ggufReader{b: data}
	if string(r.next(4)) != "GGUF" {
		return nil, errors.New("gguf: missing GGUF magic")
	}
	g := &ggufFile{kv: map[string]any{}, kvType: map[string]uint32{}, byName: map[string]int{}}
	g.version = r.u32()
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case g.version == 2 || g.version == 3:
	case g.version&0xFFFF == 0 && g.version != 0:
		return nil, fmt.Errorf("gguf: version %#x looks big-endian: %w", g.version, ErrUnsupported)
	default:
		return nil, fmt.Errorf("gguf: version %d (want 2 or 3): %w", g.version, ErrUnsupported)
	}
	nTensors := r.count("tensor", ggufMinInfoBytes)
	nKV := r.count("metadata key/value", ggufMinKVBytes)
	if r.err != nil {
		return nil, r.err
	}
	g.keys = make([]string, 0, nKV)
	for i := 0; i < nKV; i++ {
		key := r.str()
		typ := r.u32()
		v := r.value(typ, 0)
		if r.err != nil {
			return nil, fmt.Errorf("metadata %d (%q): %w", i, key, r.err)
		}
		if _, dup := g.kv[key]; dup {
			return nil, fmt.Errorf("gguf: duplicate metadata key %q", key)
		}
		g.keys = append(g.keys, key)
		g.kv[key] = v
		g.kvType[key] = typ
	}
	g.alignment = ggufDefaultAlign
	if v, ok := g.kv["general.alignment"]; ok {
		a, ok := v.(uint32)
		if !ok || a == 0 || a&(a-1) != 0 || a > ggufMaxAlign {
			return nil, fmt.Errorf("gguf: general.alignment %v is not a power of two up to %d", v, ggufMaxAlign)
		}
		g.alignment = uint64(a)
	}
	g.tensors = make([]ggufTensor, 0, nTensors)
	for i := 0; i < nTensors; i++ {
		var t ggufTensor
		t.name = r.str()
		nd := r.u32()
		if r.err == nil && (nd == 0 || nd > ggufMaxDims) {
			r.fail("tensor %q has %d dimensions (want 1 to %d)", t.name, nd, ggufMaxDims)
		}
		elems := uint64(1)
		for j := 0; j < int(nd) && r.err == nil; j++ {
			d := r.u64()
			hi, lo := bits.Mul64(elems, d)
			if d == 0 || d > math.MaxInt64 || hi != 0 || lo > math.MaxInt64 {
				r.fail("tensor %q: dimension %d is %d (empty, or too many elements)", t.name, j, d)
			}
			elems = lo
			t.dims = append(t.dims, int64(d))
		}
		t.typ = r.u32()
		t.offset = r.u64()
		if r.err != nil {
			return nil, fmt.Errorf("tensor info %d: %w", i, r.err)
		}
		if _, dup := g.byName[t.name]; dup {
			return nil, fmt.Errorf("gguf: duplicate tensor %q", t.name)
		}
		g.byName[t.name] = i
		g.tensors = append(g.tensors, t)
	}
	start := (uint64(r.off) + g.alignment - 1) / g.alignment * g.alignment
	if start > uint64(len(data)) {
		if nTensors > 0 {
			return nil, fmt.Errorf("gguf: data section starts at %d, past the end of the %d-byte file", start, len(data))
		}
		start = uint64(len(data))
	}
	g.dataStart = int64(start)
	section := data[start:]
	for i := range g.tensors {
		t := &g.tensors[i]
		gt, ok := ggufTypes[t.typ]
		if !ok {
			return nil, fmt.Errorf("gguf: tensor %q has unknown ggml type %d: %w", t.name, t.typ, ErrUnsupported)
		}
		if t.dims[0]%int64(gt.blockLen) != 0 {
			return nil, fmt.Errorf("gguf: tensor %q: row of %d values is not a multiple of %s's block of %d", t.name, t.dims[0], gt.name, gt.blockLen)
		}
		hi, size := bits.Mul64(uint64(t.elements()/int64(gt.blockLen)), uint64(gt.blockBytes))
		if hi != 0 || t.offset%g.alignment != 0 || t.offset > uint64(len(section)) || size > uint64(len(section))-t.offset {
			return nil, fmt.Errorf("gguf: tensor %q (%s, %v) at offset %d with %d bytes does not fit the %d-byte data section (alignment %d)",
				t.name, gt.name, t.dims, t.offset, size, len(section), g.alignment)
		}
		t.data = section[t.offset : t.offset+size : t.offset+size]
	}
	return g, nil
}

func (g *ggufFile) str(key string) (string, bool) {
	s, ok := g.kv[key].(string)
	return s, ok
}

// int reads an integer-valued key of any integer type.
func (g *ggufFile) int(key string) (int, bool, error) {
	v, ok := g.kv[key]
	if !ok {
		return 0, false, nil
	}
	var n int64
	switch x := v.(type) {
	case uint8:
		n = int64(x)
	case int8:
		n = int64(x)
	case uint16:
		n = int64(x)
	case int16:
		n = int64(x)
	case uint32:
		n = int64(x)
	case int32:
		n = int64(x)
	case uint64:
		if x > math.MaxInt32 {
			return 0, true, fmt.Errorf("gguf: %s = %d is out of range", key, x)
		}
		n = int64(x)
	case int64:
		n = x
	default:
		return 0, true, fmt.Errorf("gguf: %s is a %T, want an integer", key, v)
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, true, fmt.Errorf("gguf: %s = %d is out of range", key, n)
	}
	return int(n), true, nil
}

func (g *ggufFile) float(key string) (float64, bool, error) {
	switch x := g.kv[key].(type) {
	case nil:
		return 0, false, nil
	case float32:
		return float64(x), true, nil
	case float64:
		return x, true, nil
	default:
		return 0, true, fmt.Errorf("gguf: %s is a %T, want a float", key, x)
	}
}

// config reads the llama hyper-parameters. vocab comes from the embedding.
func (g *ggufFile) config() (Config, error) {
	arch, _ := g.str("general.architecture")
	if arch != "llama" {
		return Config{}, fmt.Errorf("gguf: architecture %q: only llama is supported: %w", arch, ErrUnsupported)
	}
	var c Config
	for _, p := range []struct {
		key      string
		dst      *int
		required bool
	}{
		{"llama.embedding_length", &c.Dim, true},
		{"llama.feed_forward_length", &c.Hidden, true},
		{"llama.block_count", &c.Layers, true},
		{"llama.attention.head_count", &c.Heads, true},
		{"llama.attention.head_count_kv", &c.KVHeads, false},
		{"llama.context_length", &c.SeqLen, true},
	} {
		v, ok, err := g.int(p.key)
		if err != nil {
			return c, err
		}
		if !ok && p.required {
			return c, fmt.Errorf("gguf: missing %s", p.key)
		}
		*p.dst = v
	}
	if c.KVHeads == 0 {
		c.KVHeads = c.Heads
	}
	c.NormEps, c.RopeTheta = llama2cNormEps, llama2cRopeTheta
	if v, ok, err := g.float("llama.attention.layer_norm_rms_epsilon"); err != nil {
		return c, err
	} else if ok {
		c.NormEps = float32(v)
	}
	if v, ok, err := g.float("llama.rope.freq_base"); err != nil {
		return c, err
	} else if ok {
		c.RopeTheta = float32(v)
	}
	emb, ok := g.byName["token_embd.weight"]
	if !ok {
		return c, errors.New("gguf: missing tensor token_embd.weight")
	}
	if t := g.tensors[emb]; len(t.dims) != 2 || t.dims[1] > math.MaxInt32 {
		return c, fmt.Errorf("gguf: token_embd.weight has shape %v, want [dim, vocab]", t.dims)
	} else {
		c.Vocab = int(t.dims[1])
	}
	if v, ok, err := g.int("llama.vocab_size"); err != nil {
		return c, err
	} else if ok && v != c.Vocab {
		return c, fmt.Errorf("gguf: llama.vocab_size %d, token_embd.weight has %d rows", v, c.Vocab)
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("gguf: %w", err)
	}
	if v, ok, err := g.int("llama.rope.dimension_count"); err != nil {
		return c, err
	} else if ok && v != c.HeadSize() {
		return c, fmt.Errorf("gguf: llama.rope.dimension_count %d differs from the head size %d (partial RoPE): %w", v, c.HeadSize(), ErrUnsupported)
	}
	return c, nil
}

// weights maps the llama tensors; matrices alias the file.
func (g *ggufFile) weights() (*Weights, error) {
	c, err := g.config()
	if err != nil {
		return nil, err
	}
	w := &Weights{Config: c, Layers: make([]Layer, c.Layers)}
	var firstErr error
	mat := func(name string, rows, cols int) Matrix {
		m, err := g.matrix(name, rows, cols)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return m
	}
	vec := func(name string, n int) []float32 {
		v, err := g.vector(name, n)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	}
	w.Embedding = mat("token_embd.weight", c.Vocab, c.Dim)
	w.FinalNorm = vec("output_norm.weight", c.Dim)
	if _, ok := g.byName["output.weight"]; ok {
		w.Output = mat("output.weight", c.Vocab, c.Dim)
	} else {
		w.Output = w.Embedding
	}
	kv := c.KVDim()
	for i := range w.Layers {
		p := fmt.Sprintf("blk.%d.", i)
		w.Layers[i] = Layer{
			AttnNorm: vec(p+"attn_norm.weight", c.Dim),
			Q:        mat(p+"attn_q.weight", c.Dim, c.Dim),
			K:        mat(p+"attn_k.weight", kv, c.Dim),
			V:        mat(p+"attn_v.weight", kv, c.Dim),
			O:        mat(p+"attn_output.weight", c.Dim, c.Dim),
			FFNNorm:  vec(p+"ffn_norm.weight", c.Dim),
			Gate:     mat(p+"ffn_gate.weight", c.Hidden, c.Dim),
			Down:     mat(p+"ffn_down.weight", c.Dim, c.Hidden),
			Up:       mat(p+"ffn_up.weight", c.Hidden, c.Dim),
		}
		if firstErr != nil {
			return nil, firstErr
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("gguf: %w", err)
	}
	return w, nil
}

func (g *ggufFile) tensor(name string) (*ggufTensor, error) {
	i, ok := g.byName[name]
	if !ok {
		return nil, fmt.Errorf("gguf: missing tensor %s", name)
	}
	return &g.tensors[i], nil
}

func (g *ggufFile) matrix(name string, rows, cols int) (Matrix, error) {
	t, err := g.tensor(name)
	if err != nil {
		return Matrix{}, err
	}
	gt := ggufTypes[t.typ]
	if !gt.supported {
		return Matrix{}, fmt.Errorf("gguf: tensor %s has type %s; supported types are F32, F16, BF16, Q8_0 and Q4_0: %w", name, gt.name, ErrUnsupported)
	}
	if len(t.dims) != 2 || t.dims[0] != int64(cols) || t.dims[1] != int64(rows) {
		return Matrix{}, fmt.Errorf("gguf: tensor %s has shape %v, want [%d %d]", name, t.dims, cols, rows)
	}
	return Matrix{DType: gt.dtype, Rows: rows, Cols: cols, Data: t.data}, nil
}

func (g *ggufFile) vector(name string, n int) ([]float32, error) {
	t, err := g.tensor(name)
	if err != nil {
		return nil, err
	}
	if len(t.dims) != 1 || t.dims[0] != int64(n) {
		return nil, fmt.Errorf("gguf: tensor %s has shape %v, want [%d]", name, t.dims, n)
	}
	v, err := ggufFloats(t.typ, t.data, n)
	if err != nil {
		return nil, fmt.Errorf("gguf: tensor %s: %w", name, err)
	}
	return v, nil
}

// ggufFloats converts n F32, F16 or BF16 values to float32.
func ggufFloats(typ uint32, b []byte, n int) ([]float32, error) {
	v := make([]float32, n)
	switch typ {
	case 0:
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case 1:
		for i := range v {
			v[i] = ggufHalf(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case 30:
		for i := range v {
			v[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		}
	default:
		return nil, fmt.Errorf("type %s: norm vectors must be F32, F16 or BF16: %w", ggufTypeName(typ), ErrUnsupported)
	}
	return v, nil
}

// ggufHalf converts IEEE half-precision bits to float32 exactly.
func ggufHalf(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // inf, NaN
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
	case mant == 0: // ±0
		return math.Float32frombits(sign)
	}
	// subnormal: mant · 2^-24
	f := float32(mant) * (1.0 / (1 << 24))
	if sign != 0 {
		f = -f
	}
	return f
}

// tokenizer builds the SentencePiece vocabulary from tokenizer.ggml.*, or
// returns nil when the file has none.
func (g *ggufFile) tokenizer() (*Tokenizer, error) {
	raw, ok := g.kv["tokenizer.ggml.tokens"]
	if !ok {
		return nil, nil
	}
	model, _ := g.str("tokenizer.ggml.model")
	if model != "llama" {
		return nil, fmt.Errorf("gguf: tokenizer model %q: only llama (SentencePiece) is supported: %w", model, ErrUnsupported)
	}
	pieces, ok := raw.([]string)
	if !ok {
		return nil, fmt.Errorf("gguf: tokenizer.ggml.tokens is a %T, want a string array", raw)
	}
	spec := TokenizerSpec{Pieces: pieces, BOS: 1, EOS: 2, UNK: 0}
	switch s := g.kv["tokenizer.ggml.scores"].(type) {
	case []float32:
		spec.Scores = s
	case nil:
		spec.Scores = make([]float32, len(pieces))
	default:
		return nil, fmt.Errorf("gguf: tokenizer.ggml.scores is a %T, want a float32 array", s)
	}
	switch tt := g.kv["tokenizer.ggml.token_type"].(type) {
	case []int32:
		spec.Types = make([]TokenType, len(tt))
		for i, x := range tt {
			spec.Types[i] = TokenType(x)
		}
	case nil:
	default:
		return nil, fmt.Errorf("gguf: tokenizer.ggml.token_type is a %T, want an int32 array", tt)
	}
	for _, id := range []struct {
		key string
		dst *int
	}{{"tokenizer.ggml.bos_token_id", &spec.BOS}, {"tokenizer.ggml.eos_token_id", &spec.EOS}, {"tokenizer.ggml.unknown_token_id", &spec.UNK}} {
		v, ok, err := g.int(id.key)
		if err != nil {
			return nil, err
		}
		if ok {
			*id.dst = v
		}
	}
	if v, ok := g.kv["tokenizer.ggml.add_space_prefix"].(bool); ok && !v {
		spec.NoSpacePrefix = true
	}
	tok, err := NewTokenizer(spec)
	if err != nil {
		return nil, fmt.Errorf("gguf: %w", err)
	}
	return tok, nil
}

// ggufDescribe renders a metadata value briefly: long strings cut, arrays
// longer than 8 items by element type and length.
func ggufDescribe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 80 {
			return fmt.Sprintf("%q… (%d bytes)", x[:80], len(x))
		}
		return fmt.Sprintf("%q", x)
	case []any:
		return fmt.Sprintf("[%d arrays]", len(x))
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
		if rv.Len() > 8 {
			return fmt.Sprintf("[%d × %s]", rv.Len(), rv.Type().Elem())
		}
		if ss, ok := v.([]string); ok {
			return fmt.Sprintf("%q", ss)
		}
	}
	return fmt.Sprint(v)
}
