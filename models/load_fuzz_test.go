package models

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var formatsTinyConfig = Config{Dim: 8, Hidden: 12, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 6, SeqLen: 4, NormEps: 1e-5, RopeTheta: 10000}

func FuzzLlama2C(f *testing.F) {
	for _, shared := range []bool{true, false} {
		w := formatsRandWeights(formatsTinyConfig, 1, shared)
		v0, err := writeLlama2CForTest(w, shared)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(v0)
		f.Add(writeLlama2CV1ForTest(w, shared))
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := parseLlama2C(data)
		if err != nil {
			return
		}
		if err := w.Check(); err != nil {
			t.Fatalf("parsed weights fail Check: %v", err)
		}
		if _, err := inspectData("x.bin", data, ""); err != nil {
			t.Fatalf("parse ok, inspect failed: %v", err)
		}
	})
}

// formatsTinyGGUF is a small GGUF file with a vocabulary and every value
// type, for seeds.
func formatsTinyGGUF() []byte {
	var b formatsGGUFBuilder
	b.addKV("general.architecture", ggufString, b.str(nil, "llama"))
	b.addKV("tokenizer.ggml.model", ggufString, b.str(nil, "llama"))
	arr := func(et uint32, n int, items []byte) []byte {
		out := binary.LittleEndian.AppendUint32(nil, et)
		out = binary.LittleEndian.AppendUint64(out, uint64(n))
		return append(out, items...)
	}
	var toks, scores, types []byte
	pieces := []string{"<unk>", "<s>", "</s>", "▁a", "a", "b"}
	for i, p := range pieces {
		toks = b.str(toks, p)
		scores = binary.LittleEndian.AppendUint32(scores, math.Float32bits(float32(-i)))
		typ := int32(1)
		if i < 3 {
			typ = int32(i + 2)
		}
		types = binary.LittleEndian.AppendUint32(types, uint32(typ))
	}
	b.addKV("tokenizer.ggml.tokens", ggufArray, arr(ggufString, len(pieces), toks))
	b.addKV("tokenizer.ggml.scores", ggufArray, arr(ggufFloat32, len(pieces), scores))
	b.addKV("tokenizer.ggml.token_type", ggufArray, arr(ggufInt32, len(pieces), types))
	b.addKV("x.nested", ggufArray, arr(ggufArray, 1, arr(ggufUint8, 2, []byte{1, 2})))
	b.addKV("x.bool", ggufBool, []byte{1})
	b.addKV("x.f64", ggufFloat64, binary.LittleEndian.AppendUint64(nil, math.Float64bits(2.5)))
	b.addKV("x.i64", ggufInt64, binary.LittleEndian.AppendUint64(nil, 7))
	b.addKV("x.u16", ggufUint16, []byte{1, 0})
	b.addKV("x.i16", ggufInt16, []byte{1, 0})
	b.addKV("x.i8", ggufInt8, []byte{1})
	b.addKV("x.u8", ggufUint8, []byte{1})
	b.addKV("x.i32", ggufInt32, []byte{1, 0, 0, 0})
	b.addKV("x.u64", ggufUint64, binary.LittleEndian.AppendUint64(nil, 9))
	b.addKV("x.bools", ggufArray, arr(ggufBool, 2, []byte{0, 1}))
	b.addTensor("t", 1, []uint64{4}, make([]byte, 8))
	return b.bytes()
}

func FuzzGGUF(f *testing.F) {
	for _, tied := range []bool{true, false} {
		f.Add(formatsGGUFFromWeights(formatsRandWeights(formatsTinyConfig, 3, tied), tied, nil))
	}
	f.Add(formatsTinyGGUF())
	f.Add([]byte("GGUF\x03\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := parseGGUF(data)
		if err != nil {
			return
		}
		if w, err := g.weights(); err == nil {
			if err := w.Check(); err != nil {
				t.Fatalf("weights fail Check: %v", err)
			}
		}
		if tok, err := g.tokenizer(); err == nil && tok != nil {
			ids := tok.Encode("ab a", true, true)
			for _, id := range ids {
				if id < 0 || id >= tok.Len() {
					t.Fatalf("id %d outside the vocabulary of %d", id, tok.Len())
				}
			}
			tok.Decode(ids)
		}
		if _, err := inspectData("x.gguf", data, ""); err != nil {
			t.Fatalf("parse ok, inspect failed: %v", err)
		}
	})
}

func FuzzSafetensors(f *testing.F) {
	w := formatsRandWeights(formatsTinyConfig, 4, false)
	dir := f.TempDir()
	path := formatsWriteHF(f, dir, w, false)
	st, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(st, cfg)
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"), []byte(`{}`))
	f.Fuzz(func(t *testing.T, data, cfgJSON []byte) {
		s, err := parseSafetensors(data)
		if err != nil {
			return
		}
		c, hc, err := parseHFConfig(cfgJSON)
		if err != nil {
			return
		}
		if w, err := s.weights(c, hc.TieWordEmbeddings); err == nil {
			if err := w.Check(); err != nil {
				t.Fatalf("weights fail Check: %v", err)
			}
		}
	})
}

func FuzzTokenizerBin(f *testing.F) {
	if p, err := formatsFixturePath("tok512.bin"); err == nil {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, 512, "Once upon a time")
		}
	}
	var small []byte
	small = binary.LittleEndian.AppendUint32(small, 8)
	for i, p := range []string{"<unk>", "\n<s>\n", "\n</s>\n", "<0x41>", " ", "a", " a", "ab"} {
		small = binary.LittleEndian.AppendUint32(small, math.Float32bits(float32(i)))
		small = binary.LittleEndian.AppendUint32(small, uint32(len(p)))
		small = append(small, p...)
	}
	f.Add(small, 8, "ab aA\xff")
	f.Add(small, 0, "")
	f.Fuzz(func(t *testing.T, data []byte, vocab int, text string) {
		tok, err := ParseTokenizerBin(data, vocab)
		if err != nil {
			return
		}
		ids := tok.Encode(text, true, false)
		for _, id := range ids {
			if id < 0 || id >= tok.Len() {
				t.Fatalf("id %d outside the vocabulary of %d", id, tok.Len())
			}
		}
		tok.Decode(ids)
	})
}

// formatsFixturePath locates a fixture without a testing.TB (for seeds).
func formatsFixturePath(name string) (string, error) {
	dir := os.Getenv("GANGLION_TESTDATA")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(wd, "..", "..", "shared", "testdata", "models")
	}
	p := filepath.Join(dir, name)
	_, err := os.Stat(p)
	return p, err
}

func FuzzEncode(f *testing.F) {
	tok := formatsLoadTok(f, "tok512.bin", 512)
	for _, s := range []string{"", "Once upon a time", "日本語 🙂\n\t", "\xff\xc3(", "<s>\n</s>", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ids := tok.Encode(text, true, true)
		if got := tok.Decode(ids); got != text {
			t.Fatalf("Decode(Encode(%q)) = %q", text, got)
		}
		if len(text) < 512 {
			syms := tok.appendChars(nil, " "+text)
			if text == "" {
				syms = nil
			}
			want := formatsQuadraticMerge(tok, append([]int32(nil), syms...))
			got := tok.merge(syms)
			if len(got) != len(want) {
				t.Fatalf("%q: heap %v, quadratic %v", text, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%q: heap %v, quadratic %v", text, got, want)
				}
			}
		}
	})
}
