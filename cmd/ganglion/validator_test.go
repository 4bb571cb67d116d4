package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
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

// TestValidatorCommandSettlesAnEpoch runs `ganglion chain dev` and
// `ganglion validator` in the process: a validator holding all the stake
// and a registered miner that never answers. The validator serves
// /healthz, finalises epochs on chain on its own (paid to it by stake: the
// miner has no weight) and stops cleanly.
func TestValidatorCommandSettlesAnEpoch(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "val", "miner")
	environ := []string{"GANGLION_HOME=" + home}
	start := func(ctx context.Context, out, errb *syncBuffer, args ...string) chan error {
		done := make(chan error, 1)
		go func() {
			e := env{environ: environ, stdin: strings.NewReader(""), stdout: out, stderr: errb,
				userDir: func() (string, error) { return "", errors.New("none") }}
			cmd := newApp(e).root()
			cmd.SetArgs(args)
			done <- cmd.ExecuteContext(ctx)
		}()
		return done
	}
	ctx, cancel := context.WithCancel(context.Background())
	var devOut, devErr syncBuffer
	devDone := start(ctx, &devOut, &devErr, "chain", "dev", "--port", "0", "--block-time", "20ms", "--fund", "val,miner",
		"--epoch-length", "50", "--pool", "50", "--log-level", "warn")
	t.Cleanup(func() {
		cancel()
		if err := <-devDone; err != nil {
			t.Errorf("chain dev: %v", err)
		}
	})
	var info devchain.Info
	for deadline := time.Now().Add(time.Minute); ; {
		if b, err := os.ReadFile(filepath.Join(home, "devchain", "addresses.json")); err == nil && json.Unmarshal(b, &info) == nil && strings.Contains(devOut.String(), "addresses:") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no dev chain:\n%s", devErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, args := range [][]string{
		{"chain", "register", "--role", "validator", "--key", "val"},
		{"chain", "stake", "--amount", "5", "--key", "val"},
		{"chain", "register", "--key", "miner"},
	} {
		if r := run(t, environ, append(args, "--password-file", pw, "--rpc", info.RPC)...); r.err != nil {
			t.Fatalf("%v: %v", args, r.err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metrics := ln.Addr().String()
	ln.Close()
	if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	api := ln.Addr().String()
	ln.Close()
	vctx, vcancel := context.WithCancel(ctx)
	var vOut, vErr syncBuffer
	vDone := start(vctx, &vOut, &vErr, "validator", "--key", "val", "--password-file", pw, "--model", "random", "--rpc", info.RPC,
		"--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", metrics, "--api", api, "--block-time", "20ms", "--probe-timeout", "300ms", "--log-level", "warn")
	c, err := chain.Dial(ctx, info.RPC, info.Addresses())
	if err != nil {
		t.Fatal(err)
	}
	healthy, sawMetrics := false, false
	for deadline := time.Now().Add(90 * time.Second); ; {
		select {
		case err := <-vDone:
			t.Fatalf("validator stopped: %v\n%s", err, vErr.String())
		default:
		}
		if !healthy {
			if resp, err := http.Get("http://" + metrics + "/healthz"); err == nil {
				resp.Body.Close()
				healthy = resp.StatusCode == http.StatusOK
			}
		}
		if resp, err := http.Get("http://" + metrics + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			sawMetrics = sawMetrics || strings.Contains(string(b), `ganglion_validator_probes_total{outcome="timeout"}`)
		}
		st, err := c.EpochStatus(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if st.LatestEpoch > 0 && healthy && sawMetrics { // the first epoch the validator saw whole is final
			resp, err := http.Get("http://" + api + "/v1/scores/1")
			if err != nil {
				t.Fatal(err)
			}
			var ms store.MinerScore
			err = json.NewDecoder(resp.Body).Decode(&ms)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK && len(ms.Recent) > 0 && ms.Recent[0].Outcome == scoring.Timeout {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no epoch final (healthz %v); validator log:\n%s", healthy, vErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	vcancel()
	if err := <-vDone; err != nil {
		t.Fatalf("validator exit: %v\n%s", err, vErr.String())
	}
	r := run(t, environ, "validator", "explain", "--uid", "1")
	if r.err != nil || !strings.Contains(r.stdout, "timeout") {
		t.Fatalf("explain after the run: %v\n%s", r.err, r.stdout)
	}
}
