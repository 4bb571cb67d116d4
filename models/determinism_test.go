package models

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// determinismCases are the models whose receipts are pinned in
// testdata/determinism.golden.json: the built-in random model in every
// storage type the engine runs, decoded greedily and with a seeded sampler.
func determinismCases(t *testing.T) map[string]*Weights {
	t.Helper()
	sh := DefaultShape()
	sh.Hidden = 192 // quantised rows need multiples of 32
	w, err := Random(sh, 42)
	if err != nil {
		t.Fatal(err)
	}
	shared := Shape{Dim: 48, Hidden: 128, Layers: 2, Heads: 6, KVHeads: 3, Vocab: 300, SeqLen: 64, Shared: true}
	ws, err := Random(shared, 7)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*Weights{
		"f32": w, "f16": quantizeWeights(w, F16), "bf16": quantizeWeights(w, BF16),
		"q8_0": quantizeWeights(w, Q8_0), "q4_0": quantizeWeights(w, Q4_0), "f32-shared-gqa": ws,
	}
}

// TestDeterminismGoldenDigests pins the rolling hash of generations (every
// logits digest and token) for each case. The golden file was written on
// amd64; scripts/cross-arch.sh runs this test built for arm64 under
// qemu-user, so it also proves the bits are the same on both
// architectures. Update with `go test ./models -run DeterminismGolden -update`.
func TestDeterminismGoldenDigests(t *testing.T) {
	got := map[string]string{}
	for name, w := range determinismCases(t) {
		e, err := NewEngine(w)
		if err != nil {
			t.Fatal(err)
		}
		for _, smp := range []struct {
			name string
			s    Sampler
		}{{"greedy", Sampler{}}, {"sampled", Sampler{Temperature: 4, TopP: 0.95, TopK: 40, Seed: 11}}} {
			var roll string
			for _, procs := range []int{1, 2, 8} {
				old := runtime.GOMAXPROCS(procs)
				wk, _ := e.NewWorker(Threads(procs))
				r, err := wk.Generate([]int{1, 17, 99}, GenerateOptions{Sampler: smp.s, MaxTokens: 40}, nil)
				runtime.GOMAXPROCS(old)
				if err != nil {
					t.Fatal(err)
				}
				if res, err := wk.Verify(r, nil); err != nil || !res.OK {
					t.Fatalf("%s %s: teacher-forced verify: %+v %v", name, smp.name, res, err)
				}
				h := hex.EncodeToString(r.Rolling[:])
				if roll != "" && h != roll {
					t.Fatalf("%s %s: GOMAXPROCS %d changed the digests", name, smp.name, procs)
				}
				roll = h
			}
			got[name+"/"+smp.name] = roll
		}
	}
	path := filepath.Join("testdata", "determinism.golden.json")
	if *update {
		keys := make([]string, 0, len(got))
		for k := range got {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want map[string]string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Fatalf("golden file has %d cases, test has %d", len(want), len(got))
	}
	for k, v := range got {
		if want[k] != v {
			t.Errorf("%s (%s/%s): rolling hash %s, golden %s", k, runtime.GOOS, runtime.GOARCH, v, want[k])
		}
	}
}
