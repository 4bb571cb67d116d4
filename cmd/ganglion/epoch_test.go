package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// subtensorCases holds the ported Subtensor cases as CLI inputs.
const subtensorCases = "../../scoring/yuma/testdata/subtensor"

// epochCase is one file of subtensorCases: a sequence of epochs, each an
// input document (plus values carried from the previous output) and the
// Rust test's asserted values.
type epochCase struct {
	RustTest  string  `json:"rust_test"`
	Tolerance float64 `json:"tolerance"`
	Steps     []struct {
		Input  map[string]json.RawMessage `json:"input"`
		Carry  []string                   `json:"carry"`
		Expect map[string]json.RawMessage `json:"expect"`
		Approx map[string]float64         `json:"approx"`
	} `json:"steps"`
}

var pathRE = regexp.MustCompile(`^([a-z0-9_]+)((?:\[\d+\])+)$`)

// lookup resolves "key[i]" or "key[i][j]" in a decoded output document.
func lookup(t *testing.T, doc map[string]any, path string) any {
	t.Helper()
	m := pathRE.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("bad expectation path %q", path)
	}
	v, ok := doc[m[1]]
	if !ok {
		t.Fatalf("output has no key %q", m[1])
	}
	for _, idx := range regexp.MustCompile(`\d+`).FindAllString(m[2], -1) {
		i, _ := strconv.Atoi(idx)
		list, ok := v.([]any)
		if !ok || i >= len(list) {
			t.Fatalf("%s: index %d out of range", path, i)
		}
		v = list[i]
	}
	return v
}

// TestEpochRunReproducesSubtensorCases runs every ported case through
// `ganglion epoch run` and checks the values the Rust test asserts.
func TestEpochRunReproducesSubtensorCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(subtensorCases, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s: %v", subtensorCases, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var c epochCase
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var prev map[string]any
			checked := 0
			for si, s := range c.Steps {
				in := map[string]any{}
				for k, v := range s.Input {
					in[k] = v
				}
				for _, k := range s.Carry {
					if _, given := in[k]; given {
						continue
					}
					switch k {
					case "bonds":
						in[k] = prev["bonds_u16_dense"]
					case "validator_permits":
						in[k] = prev["new_validator_permits"]
					default:
						t.Fatalf("cannot carry %q", k)
					}
				}
				inPath := filepath.Join(dir, "in.json")
				outPath := filepath.Join(dir, "out.json")
				b, _ := json.Marshal(in)
				if err := os.WriteFile(inPath, b, 0o600); err != nil {
					t.Fatal(err)
				}
				if r := run(t, nil, "epoch", "run", "--in", inPath, "--out", outPath); r.err != nil {
					t.Fatalf("step %d: %v", si, r.err)
				}
				out, err := os.ReadFile(outPath)
				if err != nil {
					t.Fatal(err)
				}
				prev = map[string]any{}
				dec := json.NewDecoder(bytes.NewReader(out))
				dec.UseNumber()
				if err := dec.Decode(&prev); err != nil {
					t.Fatal(err)
				}
				for path, want := range s.Expect {
					got := lookup(t, prev, path)
					if gj, _ := json.Marshal(got); string(gj) != string(want) {
						t.Errorf("%s step %d: %s = %s, want %s", c.RustTest, si, path, gj, want)
					}
					checked++
				}
				for path, want := range s.Approx {
					got, err := lookup(t, prev, path).(json.Number).Float64()
					if err != nil || math.Abs(got-want) > c.Tolerance+1e-12 {
						t.Errorf("%s step %d: %s = %v, want %v ±%v", c.RustTest, si, path, got, want, c.Tolerance)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("case checks nothing")
			}
		})
	}
}

// runStdin is run with stdin content.
func runStdin(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		userDir: func() (string, error) { return "", errors.New("no user dir in tests") }}
	cmd := newApp(e).root()
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return result{out.String(), errb.String(), err}
}

func TestEpochRunStdinStdout(t *testing.T) {
	r := runStdin(t, `{"stake": [3, 1], "weights": [[0, 1.0], [0.5, 0.5]], "rao_emission": 1000}`, "epoch", "run")
	if r.err != nil {
		t.Fatal(r.err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	want := []string{"stake_weight_u16", "consensus_u16", "incentive_u16", "dividends_u16", "validator_trust_u16",
		"server_emission", "validator_emission", "combined_emission", "bonds_u16_dense", "new_validator_permits",
		"consensus", "incentive", "dividends"}
	if len(doc) != len(want) {
		t.Errorf("output has %d keys, want %d: %s", len(doc), len(want), r.stdout)
	}
	for _, k := range want {
		if _, ok := doc[k]; !ok {
			t.Errorf("output lacks %q", k)
		}
	}
	// uid 0 weights only uid 1 (float row max-upscaled: [0, 65535]); uid 1's
	// self-weight is masked. All incentive goes to uid 1.
	if string(doc["incentive_u16"]) != "[0,65535]" {
		t.Errorf("incentive_u16 = %s", doc["incentive_u16"])
	}
}

func TestEpochRunRejectsMalformedInput(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, doc, field string
	}{
		{"ragged row", `{"stake":[1,2,3],"weights":[[1,2]]}`, "weights[0]"},
		{"uid out of range", `{"stake":[1,2],"weights":[[[2,5]]]}`, "weights[0][0]"},
		{"negative stake", `{"stake":[1,-2]}`, "stake[1]"},
		{"non-integer stake", `{"stake":[1,2.5]}`, "stake[1]"},
		{"more rows than stakes", `{"stake":[1],"weights":[[5],[5]]}`, "weights"},
		{"unknown key", `{"stake":[1],"kapa":0.5}`, "kapa"},
		{"both kappas", `{"stake":[1],"kappa":0.5,"kappa_u16":3}`, "kappa"},
		{"weight over u16", `{"stake":[1,1],"weights":[[[1,70000]]]}`, "weights[0][0]"},
		{"float bond", `{"stake":[1,1],"bonds":[[0,0.5]]}`, "bonds[0]"},
		{"mixed row", `{"stake":[1,1],"weights":[[1,[1,2]]]}`, "weights[0]"},
		{"duplicate uid", `{"stake":[1,1],"weights":[[[1,2],[1,3]]]}`, "weights[0][1]"},
		{"permits length", `{"stake":[1,1],"validator_permits":[true]}`, "validator_permits"},
		{"owner out of range", `{"stake":[1,1],"owner_uid":2}`, "owner_uid"},
		{"wrong type", `{"stake":[1,1],"yuma3":"yes"}`, "yuma3"},
		{"no stake", `{"weights":[]}`, "stake"},
		{"not json", `{"stake":[1,`, "input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := writeFile(t, dir, "in.json", c.doc)
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "-")+".json")
			r := run(t, nil, "epoch", "run", "--in", in, "--out", out)
			if r.err == nil {
				t.Fatal("accepted")
			}
			msg := r.err.Error()
			if !strings.Contains(msg, c.field+":") || strings.Contains(msg, "\n") {
				t.Errorf("error %q does not name %q on one line", msg, c.field)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("--out was written despite the error")
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
		})
	}
}
