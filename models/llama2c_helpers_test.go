package models

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// formatsTestdata returns the path of a fixture in the shared model test
// data folder, skipping the test when the folder is absent (failing when
// GANGLION_REQUIRE_TESTDATA=1).
func formatsTestdata(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("GANGLION_TESTDATA")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared", "testdata", "models")
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("GANGLION_REQUIRE_TESTDATA") == "1" {
			t.Fatalf("fixture %s missing (GANGLION_REQUIRE_TESTDATA=1): %v", p, err)
		}
		t.Skipf("fixture %s missing: set GANGLION_TESTDATA to the folder holding the model fixtures (see docs, MODELS.md)", p)
	}
	return p
}

// formatsRandWeights builds F32 weights of shape c from a simple xorshift
// generator (test data only; not models.Random).
func formatsRandWeights(c Config, seed uint64, shared bool) *Weights {
	s := seed | 1
	next := func() float32 {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		return float32(int64(s>>40)-(1<<23)) / (1 << 23)
	}
	mat := func(r, cols int) Matrix {
		b := make([]byte, 4*r*cols)
		for i := 0; i < r*cols; i++ {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(next()))
		}
		return Matrix{DType: F32, Rows: r, Cols: cols, Data: b}
	}
	vec := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = 1 + next()/4
		}
		return v
	}
	w := &Weights{Config: c, Embedding: mat(c.Vocab, c.Dim), Layers: make([]Layer, c.Layers)}
	for i := range w.Layers {
		w.Layers[i] = Layer{AttnNorm: vec(c.Dim), Q: mat(c.Dim, c.Dim), K: mat(c.KVDim(), c.Dim), V: mat(c.KVDim(), c.Dim),
			O: mat(c.Dim, c.Dim), FFNNorm: vec(c.Dim), Gate: mat(c.Hidden, c.Dim), Down: mat(c.Dim, c.Hidden), Up: mat(c.Hidden, c.Dim)}
	}
	w.FinalNorm = vec(c.Dim)
	if shared {
		w.Output = w.Embedding
	} else {
		w.Output = mat(c.Vocab, c.Dim)
	}
	return w
}

var formatsSmallConfig = Config{Dim: 16, Hidden: 40, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 32, SeqLen: 8, NormEps: 1e-5, RopeTheta: 10000}

// writeLlama2CV1ForTest encodes F32 weights in the ak42 version 1 layout.
func writeLlama2CV1ForTest(w *Weights, shared bool) []byte {
	c := w.Config
	out := make([]byte, 256)
	binary.LittleEndian.PutUint32(out, llama2cMagic)
	binary.LittleEndian.PutUint32(out[4:], 1)
	for i, v := range []int{c.Dim, c.Hidden, c.Layers, c.Heads, c.KVHeads, c.Vocab, c.SeqLen} {
		binary.LittleEndian.PutUint32(out[8+4*i:], uint32(v))
	}
	if shared {
		out[36] = 1
	}
	vec := func(v []float32) {
		for _, x := range v {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
		}
	}
	for _, l := range w.Layers {
		vec(l.AttnNorm)
	}
	for _, l := range w.Layers {
		vec(l.FFNNorm)
	}
	vec(w.FinalNorm)
	out = append(out, w.Embedding.Data...)
	for _, sel := range []func(Layer) []byte{
		func(l Layer) []byte { return l.Q.Data }, func(l Layer) []byte { return l.K.Data },
		func(l Layer) []byte { return l.V.Data }, func(l Layer) []byte { return l.O.Data },
		func(l Layer) []byte { return l.Gate.Data }, func(l Layer) []byte { return l.Down.Data },
		func(l Layer) []byte { return l.Up.Data },
	} {
		for _, l := range w.Layers {
			out = append(out, sel(l)...)
		}
	}
	if !shared {
		out = append(out, w.Output.Data...)
	}
	return out
}

// formatsEqualWeights reports the first difference between two weight sets
// (matrices compared byte for byte, including their dtypes).
func formatsEqualWeights(t testing.TB, got, want *Weights) {
	t.Helper()
	if got.Config != want.Config {
		t.Fatalf("config %+v, want %+v", got.Config, want.Config)
	}
	mat := func(name string, a, b Matrix) {
		if a.DType != b.DType || a.Rows != b.Rows || a.Cols != b.Cols || string(a.Data) != string(b.Data) {
			t.Fatalf("%s differs: %v %dx%d (%d bytes) vs %v %dx%d (%d bytes)", name, a.DType, a.Rows, a.Cols, len(a.Data), b.DType, b.Rows, b.Cols, len(b.Data))
		}
	}
	vec := func(name string, a, b []float32) {
		if len(a) != len(b) {
			t.Fatalf("%s: %d values, want %d", name, len(a), len(b))
		}
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				t.Fatalf("%s[%d] = %g, want %g", name, i, a[i], b[i])
			}
		}
	}
	mat("embedding", got.Embedding, want.Embedding)
	mat("output", got.Output, want.Output)
	vec("final norm", got.FinalNorm, want.FinalNorm)
	for i := range want.Layers {
		g, w := got.Layers[i], want.Layers[i]
		vec("attn norm", g.AttnNorm, w.AttnNorm)
		vec("ffn norm", g.FFNNorm, w.FFNNorm)
		for _, p := range []struct {
			n    string
			a, b Matrix
		}{{"q", g.Q, w.Q}, {"k", g.K, w.K}, {"v", g.V, w.V}, {"o", g.O, w.O}, {"gate", g.Gate, w.Gate}, {"down", g.Down, w.Down}, {"up", g.Up, w.Up}} {
			mat("layer "+p.n, p.a, p.b)
		}
	}
}

// writeLlama2CForTest encodes w as a llama2.c v0 checkpoint (F32 weights only,
// legacy RoPE tables included, negative vocabulary when the classifier is
// unshared). sharedOutput selects the shared-classifier form, in which case
// w.Output must equal w.Embedding.
func writeLlama2CForTest(w *Weights, sharedOutput bool) ([]byte, error) {
	if err := w.Check(); err != nil {
		return nil, err
	}
	c := w.Config
	mats := []Matrix{w.Embedding}
	for _, l := range w.Layers {
		mats = append(mats, l.Q, l.K, l.V, l.O, l.Gate, l.Down, l.Up)
	}
	mats = append(mats, w.Output)
	for _, m := range mats {
		if m.DType != F32 {
			return nil, fmt.Errorf("write llama2.c: %v weights: only F32 is supported", m.DType)
		}
	}
	var out []byte
	put32 := func(v uint32) { out = binary.LittleEndian.AppendUint32(out, v) }
	vocab := int32(c.Vocab)
	if !sharedOutput {
		vocab = -vocab
	}
	for _, v := range []int32{int32(c.Dim), int32(c.Hidden), int32(c.Layers), int32(c.Heads), int32(c.KVHeads), vocab, int32(c.SeqLen)} {
		put32(uint32(v))
	}
	vec := func(v []float32) {
		for _, x := range v {
			put32(math.Float32bits(x))
		}
	}
	out = append(out, w.Embedding.Data...)
	for _, l := range w.Layers {
		vec(l.AttnNorm)
	}
	for _, sel := range []func(Layer) []byte{
		func(l Layer) []byte { return l.Q.Data }, func(l Layer) []byte { return l.K.Data },
		func(l Layer) []byte { return l.V.Data }, func(l Layer) []byte { return l.O.Data },
	} {
		for _, l := range w.Layers {
			out = append(out, sel(l)...)
		}
	}
	for _, l := range w.Layers {
		vec(l.FFNNorm)
	}
	for _, sel := range []func(Layer) []byte{
		func(l Layer) []byte { return l.Gate.Data }, func(l Layer) []byte { return l.Down.Data },
		func(l Layer) []byte { return l.Up.Data },
	} {
		for _, l := range w.Layers {
			out = append(out, sel(l)...)
		}
	}
	vec(w.FinalNorm)
	hs := c.HeadSize()
	for _, fn := range []func(float64) float64{math.Cos, math.Sin} {
		for pos := 0; pos < c.SeqLen; pos++ {
			for i := 0; i < hs/2; i++ {
				freq := 1 / math.Pow(float64(c.RopeTheta), float64(2*i)/float64(hs))
				put32(math.Float32bits(float32(fn(float64(pos) * freq))))
			}
		}
	}
	if !sharedOutput {
		out = append(out, w.Output.Data...)
	}
	return out, nil
}
