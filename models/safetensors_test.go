package models

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// formatsHFPermute applies Hugging Face's conversion permutation to q/k rows:
// view [heads][hs/2][2][cols], swap axes 1 and 2, flatten.
func formatsHFPermute(m Matrix, heads int) Matrix {
	hs := m.Rows / heads
	rb := len(m.Data) / m.Rows
	out := make([]byte, len(m.Data))
	for h := 0; h < heads; h++ {
		for a := 0; a < hs/2; a++ { // axis of length hs/2
			for b := 0; b < 2; b++ { // axis of length 2
				src := h*hs + a*2 + b      // index in the [hs/2][2] view
				dst := h*hs + b*(hs/2) + a // index in the transposed [2][hs/2] view
				copy(out[dst*rb:], m.Data[src*rb:(src+1)*rb])
			}
		}
	}
	m.Data = out
	return m
}

// formatsToDType re-encodes F32 weights as F16 (truncating the mantissa,
// flushing values below 2^-14 to zero) or BF16 (truncating), norms included,
// so the expected weights are exact.
func formatsToDType(w *Weights, dt DType) *Weights {
	half := func(f float32) uint16 {
		b := math.Float32bits(f)
		sign := uint16(b>>16) & 0x8000
		exp := int(b>>23&0xff) - 127
		if exp < -14 {
			return sign
		}
		return sign | uint16(exp+15)<<10 | uint16(b>>13&0x3ff)
	}
	conv := func(m Matrix) Matrix {
		fs := llama2cF32s(m.Data)
		out := make([]byte, 2*len(fs))
		for i, f := range fs {
			var v uint16
			if dt == F16 {
				v = half(f)
			} else {
				v = uint16(math.Float32bits(f) >> 16)
			}
			binary.LittleEndian.PutUint16(out[2*i:], v)
		}
		return Matrix{DType: dt, Rows: m.Rows, Cols: m.Cols, Data: out}
	}
	vec := func(v []float32) []float32 {
		out := make([]float32, len(v))
		for i, f := range v {
			if dt == F16 {
				out[i] = ggufHalf(half(f))
			} else {
				out[i] = math.Float32frombits(math.Float32bits(f) &^ 0xffff)
			}
		}
		return out
	}
	n := &Weights{Config: w.Config, Embedding: conv(w.Embedding), FinalNorm: vec(w.FinalNorm), Layers: make([]Layer, len(w.Layers))}
	if string(w.Output.Data) == string(w.Embedding.Data) {
		n.Output = n.Embedding
	} else {
		n.Output = conv(w.Output)
	}
	for i, l := range w.Layers {
		n.Layers[i] = Layer{AttnNorm: vec(l.AttnNorm), FFNNorm: vec(l.FFNNorm), Q: conv(l.Q), K: conv(l.K), V: conv(l.V),
			O: conv(l.O), Gate: conv(l.Gate), Down: conv(l.Down), Up: conv(l.Up)}
	}
	return n
}

// formatsWriteHF writes w (F32, F16 or BF16, llama2.c row order) as a
// Hugging Face model.safetensors + config.json in dir.
func formatsWriteHF(t testing.TB, dir string, w *Weights, tied bool) string {
	t.Helper()
	c := w.Config
	type entry struct {
		name  string
		dtype string
		shape []int
		data  []byte
	}
	var es []entry
	mat := func(name string, m Matrix) {
		es = append(es, entry{name, m.DType.String(), []int{m.Rows, m.Cols}, m.Data})
	}
	vec := func(name string, v []float32, dt DType) {
		var b []byte
		for _, f := range v {
			switch dt {
			case F32:
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
			case BF16:
				b = binary.LittleEndian.AppendUint16(b, uint16(math.Float32bits(f)>>16))
			case F16:
				bits := math.Float32bits(f)
				exp := int(bits>>23&0xff) - 127
				h := uint16(bits>>16) & 0x8000
				if f != 0 {
					h |= uint16(exp+15)<<10 | uint16(bits>>13&0x3ff)
				}
				b = binary.LittleEndian.AppendUint16(b, h)
			}
		}
		es = append(es, entry{name, dt.String(), []int{len(v)}, b})
	}
	dt := w.Embedding.DType
	mat("model.embed_tokens.weight", w.Embedding)
	if !tied {
		mat("lm_head.weight", w.Output)
	}
	vec("model.norm.weight", w.FinalNorm, dt)
	for i, l := range w.Layers {
		p := fmt.Sprintf("model.layers.%d.", i)
		vec(p+"input_layernorm.weight", l.AttnNorm, dt)
		vec(p+"post_attention_layernorm.weight", l.FFNNorm, dt)
		mat(p+"self_attn.q_proj.weight", formatsHFPermute(l.Q, c.Heads))
		mat(p+"self_attn.k_proj.weight", formatsHFPermute(l.K, c.KVHeads))
		mat(p+"self_attn.v_proj.weight", l.V)
		mat(p+"self_attn.o_proj.weight", l.O)
		mat(p+"mlp.gate_proj.weight", l.Gate)
		mat(p+"mlp.up_proj.weight", l.Up)
		mat(p+"mlp.down_proj.weight", l.Down)
	}
	sort.Slice(es, func(i, j int) bool { return es[i].name > es[j].name }) // any order works
	header := map[string]any{"__metadata__": map[string]string{"format": "pt"}}
	var body []byte
	for _, e := range es {
		header[e.name] = map[string]any{"dtype": e.dtype, "shape": e.shape, "data_offsets": []int{len(body), len(body) + len(e.data)}}
		body = append(body, e.data...)
	}
	hj, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	for len(hj)%8 != 0 {
		hj = append(hj, ' ')
	}
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(hj)))
	file = append(append(file, hj...), body...)
	path := filepath.Join(dir, "model.safetensors")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{"model_type": "llama", "architectures": []string{"LlamaForCausalLM"}, "hidden_size": c.Dim,
		"intermediate_size": c.Hidden, "num_hidden_layers": c.Layers, "num_attention_heads": c.Heads,
		"num_key_value_heads": c.KVHeads, "vocab_size": c.Vocab, "max_position_embeddings": c.SeqLen,
		"rms_norm_eps": c.NormEps, "rope_theta": c.RopeTheta, "tie_word_embeddings": tied, "rope_scaling": nil}
	cj, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), cj, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSafetensorsUnpermuteSmall(t *testing.T) {
	// One head of size 4: HF stores original rows in the order 0, 2, 1, 3.
	hf := Matrix{DType: F32, Rows: 4, Cols: 1, Data: []byte{0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1, 3, 3, 3, 3}}
	got := safetensorsUnpermute(hf, 1)
	if want := []byte{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}; string(got.Data) != string(want) {
		t.Fatalf("unpermute = %v", got.Data)
	}
	// Two heads of size 6: HF rows per head are 0 2 4 1 3 5.
	hf = Matrix{DType: F32, Rows: 12, Cols: 1}
	for _, r := range []byte{0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11} {
		hf.Data = append(hf.Data, r, r, r, r)
	}
	got = safetensorsUnpermute(hf, 2)
	for r := 0; r < 12; r++ {
		if got.Data[4*r] != byte(r) {
			t.Fatalf("two heads: row %d holds %d", r, got.Data[4*r])
		}
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	c := formatsSmallConfig
	c.NormEps = 1e-6
	for _, tc := range []struct {
		dtype DType
		tied  bool
	}{{F32, false}, {F32, true}, {F16, false}, {BF16, true}} {
		t.Run(fmt.Sprintf("%v tied=%v", tc.dtype, tc.tied), func(t *testing.T) {
			w := formatsRandWeights(c, 5, tc.tied)
			if tc.dtype != F32 {
				w = formatsToDType(w, tc.dtype)
			}
			path := formatsWriteHF(t, t.TempDir(), w, tc.tied)
			m, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if m.Format != FormatSafetensors || m.Tokenizer != nil {
				t.Errorf("format %q tokenizer %v", m.Format, m.Tokenizer)
			}
			formatsEqualWeights(t, m.Weights, w)
		})
	}
}

func TestSafetensorsStories260K(t *testing.T) {
	bin := formatsLoad(t, "stories260K.bin")
	dir := t.TempDir()
	formatsWriteHF(t, dir, bin.Weights, false)
	cfg := filepath.Join(dir, "config.json")
	other := filepath.Join(t.TempDir(), "weights.safetensors")
	if err := os.Rename(filepath.Join(dir, "model.safetensors"), other); err != nil {
		t.Fatal(err)
	}
	m, err := Load(other, WithConfig(cfg), WithTokenizer(formatsTestdata(t, "tok512.bin")))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := *bin.Weights
	formatsEqualWeights(t, m.Weights, &want)
	if m.Tokenizer == nil || m.Tokenizer.Len() != 512 {
		t.Error("WithTokenizer ignored")
	}
	if _, err := Load(other); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("missing config.json: %v", err)
	}
}

func TestSafetensorsBadFiles(t *testing.T) {
	w := formatsRandWeights(formatsSmallConfig, 9, false)
	dir := t.TempDir()
	path := formatsWriteHF(t, dir, w, false)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hlen := binary.LittleEndian.Uint64(good)
	header := string(good[8 : 8+hlen])
	withHeader := func(h string) []byte {
		out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(append(out, h...), good[8+hlen:]...)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"short", good[:4], "too short"},
		{"huge header length", binary.LittleEndian.AppendUint64(nil, 1<<62), "does not fit"},
		{"bad json", withHeader("{not json"), "header"},
		{"trailing data", withHeader(header + "{}"), "trailing data"},
		{"truncated body", good[:len(good)-4], "do not match"},
		{"unknown dtype", withHeader(strings.Replace(header, `"F32"`, `"F99"`, 1)), "unknown dtype"},
		{"bad offsets", withHeader(strings.Replace(header, `"data_offsets":[0,`, `"data_offsets":[4,`, 1)), "do not match"},
		{"overflowing shape", withHeader(strings.Replace(header, `"shape":[`, `"shape":[18446744073709551615,18446744073709551615,`, 1)), "overflows"},
		{"negative shape", withHeader(strings.Replace(header, `"shape":[`, `"shape":[-1,`, 1)), "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSafetensors(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name, cfg, want string
		unsupported     bool
	}{
		{"other model", `{"model_type":"gpt2","hidden_size":16}`, "gpt2", true},
		{"rope scaling", `{"model_type":"llama","rope_scaling":{"type":"llama3"}}`, "rope_scaling", true},
		{"zero sizes", `{"model_type":"llama"}`, "positive", false},
		{"not json", `{`, "unexpected", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parseHFConfig([]byte(tc.cfg))
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrUnsupported) != tc.unsupported {
				t.Fatalf("error %v, want %q (unsupported %v)", err, tc.want, tc.unsupported)
			}
		})
	}
}
