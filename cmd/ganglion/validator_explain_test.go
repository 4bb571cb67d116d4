package main

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// TestValidatorExplainWhileRunning: while a validator holds the state file
// (here: this process keeps it open for writing and serves its API),
// explain without --api fails fast naming both ways out, and with --api
// asks the running validator.
func TestValidatorExplainWhileRunning(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, "validator")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	miner := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	if _, err := st.RecordScore(miner, 4, scoring.Terms{Outcome: scoring.OK, Availability: 1, Correctness: 1, FirstDivergence: -1, Score: 0.8}, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(validator.NewAPI(st))
	defer srv.Close()
	env := []string{"GANGLION_HOME=" + home}

	start := time.Now()
	r := run(t, env, "validator", "explain", "--uid", "4", "--lock-timeout", "100ms")
	if r.err == nil || !strings.Contains(r.err.Error(), "locked") || !strings.Contains(r.err.Error(), "--api") || !strings.Contains(r.err.Error(), "stop it") {
		t.Fatalf("explain on a locked file: %v", r.err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("explain waited %v on the lock", d)
	}

	r = run(t, env, "validator", "explain", "--uid", "4", "--api", srv.URL)
	if r.err != nil {
		t.Fatalf("explain --api: %v\n%s", r.err, r.stderr)
	}
	if field(t, r.stdout, "miner") != miner.Hex() || field(t, r.stdout, "score") != "0.800000" {
		t.Fatalf("explain --api output:\n%s", r.stdout)
	}
	// Without a scheme, and for a uid the validator has not scored.
	if r := run(t, env, "validator", "explain", "--uid", "9", "--api", strings.TrimPrefix(srv.URL, "http://")); !errors.Is(r.err, errNotScored) {
		t.Fatalf("unscored uid over the API: %v", r.err)
	}
	// No state file here at all: the API answers.
	if r := run(t, []string{"GANGLION_HOME=" + t.TempDir()}, "validator", "explain", "--uid", "4", "--api", srv.URL); r.err != nil {
		t.Fatalf("explain --api without a state file: %v", r.err)
	}
}
