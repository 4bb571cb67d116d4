package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
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
	newKeys(t, home, pw, "m", "v", "x")
	environ := []string{"GANGLION_HOME=" + home}

	bad := writeFile(t, t.TempDir(), "bad.bin", "not a model")
	r := run(t, environ, "miner", "--key", "m", "--password-file", pw, "--model", bad, "--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "")
	if r.err == nil || !strings.Contains(r.err.Error(), "failed to load") || !strings.Contains(r.err.Error(), "bad.bin") {
		t.Fatalf("bad model: %v", r.err)
	}

	devOut, devErr, devDone, stopDev := startCLI(t, environ, "chain", "dev", "--port", "0", "--block-time", "20ms", "--fund", "m,v,x", "--netuid", "3", "--log-level", "warn")
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
	for _, c := range [][]string{
		{"chain", "register", "--role", "validator", "--key", "v"},
		{"chain", "stake", "--amount", "2", "--key", "v"},
	} {
		if r := run(t, environ, append(c, "--password-file", pw, "--rpc", info.RPC)...); r.err != nil {
			t.Fatalf("%v: %v", c, r.err)
		}
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
	askMiner(t, environ, pw, out.String())
	st := run(t, environ, "miner", "status", "--metrics", m[1])
	if st.err != nil {
		t.Fatal(st.err)
	}
	for _, want := range []string{"registered: yes, uid ", "model: random-42 ", "load: 0/8 active sequences", "tokens: 6\n", "recent errors: 0"} {
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

// askMiner queries the CLI miner (whose stdout is minerOut) over the network
// as validator "v" and checks the receipt; key "x", not registered, gets no
// answer.
func askMiner(t *testing.T, environ []string, pw, minerOut string) {
	t.Helper()
	sub := regexp.MustCompile(`subnet: chain (\d+), netuid (\d+)`).FindStringSubmatch(minerOut)
	model := regexp.MustCompile(`model random-42: ([0-9a-f]{64})`).FindStringSubmatch(minerOut)
	listen := regexp.MustCompile(`listening: (\S+)`).FindStringSubmatch(minerOut)
	if sub == nil || model == nil || listen == nil {
		t.Fatalf("miner output lacks subnet, model or listen address:\n%s", minerOut)
	}
	chainID, _ := strconv.ParseUint(sub[1], 10, 64)
	netuid, _ := strconv.ParseUint(sub[2], 10, 32)
	modelID, _ := hex.DecodeString(model[1])
	peers, err := p2p.BootstrapPeers([]string{listen[1]})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(env{environ: append(environ, "GANGLION_PASSWORD=pw"), stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		userDir: func() (string, error) { return "", errors.New("none") }})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, who := range []string{"v", "x"} {
		key, err := a.unlockKey(who, "")
		if err != nil {
			t.Fatal(err)
		}
		cfg := p2p.DefaultConfig()
		cfg.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
		cfg.ChainID, cfg.NetUID = chainID, uint32(netuid)
		node, err := p2p.New(key, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer node.Close()
		if err := node.Connect(ctx, peers[0]); err != nil {
			t.Fatal(err)
		}
		if err := node.WaitForTopicPeers(ctx, protocol.TopicQuery, 1); err != nil {
			t.Fatal(err)
		}
		qid := make([]byte, protocol.QueryIDSize)
		qid[0] = who[0]
		now := time.Now()
		q := &protocol.Query{QueryId: qid, Sender: node.Address().Bytes(), ModelId: modelID, PromptTokens: []uint32{1, 5},
			Sampling: &protocol.SamplingParams{MaxTokens: 6}, DeadlineMs: now.Add(time.Minute).UnixMilli(), TimestampMs: now.UnixMilli()}
		resp, err := node.Await(qid, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Close()
		if _, err := node.Publish(ctx, q); err != nil {
			t.Fatal(err)
		}
		wait := ctx
		if who == "x" {
			var c context.CancelFunc
			wait, c = context.WithTimeout(ctx, 1500*time.Millisecond)
			defer c()
		}
		select {
		case s := <-resp.Streams():
			_, fin, err := s.Collect(ctx)
			if who == "x" {
				t.Fatalf("an unregistered sender got an answer: %v %v", fin, err)
			}
			if err != nil || fin.Receipt == nil || len(fin.Receipt.OutputTokens) != 6 {
				t.Fatalf("validator's answer: %v %v", fin, err)
			}
		case <-wait.Done():
			if who == "v" {
				t.Fatal("the registered validator got no answer")
			}
		}
	}
}
