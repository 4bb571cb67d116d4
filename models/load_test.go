package models

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspect(t *testing.T) {
	for _, tc := range []struct {
		file    string
		params  int64
		types   map[string]int
		shared  bool
		vocab   int
		problem string
	}{
		// stories260K: 512·64 + 5·(2·64 + 2·64·64 + 2·32·64 + 3·172·64) + 64
		{"stories260K.bin", 512*64 + 5*(2*64+2*64*64+2*32*64+3*172*64) + 64, map[string]int{"F32": 47}, true, 0, ""},
		{"stories260K.lcppconv.gguf", 2*512*64 + 5*(2*64+2*64*64+2*32*64+3*172*64) + 64, map[string]int{"F32": 48}, false, 512, ""},
		{"stories260K.lcpp.f16.gguf", 512*64 + 5*(2*64+2*64*64+2*32*64+3*172*64) + 64, map[string]int{"F32": 11, "F16": 36}, true, 512, ""},
		{"rand64h192.lcpp.q4_0.gguf", 2*512*64 + 2*(2*64+2*64*64+2*32*64+3*192*64) + 64, map[string]int{"F32": 5, "Q4_0": 15, "Q8_0": 1}, false, 512, ""},
		{"ggml-vocab-llama-spm.gguf", 0, map[string]int{}, true, 32000, "token_embd"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := formatsTestdata(t, tc.file)
			var calls int
			info, err := Inspect(path, WithProgress(func(done, total int64) { calls++ }))
			if err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(path)
			if info.Size != st.Size() || len(info.SHA256) != 64 || calls == 0 {
				t.Errorf("size %d sha %q progress calls %d", info.Size, info.SHA256, calls)
			}
			if info.Params != tc.params || info.SharedOutput != tc.shared || info.Vocab != tc.vocab {
				t.Errorf("params %d shared %v vocab %d, want %d %v %d", info.Params, info.SharedOutput, info.Vocab, tc.params, tc.shared, tc.vocab)
			}
			if len(info.Types) != len(tc.types) {
				t.Errorf("types %v, want %v", info.Types, tc.types)
			}
			for k, v := range tc.types {
				if info.Types[k] != v {
					t.Errorf("types %v, want %v", info.Types, tc.types)
				}
			}
			if got := strings.Join(info.Problems, "; "); (tc.problem == "") != (got == "") || !strings.Contains(got, tc.problem) {
				t.Errorf("problems %q, want %q", got, tc.problem)
			}
		})
	}
	info, err := Inspect(formatsTestdata(t, "stories260K.bin"))
	if err != nil || !strings.HasPrefix(info.SHA256, "b0a507e7") || info.Config.Dim != 64 || info.Format != FormatLlama2C {
		t.Errorf("stories260K: %+v, %v", info, err)
	}
}

func TestInspectKQuant(t *testing.T) {
	c := formatsSmallConfig
	c.Dim, c.Hidden = 256, 256
	w := formatsRandWeights(c, 2, false)
	path := filepath.Join(t.TempDir(), "k.gguf")
	if err := os.WriteFile(path, formatsGGUFFromWeights(w, false, map[string]uint32{"blk.0.ffn_down.weight": 14}), 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Types["Q6_K"] != 1 || len(info.Problems) != 1 || !strings.Contains(info.Problems[0], "blk.0.ffn_down.weight has type Q6_K") {
		t.Errorf("types %v problems %q", info.Types, info.Problems)
	}
	if _, err := Load(path); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Load: %v", err)
	}
}

func TestLoadFormatDetection(t *testing.T) {
	dir := t.TempDir()
	w := formatsRandWeights(formatsSmallConfig, 4, true)
	v0, err := writeLlama2CForTest(w, true)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"model.weights": v0, // v0 has no magic: recognised by its header
		"model.gguf":    formatsGGUFFromWeights(w, true, nil),
		"v1.dat":        writeLlama2CV1ForTest(w, true),
		"junk.dat":      []byte("this is not a model file at all, just text"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"model.weights": FormatLlama2C, "model.gguf": FormatGGUF, "v1.dat": FormatLlama2C} {
		m, err := Load(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m.Format != want {
			t.Errorf("%s: format %q, want %q", name, m.Format, want)
		}
		formatsEqualWeights(t, m.Weights, w)
		m.Close()
	}
	if _, err := Load(filepath.Join(dir, "junk.dat")); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("junk: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if _, err := Load(dir); err == nil {
		t.Error("a directory loaded")
	}
	if _, err := Load(filepath.Join(dir, "model.weights"), WithTokenizer(filepath.Join(dir, "junk.dat"))); err == nil {
		t.Error("junk tokenizer accepted")
	}
}

func TestInspectSafetensors(t *testing.T) {
	c := formatsSmallConfig
	c.NormEps = 1e-6
	w := formatsRandWeights(c, 6, false)
	dir := t.TempDir()
	path := formatsWriteHF(t, dir, w, false)
	info, err := Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	d, kv := int64(c.Dim), int64(c.KVDim())
	params := 2*int64(c.Vocab)*d + int64(c.Layers)*(2*d+2*d*d+2*kv*d+3*int64(c.Hidden)*d) + d
	if info.Format != FormatSafetensors || info.Config != c || info.Params != params || info.Types["F32"] != 3+9*c.Layers || len(info.Problems) != 0 || info.SharedOutput {
		t.Errorf("info %+v, want params %d", info, params)
	}
	if info.Metadata["format"] != "pt" {
		t.Errorf("metadata %v", info.Metadata)
	}
	if err := os.Remove(filepath.Join(dir, "config.json")); err != nil {
		t.Fatal(err)
	}
	info, err = Inspect(path)
	if err != nil || len(info.Problems) != 1 || !strings.Contains(info.Problems[0], "config.json") || info.Params != params {
		t.Errorf("without config.json: %+v, %v", info, err)
	}
}
