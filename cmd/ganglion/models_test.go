package main

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganglion-subnet/ganglion/models"
)

// fixture returns a model fixture path from GANGLION_TESTDATA (default
// ../shared/testdata/models beside the repository), skipping when absent
// unless GANGLION_REQUIRE_TESTDATA=1.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("GANGLION_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata", "models")
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("GANGLION_REQUIRE_TESTDATA") == "1" {
			t.Fatalf("fixture %s missing (GANGLION_REQUIRE_TESTDATA=1)", p)
		}
		t.Skipf("fixture %s missing: set GANGLION_TESTDATA to the model fixtures folder", p)
	}
	return p
}

// The "done when": greedy stories260K from BOS prints exactly the
// golden text, from the llama2.c file and both GGUF conversions.
func TestModelsRunStories260KGreedy(t *testing.T) {
	want, err := os.ReadFile(fixture(t, "stories260K.greedy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tok := fixture(t, "tok512.bin")
	for _, m := range []string{"stories260K.bin", "stories260K.lcppconv.gguf", "stories260K.lcpp.f16.gguf"} {
		r := run(t, nil, "models", "run", "--model", fixture(t, m), "--tokenizer", tok, "--temperature", "0", "--max-tokens", "256")
		if r.err != nil {
			t.Fatalf("%s: %v\n%s", m, r.err, r.stderr)
		}
		if r.stdout != string(want) {
			t.Fatalf("%s: output differs:\n got %q\nwant %q", m, r.stdout, want)
		}
	}
}

func TestModelsRunJSONVerifies(t *testing.T) {
	tok := fixture(t, "tok512.bin")
	path := fixture(t, "stories260K.bin")
	r := run(t, nil, "models", "run", "--model", path, "--tokenizer", tok, "--prompt", "Once upon a time",
		"--temperature", "0.9", "--top-p", "0.9", "--seed", "7", "--max-tokens", "30", "--json")
	if r.err != nil {
		t.Fatal(r.err)
	}
	var out runOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if want := []int{1, 403, 407, 261, 378}; len(out.PromptTokens) != 5 || out.PromptTokens[1] != want[1] || out.PromptTokens[4] != want[4] {
		t.Fatalf("prompt tokens %v, want %v", out.PromptTokens, want)
	}
	if len(out.Tokens) == 0 || len(out.Tokens) != len(out.LogitsSHA256) || out.Text == "" {
		t.Fatalf("tokens %d, digests %d, text %q", len(out.Tokens), len(out.LogitsSHA256), out.Text)
	}
	// a validator recomputes the receipt from the JSON alone
	m, err := models.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	e, _ := models.NewEngine(m.Weights)
	w, _ := e.NewWorker()
	rc := &models.Receipt{Prompt: out.PromptTokens, Tokens: out.Tokens,
		Sampler: models.Sampler{Temperature: out.Temperature, TopP: out.TopP, TopK: out.TopK, Seed: out.Seed}}
	for _, h := range out.LogitsSHA256 {
		var d [32]byte
		if _, err := hex.Decode(d[:], []byte(h)); err != nil {
			t.Fatal(err)
		}
		rc.Digests = append(rc.Digests, d)
	}
	if _, err := hex.Decode(rc.Rolling[:], []byte(out.Rolling)); err != nil {
		t.Fatal(err)
	}
	if res, err := w.Verify(rc, nil); err != nil || !res.OK {
		t.Fatalf("verify CLI output: %+v %v", res, err)
	}
	// same seed, same output, through the graph or the direct kernels
	if r2 := run(t, nil, "models", "run", "--model", path, "--tokenizer", tok, "--prompt", "Once upon a time",
		"--temperature", "0.9", "--top-p", "0.9", "--seed", "7", "--max-tokens", "30", "--json", "--direct", "--threads", "1"); r2.stdout != r.stdout {
		t.Fatal("same seed gave a different result")
	}
	// without --seed the random model keeps its default weights (seed 42)
	a := run(t, nil, "models", "run", "--model", "random", "--temperature", "0", "--max-tokens", "5", "--json")
	b := run(t, nil, "models", "run", "--model", "random", "--seed", "42", "--temperature", "0", "--max-tokens", "5", "--json")
	var oa, ob runOutput
	json.Unmarshal([]byte(a.stdout), &oa)
	json.Unmarshal([]byte(b.stdout), &ob)
	if a.err != nil || b.err != nil || oa.ModelID != ob.ModelID || len(oa.ModelID) != 64 || strings.Join(oa.LogitsSHA256, "") != strings.Join(ob.LogitsSHA256, "") {
		t.Fatalf("random model default weights: %v %v %s", a.err, b.err, oa.ModelID)
	}
}

func TestModelsExportRandomLoadsBack(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rand.bin")
	r := run(t, nil, "models", "export-random", "--out", p, "--seed", "9", "--dim", "32", "--hidden", "48",
		"--layers", "2", "--heads", "4", "--kv-heads", "2", "--vocab", "100", "--seq-len", "64")
	if r.err != nil {
		t.Fatal(r.err)
	}
	m, err := models.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	w, err := models.Random(models.Shape{Dim: 32, Hidden: 48, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 100, SeqLen: 64}, 9)
	if err != nil {
		t.Fatal(err)
	}
	if m.Weights.Config.Dim != 32 || m.Weights.Config.Vocab != 100 || string(m.Weights.Output.Data) != string(w.Output.Data) ||
		string(m.Weights.Layers[1].Down.Data) != string(w.Layers[1].Down.Data) {
		t.Fatal("exported file does not hold the random model")
	}
	// the random model runs the same from the file and built in
	a := run(t, nil, "models", "run", "--model", p, "--temperature", "0", "--max-tokens", "12", "--json")
	b := run(t, nil, "models", "run", "--model", "random", "--seed", "9", "--dim", "32", "--hidden", "48",
		"--layers", "2", "--heads", "4", "--kv-heads", "2", "--vocab", "100", "--seq-len", "64", "--temperature", "0", "--max-tokens", "12", "--json")
	if a.err != nil || b.err != nil {
		t.Fatal(a.err, b.err)
	}
	var oa, ob runOutput
	json.Unmarshal([]byte(a.stdout), &oa)
	json.Unmarshal([]byte(b.stdout), &ob)
	if len(oa.Tokens) != 12 || strings.Join(oa.LogitsSHA256, ",") != strings.Join(ob.LogitsSHA256, ",") {
		t.Fatalf("file %v vs built-in %v", oa.Tokens, ob.Tokens)
	}
	if r := run(t, nil, "models", "export-random"); r.err == nil {
		t.Fatal("missing --out accepted")
	}
}

func TestModelsBenchAndInspect(t *testing.T) {
	r := run(t, nil, "models", "bench", "--dim", "32", "--hidden", "64", "--layers", "1", "--heads", "2", "--kv-heads", "2",
		"--vocab", "64", "--tokens", "8", "--batch", "3")
	if r.err != nil || !strings.Contains(r.stdout, "tokens/s") || !strings.Contains(r.stdout, "24 tokens") {
		t.Fatalf("bench: %v %q", r.err, r.stdout)
	}
	r = run(t, nil, "models", "inspect", fixture(t, "stories260K.bin"))
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := field(t, r.stdout, "sha256"); !strings.HasPrefix(got, "b0a507e7") {
		t.Fatalf("sha256 %q", got)
	}
	if got := field(t, r.stdout, "format"); got != "llama2.c" {
		t.Fatalf("format %q", got)
	}
}

func TestModelsRunErrors(t *testing.T) {
	for _, args := range [][]string{
		{"models", "run"},
		{"models", "run", "--model", "/nonexistent.bin"},
		{"models", "run", "--model", "random", "--prompt", "hi"},
		{"models", "run", "--model", "random", "--temperature", "-1"},
		{"models", "run", "--model", "random", "--dim", "30", "--heads", "4"},
	} {
		if r := run(t, nil, args...); r.err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// TestModelsPullFromLocalServer pulls a catalogue model and its tokenizer
// from a local HTTP mirror, then runs it by name.
func TestModelsPullFromLocalServer(t *testing.T) {
	files := map[string]string{
		"/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin": fixture(t, "stories260K.bin"),
		"/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin":      fixture(t, "tok512.bin"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, p) // honours Range requests
	}))
	defer srv.Close()
	home := t.TempDir()
	env := []string{"GANGLION_HOME=" + home}
	r := run(t, env, "models", "pull", "stories260K", "--mirror", srv.URL)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stdout, "sha256 verified") || !strings.Contains(r.stdout, "tok512") {
		t.Fatalf("pull output: %s", r.stdout)
	}
	want, _ := os.ReadFile(fixture(t, "stories260K.bin"))
	got, err := os.ReadFile(filepath.Join(home, "models", "stories260K.bin"))
	if err != nil || string(got) != string(want) {
		t.Fatalf("pulled file differs (%v)", err)
	}
	// a second pull finds the file
	if r := run(t, env, "models", "pull", "stories260K", "--mirror", srv.URL); r.err != nil || !strings.Contains(r.stdout, "already present") {
		t.Fatalf("second pull: %v %s", r.err, r.stdout)
	}
	// run by catalogue name
	golden, _ := os.ReadFile(fixture(t, "stories260K.greedy.txt"))
	if r := run(t, env, "models", "run", "--model", "stories260K", "--temperature", "0", "--max-tokens", "256"); r.err != nil || r.stdout != string(golden) {
		t.Fatalf("run by name: %v %q", r.err, r.stdout)
	}
	// wrong checksum for a URL
	if r := run(t, env, "models", "pull", srv.URL+"/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin",
		"--dir", t.TempDir(), "--sha256", strings.Repeat("ab", 32)); r.err == nil {
		t.Fatal("checksum mismatch accepted")
	}
	if r := run(t, env, "models", "pull", "--list"); r.err != nil || !strings.Contains(r.stdout, "stories15M") {
		t.Fatalf("list: %v %s", r.err, r.stdout)
	}
}
