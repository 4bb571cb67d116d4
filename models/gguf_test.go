package models

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formatsDequant expands a matrix to float32 from the formats' definitions
// in MODELS.md (test reference; the engine has its own kernels).
func formatsDequant(t testing.TB, m Matrix) []float32 {
	t.Helper()
	out := make([]float32, 0, m.Rows*m.Cols)
	b := m.Data
	switch m.DType {
	case F32:
		return llama2cF32s(b)
	case F16:
		for i := 0; i < len(b); i += 2 {
			out = append(out, ggufHalf(binary.LittleEndian.Uint16(b[i:])))
		}
	case BF16:
		for i := 0; i < len(b); i += 2 {
			out = append(out, math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[i:]))<<16))
		}
	case Q8_0:
		for i := 0; i < len(b); i += 34 {
			d := ggufHalf(binary.LittleEndian.Uint16(b[i:]))
			for j := 0; j < 32; j++ {
				out = append(out, float32(int8(b[i+2+j]))*d)
			}
		}
	case Q4_0:
		for i := 0; i < len(b); i += 18 {
			d := ggufHalf(binary.LittleEndian.Uint16(b[i:]))
			var blk [32]float32
			for j := 0; j < 16; j++ {
				q := b[i+2+j]
				blk[j] = float32(int(q&15)-8) * d
				blk[j+16] = float32(int(q>>4)-8) * d
			}
			out = append(out, blk[:]...)
		}
	default:
		t.Fatalf("dequant %v", m.DType)
	}
	if len(out) != m.Rows*m.Cols {
		t.Fatalf("dequant: %d values for %dx%d", len(out), m.Rows, m.Cols)
	}
	return out
}

func formatsLoad(t testing.TB, name string, opts ...LoadOption) *Model {
	t.Helper()
	m, err := Load(formatsTestdata(t, name), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// formatsAllMatrices lists a model's matrices with names.
func formatsAllMatrices(w *Weights) map[string]Matrix {
	out := map[string]Matrix{"embedding": w.Embedding, "output": w.Output}
	for i, l := range w.Layers {
		p := string(rune('0'+i)) + "."
		for n, m := range map[string]Matrix{"q": l.Q, "k": l.K, "v": l.V, "o": l.O, "gate": l.Gate, "down": l.Down, "up": l.Up} {
			out[p+n] = m
		}
	}
	return out
}

func TestGGUFStories260KEqualsLlama2C(t *testing.T) {
	bin := formatsLoad(t, "stories260K.bin", WithTokenizer(formatsTestdata(t, "tok512.bin")))
	f32 := formatsLoad(t, "stories260K.lcppconv.gguf")
	f16 := formatsLoad(t, "stories260K.lcpp.f16.gguf")
	if f32.Format != FormatGGUF || f32.Tokenizer == nil || f32.BOS != 1 || f32.EOS != 2 {
		t.Fatalf("format %q tokenizer %v bos %d eos %d", f32.Format, f32.Tokenizer, f32.BOS, f32.EOS)
	}
	// llama.cpp's converter wrote context_length 128 into the F32 file; every
	// other hyper-parameter matches the checkpoint.
	cb, cg := bin.Weights.Config, f32.Weights.Config
	if cg.SeqLen != 128 || f16.Weights.Config != cb {
		t.Errorf("gguf configs %+v / %+v, bin %+v", cg, f16.Weights.Config, cb)
	}
	cg.SeqLen = cb.SeqLen
	if cg != cb {
		t.Errorf("F32 gguf config %+v, bin %+v", cg, cb)
	}
	// F32: every weight bit-identical (the classifier is stored separately in
	// the GGUF but equals the shared embedding).
	want := bin.Weights
	got := *f32.Weights
	got.Config = want.Config
	formatsEqualWeights(t, &got, want)
	// F16: norms stay F32 and equal; matrices round to within half precision.
	mb, mh := formatsAllMatrices(want), formatsAllMatrices(f16.Weights)
	for name, m := range mb {
		h := mh[name]
		if h.DType != F16 {
			t.Fatalf("%s: %v in the F16 file", name, h.DType)
		}
		a, b := formatsDequant(t, m), formatsDequant(t, h)
		for i := range a {
			if d := math.Abs(float64(a[i] - b[i])); d > math.Abs(float64(a[i]))/1024+1e-7 {
				t.Fatalf("%s[%d]: bin %g, f16 %g", name, i, a[i], b[i])
			}
		}
	}
	formatsEqualVec(t, "f16 final norm", f16.Weights.FinalNorm, want.FinalNorm)
	// Tokenizers carried by the GGUF files encode like tok512.bin.
	for _, m := range []*Model{f32, f16} {
		for _, s := range []string{"Once upon a time", "Lily's mom said, \"hi\" 🙂\n"} {
			if a, b := m.Tokenizer.Encode(s, true, false), bin.Tokenizer.Encode(s, true, false); !formatsSameInts(a, b) {
				t.Errorf("gguf tokenizer %v, tok512 %v", a, b)
			}
		}
	}
}

func formatsEqualVec(t testing.TB, name string, a, b []float32) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d vs %d values", name, len(a), len(b))
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("%s[%d]: %g vs %g", name, i, a[i], b[i])
		}
	}
}

func formatsSameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGGUFRand64Quantised(t *testing.T) {
	f16 := formatsLoad(t, "rand64h192.lcpp.f16.gguf")
	want := Config{Dim: 64, Hidden: 192, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 512, SeqLen: 256, NormEps: 1e-5, RopeTheta: 10000}
	ref := formatsAllMatrices(f16.Weights)
	for _, tc := range []struct {
		file   string
		dtype  DType
		output DType
		tol    float64 // relative to the row's largest magnitude
	}{
		{"rand64h192.lcpp.f16.gguf", F16, F16, 0},
		{"rand64h192.lcpp.q8_0.gguf", Q8_0, Q8_0, 1.0 / 127},
		{"rand64h192.lcpp.q4_0.gguf", Q4_0, Q8_0, 1.0 / 7},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m := formatsLoad(t, tc.file)
			if m.Weights.Config != want {
				t.Fatalf("config %+v", m.Weights.Config)
			}
			for name, mat := range formatsAllMatrices(m.Weights) {
				wantType := tc.dtype
				if name == "output" {
					wantType = tc.output
				}
				if mat.DType != wantType {
					t.Errorf("%s is %v, want %v", name, mat.DType, wantType)
				}
				a, b := formatsDequant(t, ref[name]), formatsDequant(t, mat)
				for r := 0; r < mat.Rows; r++ {
					var amax float64
					for _, x := range a[r*mat.Cols : (r+1)*mat.Cols] {
						amax = max(amax, math.Abs(float64(x)))
					}
					for i := r * mat.Cols; i < (r+1)*mat.Cols; i++ {
						if d := math.Abs(float64(a[i] - b[i])); d > amax*tc.tol*1.01 {
							t.Fatalf("%s[%d]: f16 %g, %v %g", name, i, a[i], mat.DType, b[i])
						}
					}
				}
			}
			formatsEqualVec(t, "final norm", m.Weights.FinalNorm, f16.Weights.FinalNorm)
		})
	}
}

func TestGGUFTokenizerVectors(t *testing.T) {
	tok, err := LoadTokenizer(formatsTestdata(t, "ggml-vocab-llama-spm.gguf"), 32000)
	if err != nil {
		t.Fatal(err)
	}
	formatsCheckVectors(t, tok)
	bin := formatsLoadTok(t, "llama2-tokenizer.bin", 32000)
	for id := 0; id < 32000; id++ {
		if tok.Piece(id) != bin.Piece(id) && id > 2 {
			t.Fatalf("piece %d: gguf %q, tokenizer.bin %q", id, tok.Piece(id), bin.Piece(id))
		}
	}
	if _, err := LoadTokenizer(formatsTestdata(t, "ggml-vocab-llama-spm.gguf"), 512); err == nil {
		t.Error("vocab mismatch accepted")
	}
	// A vocabulary-only file is not a model.
	if _, err := Load(formatsTestdata(t, "ggml-vocab-llama-spm.gguf")); err == nil {
		t.Error("vocabulary-only GGUF loaded as a model")
	}
}

func TestGGUFBadFiles(t *testing.T) {
	good, err := os.ReadFile(formatsTestdata(t, "rand64h192.lcpp.q8_0.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	patch64 := func(off int, v uint64) []byte {
		c := append([]byte(nil), good...)
		binary.LittleEndian.PutUint64(c[off:], v)
		return c
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "magic"},
		{"magic only", []byte("GGUF"), "truncated"},
		{"version 1", append([]byte("GGUF\x01\x00\x00\x00"), make([]byte, 16)...), "version 1"},
		{"big endian", append([]byte("GGUF\x00\x00\x00\x03"), make([]byte, 16)...), "big-endian"},
		{"2^60 tensors", patch64(8, 1<<60), "tensor count"},
		{"2^60 kvs", patch64(16, 1<<60), "key/value count"},
		{"huge key", patch64(24, 1<<62), "string of"},
		{"truncated in metadata", good[:2000], "cannot fit"},
		{"truncated in tensor infos", good[:12000], "truncated"},
		{"truncated in data", good[:len(good)-100], "does not fit"},
		{"2^60 array elements", formatsGGUFOneKV(ggufArray, binary.LittleEndian.AppendUint64([]byte{ggufUint32, 0, 0, 0}, 1<<60)), "array count"},
		{"2^60 strings", formatsGGUFOneKV(ggufArray, binary.LittleEndian.AppendUint64([]byte{ggufString, 0, 0, 0}, 1<<60)), "array count"},
		{"huge string value", formatsGGUFOneKV(ggufString, binary.LittleEndian.AppendUint64(nil, 1<<40)), "string of"},
		{"deep nesting", formatsGGUFOneKV(ggufArray, formatsGGUFNested(20)), "nested deeper"},
		{"unknown value type", formatsGGUFOneKV(13, []byte{0}), "unknown value type"},
		{"bad bool", formatsGGUFOneKV(ggufBool, []byte{7}), "bool value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := parseGGUF(tc.data)
			if err == nil {
				_, err = g.weights()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// formatsGGUFBuilder writes small GGUF files for tests.
type formatsGGUFBuilder struct {
	kv      []byte
	nkv     int
	infos   []byte
	data    []byte
	ntensor int
}

func (b *formatsGGUFBuilder) str(out []byte, s string) []byte {
	out = binary.LittleEndian.AppendUint64(out, uint64(len(s)))
	return append(out, s...)
}

func (b *formatsGGUFBuilder) addKV(key string, typ uint32, val []byte) {
	b.kv = b.str(b.kv, key)
	b.kv = binary.LittleEndian.AppendUint32(b.kv, typ)
	b.kv = append(b.kv, val...)
	b.nkv++
}

func (b *formatsGGUFBuilder) u32(key string, v uint32) {
	b.addKV(key, ggufUint32, binary.LittleEndian.AppendUint32(nil, v))
}

func (b *formatsGGUFBuilder) addTensor(name string, typ uint32, dims []uint64, data []byte) {
	for len(b.data)%32 != 0 {
		b.data = append(b.data, 0)
	}
	b.infos = b.str(b.infos, name)
	b.infos = binary.LittleEndian.AppendUint32(b.infos, uint32(len(dims)))
	for _, d := range dims {
		b.infos = binary.LittleEndian.AppendUint64(b.infos, d)
	}
	b.infos = binary.LittleEndian.AppendUint32(b.infos, typ)
	b.infos = binary.LittleEndian.AppendUint64(b.infos, uint64(len(b.data)))
	b.data = append(b.data, data...)
	b.ntensor++
}

func (b *formatsGGUFBuilder) bytes() []byte {
	out := []byte("GGUF")
	out = binary.LittleEndian.AppendUint32(out, 3)
	out = binary.LittleEndian.AppendUint64(out, uint64(b.ntensor))
	out = binary.LittleEndian.AppendUint64(out, uint64(b.nkv))
	out = append(out, b.kv...)
	out = append(out, b.infos...)
	for len(out)%32 != 0 {
		out = append(out, 0)
	}
	return append(out, b.data...)
}

// formatsGGUFFromWeights writes F32 weights as a llama GGUF file; types maps
// a tensor name to a replacement (type, bytes) for error tests.
func formatsGGUFFromWeights(w *Weights, tied bool, override map[string]uint32, extra ...func(*formatsGGUFBuilder)) []byte {
	c := w.Config
	var b formatsGGUFBuilder
	for _, e := range extra {
		e(&b)
	}
	b.addKV("general.architecture", ggufString, b.str(nil, "llama"))
	b.u32("llama.embedding_length", uint32(c.Dim))
	b.u32("llama.feed_forward_length", uint32(c.Hidden))
	b.u32("llama.block_count", uint32(c.Layers))
	b.u32("llama.attention.head_count", uint32(c.Heads))
	b.u32("llama.attention.head_count_kv", uint32(c.KVHeads))
	b.u32("llama.context_length", uint32(c.SeqLen))
	b.addKV("llama.attention.layer_norm_rms_epsilon", ggufFloat32, binary.LittleEndian.AppendUint32(nil, math.Float32bits(c.NormEps)))
	b.addKV("llama.rope.freq_base", ggufFloat32, binary.LittleEndian.AppendUint32(nil, math.Float32bits(c.RopeTheta)))
	vec := func(v []float32) []byte {
		var out []byte
		for _, x := range v {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
		}
		return out
	}
	add := func(name string, m Matrix) {
		typ := uint32(0)
		if o, ok := override["*"]; ok { // every matrix
			typ = o
		}
		if o, ok := override[name]; ok {
			typ = o
		}
		b.addTensor(name, typ, []uint64{uint64(m.Cols), uint64(m.Rows)}, m.Data)
	}
	add("token_embd.weight", w.Embedding)
	b.addTensor("output_norm.weight", 0, []uint64{uint64(c.Dim)}, vec(w.FinalNorm))
	if !tied {
		add("output.weight", w.Output)
	}
	for i, l := range w.Layers {
		p := "blk." + string(rune('0'+i)) + "."
		b.addTensor(p+"attn_norm.weight", 0, []uint64{uint64(c.Dim)}, vec(l.AttnNorm))
		b.addTensor(p+"ffn_norm.weight", 0, []uint64{uint64(c.Dim)}, vec(l.FFNNorm))
		add(p+"attn_q.weight", l.Q)
		add(p+"attn_k.weight", l.K)
		add(p+"attn_v.weight", l.V)
		add(p+"attn_output.weight", l.O)
		add(p+"ffn_gate.weight", l.Gate)
		add(p+"ffn_down.weight", l.Down)
		add(p+"ffn_up.weight", l.Up)
	}
	return b.bytes()
}

func TestGGUFSynthetic(t *testing.T) {
	c := formatsSmallConfig
	c.NormEps, c.RopeTheta = 1e-6, 500000
	for _, tied := range []bool{true, false} {
		w := formatsRandWeights(c, 11, tied)
		g, err := parseGGUF(formatsGGUFFromWeights(w, tied, nil))
		if err != nil {
			t.Fatal(err)
		}
		got, err := g.weights()
		if err != nil {
			t.Fatal(err)
		}
		formatsEqualWeights(t, got, w)
		if tok, err := g.tokenizer(); tok != nil || err != nil {
			t.Errorf("no vocabulary: tokenizer %v, %v", tok, err)
		}
	}
	// F16 and BF16 matrices alias the file like F32 ones.
	for _, dt := range []struct {
		d    DType
		code uint32
	}{{F16, 1}, {BF16, 30}} {
		w := formatsToDType(formatsRandWeights(c, 12, false), dt.d)
		w.Config = c
		g, err := parseGGUF(formatsGGUFFromWeights(w, false, map[string]uint32{"*": dt.code}))
		if err != nil {
			t.Fatal(err)
		}
		got, err := g.weights()
		if err != nil {
			t.Fatal(err)
		}
		formatsEqualWeights(t, got, w)
	}
	// An unsupported K-quant type is named with its tensor.
	c.Dim, c.Hidden = 256, 256
	w := formatsRandWeights(c, 11, false)
	g, err := parseGGUF(formatsGGUFFromWeights(w, false, map[string]uint32{"blk.1.attn_q.weight": 12}))
	if err == nil {
		_, err = g.weights()
	}
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "blk.1.attn_q.weight") || !strings.Contains(err.Error(), "Q4_K") {
		t.Errorf("K-quant error: %v", err)
	}
}

// formatsGGUFOneKV is a GGUF header with one metadata value of type typ
// encoded as val, and no tensors.
func formatsGGUFOneKV(typ uint32, val []byte) []byte {
	var b formatsGGUFBuilder
	b.addKV("k", typ, val)
	return b.bytes()
}

// formatsGGUFNested encodes arrays nested depth deep around one empty
// uint8 array.
func formatsGGUFNested(depth int) []byte {
	inner := binary.LittleEndian.AppendUint64([]byte{ggufUint8, 0, 0, 0}, 0)
	for i := 0; i < depth; i++ {
		inner = append(binary.LittleEndian.AppendUint64([]byte{ggufArray, 0, 0, 0}, 1), inner...)
	}
	return inner
}

func TestGGUFDescribe(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"llama", `"llama"`},
		{uint32(7), "7"},
		{[]string{"a", "b"}, `["a" "b"]`},
		{make([]float32, 32000), "[32000 × float32]"},
		{[]any{[]uint8{1}}, "[1 arrays]"},
		{strings.Repeat("x", 100), `"` + strings.Repeat("x", 80) + `"… (100 bytes)`},
	} {
		if got := ggufDescribe(tc.v); got != tc.want {
			t.Errorf("describe(%T) = %q, want %q", tc.v, got, tc.want)
		}
	}
	info, err := Inspect(formatsTestdata(t, "stories260K.lcpp.f16.gguf"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Metadata["general.architecture"] != `"llama"` || info.Metadata["llama.block_count"] != "5" {
		t.Errorf("metadata %v", info.Metadata)
	}
	if _, ok := info.Metadata["tokenizer.ggml.tokens"]; ok {
		t.Error("the token list is in the metadata summary")
	}
}

func TestGGUFForeignTokenizer(t *testing.T) {
	w := formatsRandWeights(formatsSmallConfig, 8, true)
	data := formatsGGUFFromWeights(w, true, nil, func(b *formatsGGUFBuilder) {
		b.addKV("tokenizer.ggml.model", ggufString, b.str(nil, "gpt2"))
		toks := binary.LittleEndian.AppendUint32(nil, ggufString)
		toks = binary.LittleEndian.AppendUint64(toks, 1)
		b.addKV("tokenizer.ggml.tokens", ggufArray, b.str(toks, "x"))
	})
	dir := t.TempDir()
	path := filepath.Join(dir, "gpt2tok.gguf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "gpt2") {
		t.Fatalf("gpt2 tokenizer: %v", err)
	}
	// An explicit tokenizer replaces the one the file carries.
	tb := binary.LittleEndian.AppendUint32(nil, 8)
	for i := 0; i < formatsSmallConfig.Vocab; i++ {
		p := []string{"<unk>", "\n<s>\n", "\n</s>\n"}[min(i, 2)]
		if i > 2 {
			p = string(rune('a' + i))
		}
		tb = binary.LittleEndian.AppendUint32(tb, math.Float32bits(float32(i)))
		tb = binary.LittleEndian.AppendUint32(tb, uint32(len(p)))
		tb = append(tb, p...)
	}
	tokPath := filepath.Join(dir, "tokenizer.bin")
	if err := os.WriteFile(tokPath, tb, 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := Load(path, WithTokenizer(tokPath))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Tokenizer == nil || m.Tokenizer.Len() != formatsSmallConfig.Vocab || m.Tokenizer.Piece(4) != "e" {
		t.Errorf("tokenizer %v", m.Tokenizer)
	}
	if _, err := Load(path, WithTokenizer(filepath.Join(dir, "missing.bin"))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing tokenizer: %v", err)
	}
}
