package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/chain/devchain"
)

// startCLI runs the CLI in the background until the test ends.
func startCLI(t *testing.T, environ []string, args ...string) (*syncBuffer, *syncBuffer, <-chan error, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		e := env{environ: environ, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			userDir: func() (string, error) { return "", errors.New("none") }}
		cmd := newApp(e).root()
		cmd.SetArgs(args)
		done <- cmd.ExecuteContext(ctx)
	}()
	return &out, &errb, done, cancel
}

// waitFor polls until out matches re or the command ends.
func waitFor(t *testing.T, out, errb *syncBuffer, done <-chan error, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		select {
		case err := <-done:
			t.Fatalf("command stopped: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in output:\n%s\nstderr:\n%s", re, out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMinerCommand: `ganglion miner` on a dev chain refuses to start
// unregistered, registers with --register (showing the deposit), serves,
// answers `miner status`, and stops cleanly; a bad model file stops start-up.
func TestMinerCommand(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "m")
	environ := []string{"GANGLION_HOME=" + home}

	bad := writeFile(t, t.TempDir(), "bad.bin", "not a model")
	r := run(t, environ, "miner", "--key", "m", "--password-file", pw, "--model", bad, "--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "")
	if r.err == nil || !strings.Contains(r.err.Error(), "failed to load") || !strings.Contains(r.err.Error(), "bad.bin") {
		t.Fatalf("bad model: %v", r.err)
	}

	devOut, devErr, devDone, stopDev := startCLI(t, environ, "chain", "dev", "--port", "0", "--block-time", "20ms", "--fund", "m", "--netuid", "3", "--log-level", "warn")
	t.Cleanup(func() {
		stopDev()
		if err := <-devDone; err != nil {
			t.Errorf("chain dev: %v", err)
		}
	})
	waitFor(t, devOut, devErr, devDone, regexp.MustCompile(`addresses:`))
	var info devchain.Info
	b, err := os.ReadFile(filepath.Join(home, "devchain", "addresses.json"))
	if err != nil || json.Unmarshal(b, &info) != nil {
		t.Fatalf("addresses: %v", err)
	}
	args := []string{"miner", "--key", "m", "--password-file", pw, "--model", "random", "--rpc", info.RPC,
		"--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "127.0.0.1:0", "--log-level", "warn", "--grace", "2s"}

	r = run(t, environ, args...)
	if r.err == nil || !strings.Contains(r.err.Error(), "not registered") || !strings.Contains(r.err.Error(), "--register (deposit") {
		t.Fatalf("unregistered start: %v", r.err)
	}

	out, errb, done, stop := startCLI(t, environ, append(args, "--register")...)
	m := waitFor(t, out, errb, done, regexp.MustCompile(`metrics: http://([0-9.:]+)/metrics`))
	if !regexp.MustCompile(`subnet: chain \d+, netuid 3\n`).MatchString(out.String()) {
		t.Fatalf("the miner does not sign for the dev chain's subnet:\n%s", out.String())
	}
	if !regexp.MustCompile(`registering 0x[0-9a-fA-F]{40} as a miner: deposit [0-9.]+ coins\n(.|\n)*uid: \d+`).MatchString(out.String()) {
		t.Fatalf("no deposit before registration:\n%s", out.String())
	}
	st := run(t, environ, "miner", "status", "--metrics", m[1])
	if st.err != nil {
		t.Fatal(st.err)
	}
	for _, want := range []string{"registered: yes, uid ", "model: random-42 ", "load: 0/8 active sequences", "recent errors: 0"} {
		if !strings.Contains(st.stdout, want) {
			t.Fatalf("status lacks %q:\n%s", want, st.stdout)
		}
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("miner: %v\n%s", err, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("miner did not stop")
	}
	if st := run(t, environ, "miner", "status", "--metrics", m[1]); st.err == nil || !strings.Contains(st.err.Error(), "is a miner running") {
		t.Fatalf("status of a stopped miner: %v", st.err)
	}
}
