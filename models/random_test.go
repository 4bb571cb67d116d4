package models

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func sameWeights(t *testing.T, a, b *Weights) {
	t.Helper()
	if a.Config.Dim != b.Config.Dim || a.Config.Hidden != b.Config.Hidden || a.Config.Layers != b.Config.Layers ||
		a.Config.Heads != b.Config.Heads || a.Config.KVHeads != b.Config.KVHeads || a.Config.Vocab != b.Config.Vocab ||
		a.Config.SeqLen != b.Config.SeqLen {
		t.Fatalf("config %+v vs %+v", a.Config, b.Config)
	}
	mat := func(name string, x, y Matrix) {
		if x.DType != y.DType || x.Rows != y.Rows || x.Cols != y.Cols || !bytes.Equal(x.Data, y.Data) {
			t.Fatalf("%s differs", name)
		}
	}
	vec := func(name string, x, y []float32) {
		if !bytes.Equal(f32Bytes(x), f32Bytes(y)) {
			t.Fatalf("%s differs", name)
		}
	}
	mat("embedding", a.Embedding, b.Embedding)
	mat("output", a.Output, b.Output)
	vec("final norm", a.FinalNorm, b.FinalNorm)
	for i := range a.Layers {
		x, y := a.Layers[i], b.Layers[i]
		vec("attn norm", x.AttnNorm, y.AttnNorm)
		vec("ffn norm", x.FFNNorm, y.FFNNorm)
		for j, p := range [][2]Matrix{{x.Q, y.Q}, {x.K, y.K}, {x.V, y.V}, {x.O, y.O}, {x.Gate, y.Gate}, {x.Down, y.Down}, {x.Up, y.Up}} {
			mat("layer matrix "+string(rune('0'+j)), p[0], p[1])
		}
	}
}

func TestRandomExportLoadsBack(t *testing.T) {
	for _, sh := range []Shape{DefaultShape(), {Dim: 32, Hidden: 64, Layers: 3, Heads: 4, KVHeads: 4, Vocab: 40, SeqLen: 16, Shared: true}} {
		w, err := Random(sh, 42)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteLlama2C(&buf, w); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "r.bin")
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		sameWeights(t, w, m.Weights)
		if sharedClassifier(m.Weights) != sh.Shared {
			t.Fatalf("shared classifier: loaded %v, shape %v", sharedClassifier(m.Weights), sh.Shared)
		}
		m.Close()
	}
}

// TestRandomFollowsTheSpecification re-derives the file from MODELS.md's
// description with an independent generator loop and compares bytes.
func TestRandomFollowsTheSpecification(t *testing.T) {
	sh := DefaultShape()
	w, err := Random(sh, 42)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := WriteLlama2C(&got, w); err != nil {
		t.Fatal(err)
	}
	s := uint64(42)
	next := func() float64 {
		s ^= s >> 12
		s ^= s << 25
		s ^= s >> 27
		return float64(uint32((s*0x2545F4914F6CDD1D)>>32)>>8) / 16777216.0
	}
	var want bytes.Buffer
	put := func(v float32) { binary.Write(&want, binary.LittleEndian, v) }
	draw := func(n int, offset, scale float64) {
		for i := 0; i < n; i++ {
			put(float32(offset + float64((2*next()-1)*scale))) // explicit rounding: no fused multiply-add
		}
	}
	d, h, L, V, kv := sh.Dim, sh.Hidden, sh.Layers, sh.Vocab, sh.KVHeads*sh.Dim/sh.Heads
	binary.Write(&want, binary.LittleEndian, []int32{int32(d), int32(h), int32(L), int32(sh.Heads), int32(sh.KVHeads), int32(-V), int32(sh.SeqLen)})
	sd, sh2 := 1/math.Sqrt(float64(d)), 1/math.Sqrt(float64(h))
	draw(V*d, 0, 1)
	draw(L*d, 1, 0.2)
	draw(L*d*d, 0, sd)
	draw(L*kv*d, 0, sd)
	draw(L*kv*d, 0, sd)
	draw(L*d*d, 0, sd)
	draw(L*d, 1, 0.2)
	draw(L*h*d, 0, sd)
	draw(L*d*h, 0, sh2)
	draw(L*h*d, 0, sd)
	draw(d, 1, 0.2)
	hs := d / sh.Heads
	ropeStart := want.Len()
	want.Write(make([]byte, 2*4*sh.SeqLen*hs/2)) // RoPE tables: compared separately
	cls := want.Len()
	draw(V*d, 0, 1)
	wb := want.Bytes()
	clear(wb[cls+4*d : cls+8*d]) // BOS row
	g := got.Bytes()
	if len(g) != len(wb) {
		t.Fatalf("file is %d bytes, specification says %d", len(g), len(wb))
	}
	if !bytes.Equal(g[:ropeStart], wb[:ropeStart]) || !bytes.Equal(g[cls:], wb[cls:]) {
		t.Fatal("random weights differ from the specification")
	}
	// legacy RoPE tables: cos then sin of pos·freq, close to the float64 values
	for p := 0; p < sh.SeqLen; p++ {
		for i := 0; i < hs/2; i++ {
			ang := float64(p) / math.Pow(10000, float64(2*i)/float64(hs))
			c := math.Float32frombits(binary.LittleEndian.Uint32(g[ropeStart+4*(p*hs/2+i):]))
			sn := math.Float32frombits(binary.LittleEndian.Uint32(g[ropeStart+4*(sh.SeqLen*hs/2+p*hs/2+i):]))
			if math.Abs(float64(c)-math.Cos(ang)) > 1e-4 || math.Abs(float64(sn)-math.Sin(ang)) > 1e-4 {
				t.Fatalf("rope table pos %d pair %d: %g %g", p, i, c, sn)
			}
		}
	}
	if _, err := Random(sh, 0); err == nil {
		t.Fatal("seed 0 accepted")
	}
}
