package models

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

func TestLlama2CStories260K(t *testing.T) {
	path := formatsTestdata(t, "stories260K.bin")
	for _, noMmap := range []bool{false, true} {
		var opts []LoadOption
		if noMmap {
			opts = append(opts, WithoutMmap())
		}
		m, err := Load(path, opts...)
		if err != nil {
			t.Fatal(err)
		}
		want := Config{Dim: 64, Hidden: 172, Layers: 5, Heads: 8, KVHeads: 4, Vocab: 512, SeqLen: 512, NormEps: 1e-5, RopeTheta: 10000}
		if m.Weights.Config != want {
			t.Errorf("config %+v, want %+v", m.Weights.Config, want)
		}
		if m.Format != FormatLlama2C || m.Tokenizer != nil || m.Mapped == noMmap {
			t.Errorf("format %q tokenizer %v mapped %v", m.Format, m.Tokenizer, m.Mapped)
		}
		// MODELS.md gives the file's sha256 as b0a507e7…2696.
		if !strings.HasPrefix(m.ID, "b0a507e7") || !strings.HasSuffix(m.ID, "2696") || len(m.ID) != 64 {
			t.Errorf("id %s", m.ID)
		}
		if unsafe.SliceData(m.Weights.Output.Data) != unsafe.SliceData(m.Weights.Embedding.Data) {
			t.Error("shared classifier: output does not alias the embedding")
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// The embedding starts right after the 28-byte header.
		if string(m.Weights.Embedding.Data[:64]) != string(raw[28:92]) {
			t.Error("embedding does not start after the header")
		}
		// rms_final ends 2·seq·headsize/2 floats before the end of the file.
		off := len(raw) - 2*512*4*4 - 64*4
		if got := llama2cF32s(raw[off : off+64*4]); got[0] != m.Weights.FinalNorm[0] || got[63] != m.Weights.FinalNorm[63] {
			t.Error("final norm is not just before the RoPE tables")
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		if err := m.Close(); err != nil {
			t.Fatal("second close:", err)
		}
	}
}

func TestLlama2CRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shared bool
		v1     bool
	}{{"v0 shared", true, false}, {"v0 unshared", false, false}, {"v1 shared", true, true}, {"v1 unshared", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			w := formatsRandWeights(formatsSmallConfig, 7, tc.shared)
			var data []byte
			if tc.v1 {
				data = writeLlama2CV1ForTest(w, tc.shared)
			} else {
				var err error
				if data, err = writeLlama2CForTest(w, tc.shared); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(t.TempDir(), "m.bin")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			m, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			formatsEqualWeights(t, m.Weights, w)
			aliased := unsafe.SliceData(m.Weights.Output.Data) == unsafe.SliceData(m.Weights.Embedding.Data)
			if aliased != tc.shared {
				t.Errorf("output aliases embedding: %v, want %v", aliased, tc.shared)
			}
		})
	}
}

func TestLlama2CBadFiles(t *testing.T) {
	w := formatsRandWeights(formatsSmallConfig, 3, false)
	good, err := writeLlama2CForTest(w, false)
	if err != nil {
		t.Fatal(err)
	}
	v1 := writeLlama2CV1ForTest(w, false)
	patch := func(b []byte, off int, v int32) []byte {
		c := append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(c[off:], uint32(v))
		return c
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"header only", good[:28], "needs"},
		{"truncated", good[:len(good)-1], "needs"},
		{"trailing byte", append(append([]byte(nil), good...), 0), "needs"},
		{"shared flag on unshared file", patch(good, 20, int32(formatsSmallConfig.Vocab)), "needs"},
		{"huge dim", patch(good, 0, 1<<30), "beyond"},
		{"negative layers", patch(good, 8, -5), "positive"},
		{"heads not dividing dim", patch(good, 12, 5), "multiple"},
		{"huge vocab", patch(good, 20, -(1 << 30)), "beyond"},
		{"v1 truncated", v1[:len(v1)-4], "needs"},
		{"v1 short header", v1[:100], "too short"},
		{"v1 version 2", patch(v1, 4, 2), "version 2"},
		{"v1 version 9", patch(v1, 4, 9), "unknown ak42 version"},
		{"v1 negative vocab", patch(v1, 28, -32), "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLlama2C(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := parseLlama2C(patch(v1, 4, 2)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("v2: %v is not ErrUnsupported", err)
	}
}
