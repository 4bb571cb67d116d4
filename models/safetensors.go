package models

import (
	"bytes"
	"encoding/binary"
	"encoding/json"

	"fmt"
	"math"
	"math/bits"
	"os"
	"sort"
)

// Hugging Face safetensors: u64 little-endian header length N, N bytes of
// JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
// {...}}, then the tensors' bytes, row-major, offsets relative to the byte
// after the header. Llama hyper-parameters come from config.json.

const (
	safetensorsMaxHeader = 100 << 20 // the reference implementation's limit
	safetensorsMaxConfig = 1 << 20
)

// safetensorsDTypes maps dtype names to their element size in bytes; only
// F32, F16 and BF16 map to a contract DType.
var safetensorsDTypes = map[string]int{
	"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U64": 8, "U32": 4,
	"U16": 2, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1,
}

var safetensorsContract = map[string]DType{"F32": F32, "F16": F16, "BF16": BF16}

type safetensorsTensor struct {
	Name        string
	DType       string   `json:"dtype"`
	Shape       []uint64 `json:"shape"`
	DataOffsets []uint64 `json:"data_offsets"`
	data        []byte
}

type safetensorsFile struct {
	tensors  map[string]*safetensorsTensor
	names    []string // sorted
	metadata map[string]string
}

func looksLikeSafetensors(data []byte) bool {
	if len(data) < 10 {
		return false
	}
	n := binary.LittleEndian.Uint64(data)
	return n >= 2 && n <= uint64(len(data)-8) && data[8] == '{'
}

// parseSafetensors decodes the header and checks every tensor's offsets
// against its shape and the file length; tensor data aliases data.
func parseSafetensors(data []byte) (*safetensorsFile, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("safetensors: %d bytes, too short for the header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > uint64(len(data)-8) || n > safetensorsMaxHeader {
		return nil, fmt.Errorf("safetensors: header of %d bytes does not fit the %d-byte file (limit %d)", n, len(data), safetensorsMaxHeader)
	}
	header := data[8 : 8+n]
	body := data[8+n:]
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(header))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("safetensors: header: %w", err)
	}
	if rest := header[dec.InputOffset():]; len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("safetensors: header: %d bytes of trailing data after the JSON object", len(rest))
	}
	f := &safetensorsFile{tensors: make(map[string]*safetensorsTensor, len(raw))}
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.metadata); err != nil {
				return nil, fmt.Errorf("safetensors: __metadata__: %w", err)
			}
			continue
		}
		t := &safetensorsTensor{Name: name}
		if err := json.Unmarshal(msg, t); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		size, ok := safetensorsDTypes[t.DType]
		if !ok {
			return nil, fmt.Errorf("safetensors: tensor %q has unknown dtype %q", name, t.DType)
		}
		if len(t.Shape) > 8 {
			return nil, fmt.Errorf("safetensors: tensor %q has %d dimensions", name, len(t.Shape))
		}
		elems := uint64(1)
		for _, d := range t.Shape {
			hi, lo := bits.Mul64(elems, d)
			if hi != 0 || lo > math.MaxInt64 {
				return nil, fmt.Errorf("safetensors: tensor %q shape %v overflows", name, t.Shape)
			}
			elems = lo
		}
		hi, nbytes := bits.Mul64(elems, uint64(size))
		if len(t.DataOffsets) != 2 {
			return nil, fmt.Errorf("safetensors: tensor %q: data_offsets %v, want [begin, end]", name, t.DataOffsets)
		}
		b, e := t.DataOffsets[0], t.DataOffsets[1]
		if hi != 0 || b > e || e > uint64(len(body)) || e-b != nbytes {
			return nil, fmt.Errorf("safetensors: tensor %q (%s %v): data_offsets [%d, %d] do not match its %d bytes within the %d-byte data section",
				name, t.DType, t.Shape, b, e, nbytes, len(body))
		}
		t.data = body[b:e:e]
		f.tensors[name] = t
		f.names = append(f.names, name)
	}
	sort.Strings(f.names)
	return f, nil
}

// hfConfig is the part of a Hugging Face Llama config.json the loader uses.
type hfConfig struct {
	ModelType         string          `json:"model_type"`
	HiddenSize        int             `json:"hidden_size"`
	IntermediateSize  int             `json:"intermediate_size"`
	NumHiddenLayers   int             `json:"num_hidden_layers"`
	NumAttentionHeads int             `json:"num_attention_heads"`
	NumKeyValueHeads  int             `json:"num_key_value_heads"`
	HeadDim           int             `json:"head_dim"`
	VocabSize         int             `json:"vocab_size"`
	MaxPositions      int             `json:"max_position_embeddings"`
	RMSNormEps        *float64        `json:"rms_norm_eps"`
	RopeTheta         *float64        `json:"rope_theta"`
	RopeScaling       json.RawMessage `json:"rope_scaling"`
	TieWordEmbeddings bool            `json:"tie_word_embeddings"`
	BOSTokenID        *int            `json:"bos_token_id"`
	EOSTokenID        json.RawMessage `json:"eos_token_id"`
}

func readHFConfig(path string) (Config, hfConfig, error) {
	var hc hfConfig
	st, err := os.Stat(path)
	if err != nil {
		return Config{}, hc, fmt.Errorf("safetensors needs the model's config.json: %w", err)
	}
	if st.Size() > safetensorsMaxConfig {
		return Config{}, hc, fmt.Errorf("config %s: %d bytes is too large", path, st.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, hc, err
	}
	c, hc, err := parseHFConfig(b)
	if err != nil {
		return c, hc, fmt.Errorf("config %s: %w", path, err)
	}
	return c, hc, nil
}

func parseHFConfig(b []byte) (Config, hfConfig, error) {
	var hc hfConfig
	if err := json.Unmarshal(b, &hc); err != nil {
		return Config{}, hc, err
	}
	if hc.ModelType != "" && hc.ModelType != "llama" {
		return Config{}, hc, fmt.Errorf("model_type %q: only llama is supported: %w", hc.ModelType, ErrUnsupported)
	}
	if len(hc.RopeScaling) > 0 && string(hc.RopeScaling) != "null" {
		return Config{}, hc, fmt.Errorf("rope_scaling %s: %w", hc.RopeScaling, ErrUnsupported)
	}
	c := Config{Dim: hc.HiddenSize, Hidden: hc.IntermediateSize, Layers: hc.NumHiddenLayers, Heads: hc.NumAttentionHeads,
		KVHeads: hc.NumKeyValueHeads, Vocab: hc.VocabSize, SeqLen: hc.MaxPositions, NormEps: 1e-6, RopeTheta: 10000}
	if c.KVHeads == 0 {
		c.KVHeads = c.Heads
	}
	if hc.RMSNormEps != nil {
		c.NormEps = float32(*hc.RMSNormEps)
	}
	if hc.RopeTheta != nil {
		c.RopeTheta = float32(*hc.RopeTheta)
	}
	if err := c.Validate(); err != nil {
		return c, hc, err
	}
	if hc.HeadDim != 0 && hc.HeadDim != c.HeadSize() {
		return c, hc, fmt.Errorf("head_dim %d differs from hidden_size/num_attention_heads %d: %w", hc.HeadDim, c.HeadSize(), ErrUnsupported)
	}
	return c, hc, nil
}

func loadSafetensors(data []byte, configPath string) (*Weights, error) {
	c, hc, err := readHFConfig(configPath)
	if err != nil {
		return nil, err
	}
	f, err := parseSafetensors(data)
	if err != nil {
		return nil, err
	}
	return f.weights(c, hc.TieWordEmbeddings)
}

// weights maps Hugging Face Llama tensor names; q_proj and k_proj rows are
// un-permuted from rotate-half to adjacent-pair RoPE order (a copy), every
// other matrix aliases the file.
func (f *safetensorsFile) weights(c Config, tied bool) (*Weights, error) {
	var firstErr error
	keep := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	mat := func(name string, rows, cols int) Matrix {
		m, err := f.matrix(name, rows, cols)
		keep(err)
		return m
	}
	vec := func(name string, n int) []float32 {
		v, err := f.vector(name, n)
		keep(err)
		return v
	}
	w := &Weights{Config: c, Layers: make([]Layer, c.Layers)}
	w.Embedding = mat("model.embed_tokens.weight", c.Vocab, c.Dim)
	w.FinalNorm = vec("model.norm.weight", c.Dim)
	if _, ok := f.tensors["lm_head.weight"]; ok && !tied {
		w.Output = mat("lm_head.weight", c.Vocab, c.Dim)
	} else {
		w.Output = w.Embedding
	}
	kv := c.KVDim()
	for i := range w.Layers {
		p := fmt.Sprintf("model.layers.%d.", i)
		l := Layer{
			AttnNorm: vec(p+"input_layernorm.weight", c.Dim),
			Q:        mat(p+"self_attn.q_proj.weight", c.Dim, c.Dim),
			K:        mat(p+"self_attn.k_proj.weight", kv, c.Dim),
			V:        mat(p+"self_attn.v_proj.weight", kv, c.Dim),
			O:        mat(p+"self_attn.o_proj.weight", c.Dim, c.Dim),
			FFNNorm:  vec(p+"post_attention_layernorm.weight", c.Dim),
			Gate:     mat(p+"mlp.gate_proj.weight", c.Hidden, c.Dim),
			Down:     mat(p+"mlp.down_proj.weight", c.Dim, c.Hidden),
			Up:       mat(p+"mlp.up_proj.weight", c.Hidden, c.Dim),
		}
		if firstErr != nil {
			return nil, firstErr
		}
		l.Q = safetensorsUnpermute(l.Q, c.Heads)
		l.K = safetensorsUnpermute(l.K, c.KVHeads)
		w.Layers[i] = l
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return w, nil
}

func (f *safetensorsFile) tensor(name string) (*safetensorsTensor, error) {
	t, ok := f.tensors[name]
	if !ok {
		return nil, fmt.Errorf("safetensors: missing tensor %s", name)
	}
	return t, nil
}

func (f *safetensorsFile) matrix(name string, rows, cols int) (Matrix, error) {
	t, err := f.tensor(name)
	if err != nil {
		return Matrix{}, err
	}
	dt, ok := safetensorsContract[t.DType]
	if !ok {
		return Matrix{}, fmt.Errorf("safetensors: tensor %s has dtype %s; supported are F32, F16 and BF16: %w", name, t.DType, ErrUnsupported)
	}
	if len(t.Shape) != 2 || t.Shape[0] != uint64(rows) || t.Shape[1] != uint64(cols) {
		return Matrix{}, fmt.Errorf("safetensors: tensor %s has shape %v, want [%d %d]", name, t.Shape, rows, cols)
	}
	return Matrix{DType: dt, Rows: rows, Cols: cols, Data: t.data}, nil
}

func (f *safetensorsFile) vector(name string, n int) ([]float32, error) {
	t, err := f.tensor(name)
	if err != nil {
		return nil, err
	}
	if len(t.Shape) != 1 || t.Shape[0] != uint64(n) {
		return nil, fmt.Errorf("safetensors: tensor %s has shape %v, want [%d]", name, t.Shape, n)
	}
	codes := map[string]uint32{"F32": 0, "F16": 1, "BF16": 30}
	code, ok := codes[t.DType]
	if !ok {
		return nil, fmt.Errorf("safetensors: tensor %s has dtype %s: %w", name, t.DType, ErrUnsupported)
	}
	return ggufFloats(code, t.data, n)
}

// safetensorsUnpermute undoes Hugging Face's q/k row permutation. Within
// each head of size hs, HF row j·hs/2 + i holds the original row 2i + j
// (j ∈ {0, 1}): the conversion script views the rows as [heads][hs/2][2],
// swaps the last two axes and flattens.
func safetensorsUnpermute(m Matrix, heads int) Matrix {
	if heads <= 0 || m.Rows%heads != 0 || (m.Rows/heads)%2 != 0 || len(m.Data)%m.Rows != 0 {
		return m
	}
	hs := m.Rows / heads
	rb := len(m.Data) / m.Rows
	out := make([]byte, len(m.Data))
	for h := 0; h < heads; h++ {
		for i := 0; i < hs/2; i++ {
			for j := 0; j < 2; j++ {
				dst := h*hs + 2*i + j
				src := h*hs + j*hs/2 + i
				copy(out[dst*rb:(dst+1)*rb], m.Data[src*rb:(src+1)*rb])
			}
		}
	}
	m.Data = out
	return m
}
