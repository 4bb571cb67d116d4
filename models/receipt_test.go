package models

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"testing"
)

func TestGenerateVerifyRoundTrip(t *testing.T) {
	e := testEngine(t, DefaultShape(), 42)
	w, _ := e.NewWorker()
	for _, smp := range []Sampler{{}, {Temperature: 0.9, TopP: 0.95, Seed: 3}, {Temperature: 1.2, TopK: 20, Seed: 4}} {
		var emitted []int
		r, err := w.Generate([]int{1, 40, 41}, GenerateOptions{Sampler: smp, MaxTokens: 40}, func(tok int) error {
			emitted = append(emitted, tok)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Tokens) != 40 || len(emitted) != 40 || len(r.Digests) != 40 {
			t.Fatalf("%d tokens, %d emitted, %d digests", len(r.Tokens), len(emitted), len(r.Digests))
		}
		for _, g := range []bool{false, true} {
			vw, _ := e.NewWorker(UseGraph(g), Threads(2))
			res, err := vw.Verify(r, nil)
			if err != nil || !res.OK || res.Checked != 40 {
				t.Fatalf("sampler %+v graph %v: honest receipt: %+v %v", smp, g, res, err)
			}
		}
		res, err := w.Verify(r, SamplePositions(40, 5, 99))
		if err != nil || !res.OK || res.Checked != 5 {
			t.Fatalf("sampled verify: %+v %v", res, err)
		}
		// tamper: a digest, a token, the rolling hash
		for _, c := range []struct {
			kind string
			pos  int
			mod  func(*Receipt)
		}{
			{MismatchDigest, 17, func(r *Receipt) { r.Digests[17][0] ^= 1 }},
			{MismatchToken, 4, func(r *Receipt) { r.Tokens[4] = (r.Tokens[4] + 1) % 512 }},
			{MismatchDigest, 0, func(r *Receipt) { r.Prompt = []int{1, 40, 42} }},
			{MismatchToken, 39, func(r *Receipt) { r.Tokens[39] = (r.Tokens[39] + 1) % 512 }},
			{MismatchRoll, 39, func(r *Receipt) { r.Rolling[3] ^= 1 }},
		} {
			bad := *r
			bad.Tokens = append([]int(nil), r.Tokens...)
			bad.Digests = append([][32]byte(nil), r.Digests...)
			c.mod(&bad)
			res, err := w.Verify(&bad, nil)
			if err != nil || res.OK || res.Position != c.pos || res.Kind != c.kind {
				t.Fatalf("tampered %s at %d: got %+v %v", c.kind, c.pos, res, err)
			}
		}
	}
}

func TestGenerateStops(t *testing.T) {
	e := testEngine(t, DefaultShape(), 42)
	w, _ := e.NewWorker()
	r, err := w.Generate([]int{1}, GenerateOptions{MaxTokens: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := r.Tokens[3]
	r2, err := w.Generate([]int{1}, GenerateOptions{MaxTokens: 10, Stop: []int{stop}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := 0
	for r.Tokens[first] != stop {
		first++
	}
	if len(r2.Tokens) != first+1 || r2.Tokens[first] != stop {
		t.Fatalf("stop token %d: generated %v (unstopped %v)", stop, r2.Tokens, r.Tokens)
	}
	small := testEngine(t, Shape{Dim: 16, Hidden: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 10, SeqLen: 6}, 3)
	sw, _ := small.NewWorker()
	r3, err := sw.Generate([]int{1, 2}, GenerateOptions{}, nil)
	if err != nil || len(r3.Tokens) != 5 {
		t.Fatalf("context limit: %v tokens, %v", r3, err)
	}
	if res, err := sw.Verify(r3, nil); err != nil || !res.OK {
		t.Fatalf("verify at full context: %+v %v", res, err)
	}
	if _, err := w.Generate(nil, GenerateOptions{}, nil); err == nil {
		t.Fatal("empty prompt accepted")
	}
}

// FuzzVerify feeds arbitrary receipts to Verify: it must answer or return an
// error, never panic.
func FuzzVerify(f *testing.F) {
	e := testEngine(f, Shape{Dim: 16, Hidden: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 20, SeqLen: 12}, 5)
	w, _ := e.NewWorker(Threads(1))
	f.Add([]byte{1, 2, 3}, []byte{4, 5}, uint64(0), float32(0), float32(0), 0)
	f.Add([]byte{1}, []byte{19, 0, 7, 7}, uint64(9), float32(1.5), float32(0.9), 3)
	f.Add([]byte{}, []byte{200}, uint64(1), float32(-1), float32(2), -4)
	f.Fuzz(func(t *testing.T, prompt, toks []byte, seed uint64, temp, topP float32, topK int) {
		r := &Receipt{Sampler: Sampler{Temperature: temp, TopP: topP, TopK: topK, Seed: seed}}
		for _, b := range prompt {
			r.Prompt = append(r.Prompt, int(b)-2)
		}
		for i, b := range toks {
			r.Tokens = append(r.Tokens, int(b)-2)
			r.Digests = append(r.Digests, [32]byte{byte(i)})
		}
		res, err := w.Verify(r, nil)
		if err == nil && res.OK {
			t.Fatalf("forged receipt accepted: %+v", r)
		}
	})
}

func TestLogitsDigest(t *testing.T) {
	a := []float32{1, -2, 0.5}
	if LogitsDigest(a) == LogitsDigest([]float32{1, -2, 0.50000006}) {
		t.Fatal("digest ignores the last bit")
	}
	n1 := []float32{1, float32(math.Float32frombits(0x7fc00000))}
	n2 := []float32{1, float32(math.Float32frombits(0xffc00001))}
	if LogitsDigest(n1) != LogitsDigest(n2) {
		t.Fatal("NaN payloads must hash alike")
	}
	// sha256 over the little-endian bits, spelled out
	var raw []byte
	for _, v := range a {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	if LogitsDigest(a) != sha256.Sum256(raw) {
		t.Fatal("digest is not sha256 of the little-endian float32 bits")
	}
	big := make([]float32, 5000) // more than one internal buffer
	for i := range big {
		big[i] = float32(i)
	}
	raw = raw[:0]
	for _, v := range big {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	if LogitsDigest(big) != sha256.Sum256(raw) {
		t.Fatal("digest of a long vector")
	}
}
