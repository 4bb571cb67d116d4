package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

var _ gateway.Scores = (*storeScores)(nil)

// TestStoreScoresFollowTheStore: the API routes by the validator's EMAs, read
// from a snapshot that the refresher brings up to date.
func TestStoreScoresFollowTheStore(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	good := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	bad := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	s := &storeScores{st: st, log: zap.NewNop()}
	if _, ok := s.Score(good); ok {
		t.Fatal("score before the first refresh")
	}
	if _, err := st.RecordScore(good, 1, scoring.Terms{Outcome: scoring.OK, Availability: 1, Correctness: 1, FirstDivergence: -1, Score: 0.8}, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.refresh(); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Score(good); !ok || v != 0.8 {
		t.Fatalf("good: %v %v", v, ok)
	}
	if _, ok := s.Score(bad); ok {
		t.Fatal("unscored miner has a score")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.run(ctx, 10*time.Millisecond)
	if _, err := st.RecordScore(bad, 2, scoring.Terms{Outcome: scoring.OK, Availability: 1, FirstDivergence: 3}, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if v, ok := s.Score(bad); ok {
			if v != 0 {
				t.Fatalf("diverging miner scores %v", v)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("refresher never picked up the new score")
		}
	}
}

func TestModelName(t *testing.T) {
	for in, want := range map[string]string{"random": "random-42", "/m/stories260K.bin": "stories260K", "tiny.Q8_0.gguf": "tiny.Q8_0"} {
		if got := modelName(in, 0); got != want {
			t.Errorf("modelName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestValidatorChainFromConfig: the validator dials the chain named by the
// configuration ([chain] rpc, here from the environment) unless --rpc says
// otherwise.
func TestValidatorChainFromConfig(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "val")
	dead := freeAddr(t) // nothing listens here
	env := []string{"GANGLION_HOME=" + home, "GANGLION_CHAIN_RPC=http://" + dead}
	args := []string{"validator", "--key", "val", "--password-file", pw, "--model", "random", "--timeout", "2s",
		"--registry", "0x0000000000000000000000000000000000000001", "--ledger", "0x0000000000000000000000000000000000000002"}
	r := run(t, env, args...)
	if r.err == nil || !strings.Contains(r.err.Error(), dead) {
		t.Fatalf("config rpc not used: %v", r.err)
	}
	other := freeAddr(t)
	r = run(t, env, append(args, "--rpc", "http://"+other)...)
	if r.err == nil || !strings.Contains(r.err.Error(), other) {
		t.Fatalf("--rpc did not win over the config: %v", r.err)
	}
}
