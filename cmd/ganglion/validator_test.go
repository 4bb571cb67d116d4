package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

func TestValidatorExplain(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "validator")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	miner := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	for _, terms := range []scoring.Terms{
		{Outcome: scoring.OK, Availability: 1, Correctness: 1, FirstDivergence: -1, Score: 0.9},
		{Outcome: scoring.OK, Availability: 1, FirstDivergence: 7, Score: 0},
		{Outcome: scoring.Timeout, FirstDivergence: -1},
	} {
		if _, err := st.RecordScore(miner, 5, terms, 0.5, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	env := []string{"GANGLION_HOME=" + home}

	r := run(t, env, "validator", "explain", "--uid", "5")
	if r.err != nil {
		t.Fatalf("explain: %v\n%s", r.err, r.stderr)
	}
	if field(t, r.stdout, "miner") != miner.Hex() || field(t, r.stdout, "responses") != "3" || field(t, r.stdout, "score") != "0.225000" {
		t.Fatalf("explain output:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "timeout") || !strings.Contains(r.stdout, "      7 ") {
		t.Fatalf("terms missing:\n%s", r.stdout)
	}

	r = run(t, env, "validator", "explain", "--uid", "5", "--json")
	var out explainOutput
	if r.err != nil || json.Unmarshal([]byte(r.stdout), &out) != nil || len(out.Recent) != 3 || out.Recent[1].FirstDivergence != 7 {
		t.Fatalf("explain --json: %v\n%s", r.err, r.stdout)
	}

	if r := run(t, env, "validator", "explain", "--uid", "6"); !errors.Is(r.err, errNotScored) {
		t.Fatalf("unknown uid: %v", r.err)
	}
	if r := run(t, []string{"GANGLION_HOME=" + t.TempDir()}, "validator", "explain", "--uid", "5"); r.err == nil {
		t.Fatal("explain without state succeeded")
	}
}

func TestValidatorNeedsKey(t *testing.T) {
	r := run(t, []string{"GANGLION_HOME=" + t.TempDir()}, "validator", "--model", "random")
	if r.err == nil || !strings.Contains(r.err.Error(), "key") {
		t.Fatalf("validator without --key: %v", r.err)
	}
}
