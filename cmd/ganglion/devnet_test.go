package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/chain/devchain/devchaintest"
	"github.com/ganglion-subnet/ganglion/internal/keyring"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// modelFixtures returns the model fixtures folder, or "" when it is absent
// (fatal with GANGLION_REQUIRE_TESTDATA=1).
func modelFixtures(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("GANGLION_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata", "models")
	}
	if _, err := os.Stat(filepath.Join(dir, "stories260K.bin")); err != nil {
		if os.Getenv("GANGLION_REQUIRE_TESTDATA") == "1" {
			t.Fatalf("fixtures missing in %s (GANGLION_REQUIRE_TESTDATA=1)", dir)
		}
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// catalogueMirror serves the fixture files at the paths of their catalogue
// URLs, like a mirror of Hugging Face on loopback.
func catalogueMirror(t testing.TB, fixtures string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for _, name := range []string{"stories260K", "tok512"} {
		e, ok := models.LookupCatalogue(name)
		if !ok {
			t.Fatalf("no catalogue entry %s", name)
		}
		path := e.URL[strings.Index(e.URL[len("https://"):], "/")+len("https://"):]
		file := filepath.Join(fixtures, e.File)
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, file) })
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestDevnetModelChoice(t *testing.T) {
	fixtures := modelFixtures(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // connection refused: like no network
	a := newApp(env{environ: nil, userDir: func() (string, error) { return "", errors.New("none") }})
	ctx := context.Background()
	type want struct {
		path, tok string // "" = anything; "random" = the random model
		notice    bool
		err       bool
	}
	cases := []struct {
		name string
		f    devnetFlags
		want want
	}{
		{"default, no network", devnetFlags{mirror: dead.URL}, want{path: "random", tok: "random-tokenizer-512.bin", notice: true}},
		{"explicit name, no network", devnetFlags{model: "stories260K", mirror: dead.URL}, want{err: true}},
		{"random", devnetFlags{model: "random"}, want{path: "random", tok: "random-tokenizer-512.bin"}},
		{"random with a tokenizer", devnetFlags{model: "random", tokenizer: "/t.bin"}, want{path: "random", tok: "/t.bin"}},
		{"unknown name", devnetFlags{model: "no-such-model"}, want{err: true}},
	}
	if fixtures != "" {
		mirror := catalogueMirror(t, fixtures)
		cases = append(cases,
			struct {
				name string
				f    devnetFlags
				want want
			}{"default, pulled", devnetFlags{mirror: mirror.URL}, want{path: "stories260K.bin", tok: "tok512.bin"}},
			struct {
				name string
				f    devnetFlags
				want want
			}{"file", devnetFlags{model: filepath.Join(fixtures, "stories260K.bin"), tokenizer: filepath.Join(fixtures, "tok512.bin")},
				want{path: filepath.Join(fixtures, "stories260K.bin"), tok: filepath.Join(fixtures, "tok512.bin")}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var out bytes.Buffer
			p, tok, err := a.devnetModel(ctx, dir, &tc.f, &out)
			if tc.want.err {
				if err == nil {
					t.Fatalf("got %s %s, want an error", p, tok)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(p, tc.want.path) || !strings.HasSuffix(tok, tc.want.tok) {
				t.Fatalf("got %q %q, want %q %q", p, tok, tc.want.path, tc.want.tok)
			}
			if got := strings.Contains(out.String(), "notice: could not download"); got != tc.want.notice {
				t.Fatalf("notice %v, output %q", got, out.String())
			}
			if tc.want.notice && strings.Count(strings.TrimSpace(out.String()), "\n") != 0 {
				t.Fatalf("notice is not one line: %q", out.String())
			}
			if tc.name == "default, pulled" && !strings.HasPrefix(p, filepath.Join(dir, "models")) {
				t.Fatalf("pulled to %s, outside the datadir", p)
			}
		})
	}
}

// TestRandomTokenizer: the random model's tokenizer has the model's
// vocabulary and encodes any text, which decodes back unchanged.
func TestRandomTokenizer(t *testing.T) {
	p, err := writeRandomTokenizer(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	vocab := models.DefaultShape().Vocab
	tok, err := models.LoadTokenizer(p, vocab)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Len() != vocab || tok.BOS() != 1 || tok.EOS() != 2 {
		t.Fatalf("len %d bos %d eos %d", tok.Len(), tok.BOS(), tok.EOS())
	}
	for _, text := range []string{"Hello, world!", "Once upon a time 42\n~{}", "ünïcødé ✓"} {
		ids := tok.Encode(text, false, false)
		ascii := !strings.ContainsFunc(text, func(r rune) bool { return r > 0x7e })
		for _, id := range ids {
			if id < 0 || id >= vocab || (ascii && id == 0) {
				t.Fatalf("%q: token %d", text, id)
			}
		}
		if got := tok.Decode(ids); ascii && got != text {
			t.Fatalf("%q decodes to %q", text, got)
		}
	}
	// Every piece a random answer can hold decodes to printable text.
	for id := 3; id < vocab; id++ {
		for _, r := range tok.DecodeToken(5, id) {
			if r != '\n' && (r < 0x20 || r > 0x7e) {
				t.Fatalf("token %d decodes to %q", id, tok.DecodeToken(5, id))
			}
		}
	}
}

func TestDevnetKeysAndPasswordAreReused(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "password")
	pw, err := devnetPassword(pwFile)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(pwFile)
	if err != nil || st.Mode().Perm() != 0o600 || len(pw) < 32 {
		t.Fatalf("password file %v %v (len %d)", st.Mode().Perm(), err, len(pw))
	}
	first, err := devnetKeys(filepath.Join(dir, "keys"), pw, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	pw2, err := devnetPassword(pwFile)
	if err != nil || pw2 != pw {
		t.Fatalf("password changed: %v", err)
	}
	again, err := devnetKeys(filepath.Join(dir, "keys"), pw2, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[common.Address]bool{}
	for i, n := range again {
		if i < len(first) && (n.name != first[i].name || n.info.Address != first[i].info.Address) {
			t.Fatalf("node %d: %s %s, first run %s %s", i, n.name, n.info.Address, first[i].name, first[i].info.Address)
		}
		if seen[n.info.Address] {
			t.Fatalf("address %s twice", n.info.Address)
		}
		seen[n.info.Address] = true
	}
	if len(again) != 6 || again[5].name != "miner-3" || again[1].role != chain.RoleValidator || again[2].role != chain.RoleMiner {
		t.Fatalf("nodes %v", again)
	}
	k1, err := devnetAPIKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := devnetAPIKey(dir)
	if err != nil || k1 != k2 || !strings.HasPrefix(k1, "gl-") {
		t.Fatalf("API key %q then %q (%v)", k1, k2, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "api-key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("api-key file: %v", err)
	}
}

func TestDevnetProbeTimeout(t *testing.T) {
	for _, tc := range []struct {
		block  time.Duration
		blocks uint64
		want   time.Duration
	}{
		{time.Second, 60, 15 * time.Second}, // the default: a quarter of a minute
		{100 * time.Millisecond, 40, 3 * time.Second},
		{time.Second, 360, 30 * time.Second}, // never above the validator's default
	} {
		if got := devnetProbeTimeout(&devnetFlags{blockTime: tc.block, epochBlocks: tc.blocks}); got != tc.want {
			t.Errorf("%v × %d: %v, want %v", tc.block, tc.blocks, got, tc.want)
		}
	}
}

func TestDevnetStakesAreUnequal(t *testing.T) {
	for v := 1; v <= 5; v++ {
		seen := map[string]bool{}
		total := new(big.Int)
		for i := range v {
			s := devnetStake(i, v)
			if s.Sign() <= 0 || seen[s.String()] {
				t.Fatalf("%d validators: stake %d is %v (seen %v)", v, i, s, seen)
			}
			seen[s.String()] = true
			total.Add(total, s)
		}
		// With more than one validator no single one reaches quorum alone.
		top := new(big.Int).Mul(devnetStake(0, v), big.NewInt(3))
		if v > 1 && top.Cmp(new(big.Int).Mul(total, big.NewInt(2))) > 0 {
			t.Fatalf("%d validators: validator-0 alone holds more than 2/3", v)
		}
	}
}

// TestDevnetBusyAPIPort: an --api address given explicitly and taken is
// an error before anything starts.
func TestDevnetBusyAPIPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := filepath.Join(t.TempDir(), "devnet")
	r := run(t, []string{"GANGLION_HOME=" + t.TempDir()}, "devnet", "--datadir", dir, "--api", ln.Addr().String(), "--model", "random")
	if r.err == nil || !strings.Contains(r.err.Error(), "another devnet") {
		t.Fatalf("busy --api: %v", r.err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keys")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("keys created before the port check: %v", err)
	}
}

func TestDevnetRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--miners", "0"}, {"--validators", "0"}, {"--epoch-blocks", "2"}, {"--block-time", "1ms"}, {"--grace", "0s"},
		{"--node-log-level", "loud"},
	} {
		r := run(t, []string{"GANGLION_HOME=" + t.TempDir()}, append([]string{"devnet"}, args...)...)
		if r.err == nil || !strings.Contains(r.err.Error(), args[0]) {
			t.Fatalf("%v: %v", args, r.err)
		}
	}
}

// childPIDs lists the processes whose command line mentions dir (the
// devnet's children all get --home DIR).
func childPIDs(t testing.TB, dir string, except int) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == except || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		st, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if f := strings.Fields(string(st)); len(f) > 2 && f[2] == "Z" {
			continue // a zombie is dead
		}
		if bytes.Contains(b, []byte("\x00"+dir+"\x00")) {
			out = append(out, pid)
		}
	}
	return out
}

// devnetProc is a `ganglion devnet` child of the test.
type devnetProc struct {
	t              testing.TB
	cmd            *exec.Cmd
	dir            string
	stdout, stderr syncBuffer
	exited         chan error
	done           bool
}

// startDevnet runs the test binary as `ganglion devnet ARGS` on dir.
func startDevnet(t testing.TB, dir string, args ...string) *devnetProc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	d := &devnetProc{t: t, dir: dir, exited: make(chan error, 1)}
	d.cmd = exec.Command(exe, append([]string{"devnet", "--datadir", dir}, args...)...)
	d.cmd.Env = append(os.Environ(), "GANGLION_TEST_AS_MAIN=1", "GANGLION_HOME="+t.TempDir())
	d.cmd.Stdout, d.cmd.Stderr = &d.stdout, &d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.exited <- d.cmd.Wait() }()
	t.Cleanup(func() {
		if t.Failed() && !d.done {
			d.metricsReport() // while the nodes still run
		}
		if !d.done {
			_ = d.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-d.exited:
			case <-time.After(30 * time.Second):
				_ = d.cmd.Process.Kill()
			}
		}
		if t.Failed() {
			t.Logf("devnet stdout:\n%s\nstderr:\n%s", d.stdout.String(), d.stderr.String())
			logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*.log"))
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				var notable []string
				for _, line := range strings.Split(string(b), "\n") {
					for _, k := range []string{"WARN", "ERROR", "rejected", "ignored", "connected to", "GRAFT", "PEERUP", "=== devnet"} {
						if strings.Contains(line, k) {
							notable = append(notable, line)
							break
						}
					}
				}
				if len(notable) > 60 {
					notable = notable[:60]
				}
				if len(b) > 4000 {
					b = b[len(b)-4000:]
				}
				t.Logf("%s: notable lines:\n%s\n(tail):\n%s", l, strings.Join(notable, "\n"), b)
			}
		}
	})
	return d
}

// metricsReport logs the gossip, weights and probe metrics of every node
// in the banner's table (to tell a partitioned network from a slow one).
func (d *devnetProc) metricsReport() {
	for _, line := range strings.Split(d.stdout.String(), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || !strings.HasPrefix(f[len(f)-1], "http://127.0.0.1:") || !strings.HasSuffix(f[len(f)-1], "/metrics") {
			continue
		}
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(f[len(f)-1])
		if err != nil {
			d.t.Logf("%s: %v", f[0], err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var keep []string
		for _, m := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(m, "#") && (strings.Contains(m, "validated") || strings.Contains(m, "weight_messages") ||
				strings.Contains(m, "probes_total") || strings.Contains(m, "p2p_peers") || strings.Contains(m, "epochs_settled")) {
				keep = append(keep, m)
			}
		}
		d.t.Logf("%s metrics:\n%s", f[0], strings.Join(keep, "\n"))
	}
}

// waitUntil polls cond every 100 ms; it fails if the devnet exits first.
func (d *devnetProc) waitUntil(what string, timeout time.Duration, cond func() bool) {
	d.t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); {
		select {
		case err := <-d.exited:
			d.done = true
			d.t.Fatalf("devnet exited while waiting for %s: %v", what, err)
		default:
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// interrupt sends SIGINT and checks a clean exit with no child left.
func (d *devnetProc) interrupt() time.Duration {
	d.t.Helper()
	if n := len(childPIDs(d.t, d.dir, d.cmd.Process.Pid)); n == 0 {
		d.t.Fatal("no children before SIGINT")
	}
	start := time.Now()
	if err := d.cmd.Process.Signal(syscall.SIGINT); err != nil {
		d.t.Fatal(err)
	}
	select {
	case err := <-d.exited:
		d.done = true
		if err != nil {
			d.t.Fatalf("devnet exit: %v", err)
		}
	case <-time.After(time.Minute):
		d.t.Fatal("devnet did not stop within a minute of SIGINT")
	}
	if left := childPIDs(d.t, d.dir, d.cmd.Process.Pid); len(left) != 0 {
		d.t.Fatalf("children left running: %v", left)
	}
	if !strings.Contains(d.stdout.String(), "devnet stopped") {
		d.t.Fatalf("no clean stop in output:\n%s", d.stdout.String())
	}
	return time.Since(start)
}

// api calls the devnet's API with its key.
func (d *devnetProc) api(method, path, body string) (int, []byte) {
	d.t.Helper()
	apiURL := strings.TrimSuffix(bannerValue(d.stdout.String(), "API (OpenAI-compatible)"), "/v1")
	key, err := os.ReadFile(filepath.Join(d.dir, "api-key"))
	if err != nil {
		d.t.Fatal(err)
	}
	req, err := http.NewRequest(method, apiURL+path, strings.NewReader(body))
	if err != nil {
		d.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(key)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// chat sends one chat completion and checks the answer.
func (d *devnetProc) chat() {
	d.t.Helper()
	code, b := d.api(http.MethodGet, "/v1/models", "")
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if code != 200 || json.Unmarshal(b, &list) != nil || len(list.Data) == 0 {
		d.t.Fatalf("models: %d %s", code, b)
	}
	code, b = d.api(http.MethodPost, "/v1/chat/completions",
		fmt.Sprintf(`{"model":%q,"messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":16}`, list.Data[0].ID))
	var chat struct {
		Choices []struct {
			Message struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
		Usage struct {
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	if code != 200 || json.Unmarshal(b, &chat) != nil || len(chat.Choices) != 1 || chat.Choices[0].Message.Role != "assistant" || chat.Usage.CompletionTokens == 0 {
		d.t.Fatalf("chat completion: %d %s", code, b)
	}
}

// TestDevnetEndToEnd is the "done when": the binary runs a small
// devnet (2 validators, 2 miners, stories260K pulled from a loopback mirror
// of its catalogue URL, or the random model without fixtures, 100 ms blocks,
// 40-block epochs); a chat completion through validator-0's API succeeds,
// epochs finalise on the dev chain, a miner's claim fetched from the API
// pays out exactly its amount, and SIGINT stops the devnet cleanly with no
// child left. A second run on the same data directory resumes: same keys
// and API key, the previous validator state set aside, answers again.
func TestDevnetEndToEnd(t *testing.T) {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("needs /proc to find the devnet's children")
	}
	started := time.Now()
	dir := filepath.Join(t.TempDir(), "devnet")
	args := []string{"--miners", "2", "--validators", "2", "--block-time", "100ms",
		"--epoch-blocks", "40", "--api", "127.0.0.1:0", "--chain-port", "0", "--grace", "5s", "--ready-timeout", "150s",
		"--node-log-level", "debug"} // the node logs are printed when the test fails
	if fx := modelFixtures(t); fx != "" {
		args = append(args, "--mirror", catalogueMirror(t, fx).URL)
	} else {
		args = append(args, "--model", "random")
	}
	d := startDevnet(t, dir, args...)
	d.waitUntil("the devnet banner", 3*time.Minute, func() bool { return strings.Contains(d.stdout.String(), "Ganglion devnet is up") })
	upAfter := time.Since(started)
	var info devchain.Info
	if b, err := os.ReadFile(filepath.Join(dir, "devchain", "addresses.json")); err != nil || json.Unmarshal(b, &info) != nil {
		t.Fatalf("addresses: %v", err)
	}
	if children := childPIDs(t, dir, d.cmd.Process.Pid); len(children) != 4 {
		t.Fatalf("%d children running, want 4: %v", len(children), children)
	}
	d.chat()
	// The dashboard the banner points at.
	dash, key, _ := strings.Cut(bannerValue(d.stdout.String(), "dashboard"), "/#key=")
	if want, _ := os.ReadFile(filepath.Join(dir, "api-key")); key == "" || key != strings.TrimSpace(string(want)) {
		t.Fatalf("the dashboard link carries key %q", key)
	}
	if resp, err := http.Get(dash + "/"); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("dashboard %s: %v %v", dash, resp, err)
	} else {
		resp.Body.Close()
	}

	// Epochs finalise; wait for one paying miner-0 and claim it, sent by
	// miner-1 so miner-0's balance grows by exactly the amount.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	kr, err := keyring.Open(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	m0, err := kr.Show("miner-0")
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.Dial(ctx, info.RPC, info.Addresses())
	if err != nil {
		t.Fatal(err)
	}
	mg, err := c.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n0, ok := mg.Lookup(m0.Address)
	if !ok || n0.Role != chain.RoleMiner {
		t.Fatalf("miner-0 not registered: %+v", n0)
	}
	var firstFinal time.Duration
	var epoch uint64
	d.waitUntil("a finalised epoch paying miner-0", 3*time.Minute, func() bool {
		st, err := c.EpochStatus(ctx, 1)
		if err != nil || st.LatestEpoch == 0 {
			return false
		}
		if firstFinal == 0 {
			firstFinal = time.Since(started)
		}
		for e := st.LatestEpoch; e >= 1; e-- {
			es, err := c.EpochStatus(ctx, e)
			if err != nil || !es.Finalized {
				continue
			}
			code, b := d.api(http.MethodGet, fmt.Sprintf("/v1/epochs/%d/claims/%d", e, n0.UID), "")
			var cl validator.Claim
			if code == 200 && json.Unmarshal(b, &cl) == nil && cl.Root == es.EmissionsRoot {
				epoch = e
				return true
			}
		}
		return false
	})
	code, b := d.api(http.MethodGet, fmt.Sprintf("/v1/epochs/%d/claims/%d", epoch, n0.UID), "")
	var cl validator.Claim
	if code != 200 || json.Unmarshal(b, &cl) != nil {
		t.Fatalf("claim: %d %s", code, b)
	}
	amount, _ := new(big.Int).SetString(cl.Amount, 10)
	before, err := c.Balance(ctx, m0.Address)
	if err != nil {
		t.Fatal(err)
	}
	apiURL := strings.TrimSuffix(bannerValue(d.stdout.String(), "API (OpenAI-compatible)"), "/v1")
	r := run(t, nil, "--home", dir, "chain", "claim", "--from", apiURL, "--epoch", strconv.FormatUint(epoch, 10),
		"--uid", strconv.Itoa(int(n0.UID)), "--key", "miner-1", "--password-file", filepath.Join(dir, "password"), "--rpc", info.RPC)
	if r.err != nil {
		t.Fatalf("chain claim: %v\n%s", r.err, r.stderr)
	}
	after, err := c.Balance(ctx, m0.Address)
	if err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(after, before); amount == nil || amount.Sign() <= 0 || got.Cmp(amount) != 0 {
		t.Fatalf("miner-0 received %v, claim says %v", got, amount)
	}
	// The devnet reports the epochs paying miners as they finalise.
	d.waitUntil("an epoch line with the miners' share", time.Minute, func() bool {
		return strings.Contains(d.stdout.String(), " to miners: ")
	})
	firstRun := time.Since(started)
	stopTook := d.interrupt()

	// Resume: same keys and API key; the chain replays its journal, so the
	// claimed epoch is still final and still claimed; the devnet answers
	// again.
	key1, _ := os.ReadFile(filepath.Join(dir, "api-key"))
	restarted := time.Now()
	d2 := startDevnet(t, dir, args...)
	d2.waitUntil("the devnet banner after a restart", 3*time.Minute, func() bool { return strings.Contains(d2.stdout.String(), "Ganglion devnet is up") })
	resumeAfter := time.Since(restarted)
	if key2, _ := os.ReadFile(filepath.Join(dir, "api-key")); !bytes.Equal(key1, key2) {
		t.Fatal("API key changed across a restart")
	}
	for _, name := range []string{"validator-0", "validator-1", "miner-0", "miner-1"} {
		in, err := kr.Show(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d2.stdout.String(), in.Address.Hex()) {
			t.Fatalf("%s (%s) is not in the second banner", name, in.Address.Hex())
		}
	}
	if !strings.Contains(d2.stdout.String(), "resuming "+dir+": same keys, model and API key; the dev chain replays its journal") ||
		strings.Contains(d.stdout.String(), "resuming") {
		t.Fatalf("resume notice: first run\n%s\nsecond run\n%s", d.stdout.String(), d2.stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "previous-run")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("node state set aside although the chain resumed: %v", err)
	}
	var info2 devchain.Info
	if b, err := os.ReadFile(filepath.Join(dir, "devchain", "addresses.json")); err != nil || json.Unmarshal(b, &info2) != nil {
		t.Fatalf("addresses after the restart: %v", err)
	}
	if info2.Registry != info.Registry || info2.Ledger != info.Ledger {
		t.Fatalf("contracts moved: %+v, then %+v", info, info2)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	c2, err := chain.Dial(ctx2, info2.RPC, info2.Addresses())
	if err != nil {
		t.Fatal(err)
	}
	if st, err := c2.EpochStatus(ctx2, epoch); err != nil || !st.Finalized {
		t.Fatalf("epoch %d after the restart: %+v %v", epoch, st, err)
	}
	if claimed, err := c2.IsClaimed(ctx2, epoch, n0.UID); err != nil || !claimed {
		t.Fatalf("the claim of epoch %d is gone after the restart: %v %v", epoch, claimed, err)
	}
	if strings.Contains(d2.stdout.String(), "downloaded") {
		t.Fatalf("model downloaded again:\n%s", d2.stdout.String())
	}
	d2.chat()
	d2.interrupt()
	t.Logf("first answer after %v, first final epoch after %v, claimed epoch %d (%s coins) after %v, stopped in %v; restart answered after %v; total %v",
		upAfter.Round(100*time.Millisecond), firstFinal.Round(100*time.Millisecond), epoch, formatCoins(amount),
		firstRun.Round(100*time.Millisecond), stopTook.Round(10*time.Millisecond), resumeAfter.Round(100*time.Millisecond),
		time.Since(started).Round(100*time.Millisecond))
}

// bannerValue returns what follows label on the banner line starting with
// it ("" if there is none).
func bannerValue(out, label string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), label); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestDevnetProcs: every node runs this binary with --home DATADIR, its own
// key, ports and log file, dials every other node, and only validator-0
// serves the API.
func TestDevnetProcs(t *testing.T) {
	dir := t.TempDir()
	pw, err := devnetPassword(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := devnetKeys(filepath.Join(dir, "keys"), pw, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range nodes {
		n.p2pPort, n.metricsPort = 20000+i, 30000+i
	}
	info := devchain.Info{RPC: "http://127.0.0.1:1234", Registry: common.HexToAddress("0x1"), Ledger: common.HexToAddress("0x2")}
	f := devnetFlags{blockTime: 100 * time.Millisecond, nodeLogLevel: "warn"}
	procs := devnetProcs("/bin/ganglion", dir, filepath.Join(dir, "password"), "/m/model.bin", "/m/tok.bin", "127.0.0.1:8080", info, nodes, &f)
	if len(procs) != 4 {
		t.Fatalf("%d procs", len(procs))
	}
	flag := func(args []string, name string) (string, bool) {
		for i, a := range args {
			if a == name && i+1 < len(args) {
				return args[i+1], true
			}
		}
		return "", false
	}
	for i, p := range procs {
		n := nodes[i]
		role := map[chain.Role]string{chain.RoleValidator: "validator", chain.RoleMiner: "miner"}[n.role]
		if p.Name != n.name || p.Path != "/bin/ganglion" || p.LogPath != filepath.Join(dir, "logs", n.name+".log") || !slices.Contains(p.Args, role) {
			t.Fatalf("%s: %+v", n.name, p)
		}
		for name, want := range map[string]string{"--home": dir, "--key": n.name, "--model": "/m/model.bin", "--tokenizer": "/m/tok.bin",
			"--rpc": info.RPC, "--metrics": n.metrics(), "--listen": fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.p2pPort), "--log-level": "warn"} {
			if got, _ := flag(p.Args, name); got != want {
				t.Fatalf("%s: %s = %q, want %q", n.name, name, got, want)
			}
		}
		boot, _ := flag(p.Args, "--bootstrap")
		for _, o := range nodes {
			if strings.Contains(boot, o.multiaddr()) != (o != n) {
				t.Fatalf("%s: bootstrap %q and %s", n.name, boot, o.name)
			}
		}
		api, hasAPI := flag(p.Args, "--api")
		if hasAPI != (n.name == "validator-0") || (hasAPI && api != "127.0.0.1:8080") {
			t.Fatalf("%s: --api %q %v", n.name, api, hasAPI)
		}
		if data, ok := flag(p.Args, "--data"); ok != (n.role == chain.RoleValidator) || (ok && data != filepath.Join(dir, "run", n.name)) {
			t.Fatalf("%s: --data %q", n.name, data)
		}
		if pt, ok := flag(p.Args, "--probe-timeout"); ok != (n.role == chain.RoleValidator) || (ok && pt != "3s") {
			t.Fatalf("%s: --probe-timeout %q", n.name, pt)
		}
	}
}

// TestDevnetRegisterAndAutoClaim registers a devnet's nodes on a dev chain
// (validators with unequal stakes), finalises an epoch paying one of two
// miners, and auto-claims it: the paid miner's balance grows by the amount
// less its own gas, the other sends nothing, and a second pass claims
// nothing twice.
func TestDevnetRegisterAndAutoClaim(t *testing.T) {
	dir := t.TempDir()
	pw, err := devnetPassword(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := devnetKeys(filepath.Join(dir, "keys"), pw, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	cfg := devchain.DefaultConfig()
	cfg.Port, cfg.BlockTime = 0, 20*time.Millisecond
	for _, n := range nodes {
		cfg.Fund = append(cfg.Fund, n.info.Address)
	}
	dev := devchaintest.Start(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	info := dev.Info()
	if err := devnetRegister(ctx, info, nodes, cfg.BlockTime); err != nil {
		t.Fatal(err)
	}
	c, err := chain.Dial(ctx, info.RPC, info.Addresses())
	if err != nil {
		t.Fatal(err)
	}
	mg, err := c.Metagraph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(mg.Neurons) != 4 {
		t.Fatalf("%d neurons", len(mg.Neurons))
	}
	for _, n := range nodes {
		on, ok := mg.Lookup(n.info.Address)
		if !ok || on.UID != n.uid || on.Role != n.role {
			t.Fatalf("%s: on chain %+v %v, devnet uid %d", n.name, on, ok, n.uid)
		}
		if n.role == chain.RoleValidator && (!on.ValidatorPermit || on.Stake.Cmp(n.stake) != 0) {
			t.Fatalf("%s: stake %v permit %v, want %v", n.name, on.Stake, on.ValidatorPermit, n.stake)
		}
	}
	if nodes[0].stake.Cmp(nodes[1].stake) == 0 {
		t.Fatal("equal validator stakes")
	}

	// Epoch 1 pays miner-0 and validator-0; miner-1 earns nothing.
	hot := make([]common.Address, len(mg.Neurons))
	emissions := make([]string, len(mg.Neurons))
	for i, nu := range mg.Neurons {
		hot[i], emissions[i] = nu.Hotkey, "0"
	}
	paid := map[string]*big.Int{"miner-0": big.NewInt(4e17), "validator-0": big.NewInt(6e17)}
	var es []chain.Emission
	byName := map[string]*devnetNode{}
	for _, n := range nodes {
		byName[n.name] = n
		if a, ok := paid[n.name]; ok {
			emissions[n.uid] = a.String()
			es = append(es, chain.Emission{UID: n.uid, Account: n.info.Address, Amount: a})
		}
	}
	tr, err := chain.NewTree(1, es)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutOutput(store.EpochOutput{Epoch: 1, Root: tr.Root(), Total: tr.Total().String(), Hotkeys: hot, Emissions: emissions}); err != nil {
		t.Fatal(err)
	}
	d, err := c.Domain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sigs [][]byte
	for _, n := range nodes[:2] {
		sig, err := chain.SignReport(n.key, d, tr.Report(info.Netuid))
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	relay, err := chain.Dial(ctx, info.RPC, info.Addresses(), chain.WithKey(nodes[0].key), chain.WithReceiptPoll(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := relay.Finalize(ctx, tr.Report(info.Netuid), sigs); err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(validator.NewAPI(st))
	defer api.Close()

	balance := func(name string) *big.Int {
		b, err := c.Balance(ctx, byName[name].info.Address)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	m0, m1 := balance("miner-0"), balance("miner-1")
	var out bytes.Buffer
	claimForMiners(ctx, info, api.URL, 1, tr.Root(), nodes, &out, zap.NewNop())
	if !strings.Contains(out.String(), "miner-0 claimed 0.4 coins of epoch 1") || strings.Contains(out.String(), "miner-1") {
		t.Fatalf("output:\n%s", out.String())
	}
	gain := new(big.Int).Sub(balance("miner-0"), m0)
	fee := new(big.Int).Sub(paid["miner-0"], gain)
	if fee.Sign() <= 0 || fee.Cmp(big.NewInt(1e16)) > 0 {
		t.Fatalf("miner-0 gained %v of %v (fee %v)", gain, paid["miner-0"], fee)
	}
	if !strings.Contains(out.String(), "fee "+formatCoins(fee)+" coins") {
		t.Fatalf("printed fee differs from the balance change %v:\n%s", fee, out.String())
	}
	if balance("miner-1").Cmp(m1) != 0 {
		t.Fatal("miner-1's balance moved")
	}
	if ok, err := c.IsClaimed(ctx, 1, byName["miner-0"].uid); err != nil || !ok {
		t.Fatalf("claimed on chain: %v %v", ok, err)
	}
	out.Reset()
	claimForMiners(ctx, info, api.URL, 1, tr.Root(), nodes, &out, zap.NewNop())
	if out.Len() != 0 {
		t.Fatalf("second pass:\n%s", out.String())
	}
}

// BenchmarkDevnetUp measures how long `ganglion devnet` takes to its first
// answer through the API and to its first epoch final on chain, with the
// default topology and timing and with the end-to-end test's:
//
//	go test ./cmd/ganglion -run '^$' -bench DevnetUp -benchtime 1x
func BenchmarkDevnetUp(b *testing.B) {
	fx := modelFixtures(b)
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"default", nil},
		{"e2e", []string{"--miners", "2", "--validators", "2", "--block-time", "100ms", "--epoch-blocks", "40"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var answer, final time.Duration
			for range b.N {
				dir := filepath.Join(b.TempDir(), "devnet")
				args := append([]string{"--api", "127.0.0.1:0", "--chain-port", "0", "--grace", "5s"}, bc.args...)
				if fx != "" {
					args = append(args, "--mirror", catalogueMirror(b, fx).URL)
				}
				start := time.Now()
				d := startDevnet(b, dir, args...)
				d.waitUntil("the banner", 5*time.Minute, func() bool { return strings.Contains(d.stdout.String(), "Ganglion devnet is up") })
				answer += time.Since(start)
				d.waitUntil("a final epoch", 5*time.Minute, func() bool { return strings.Contains(d.stdout.String(), "final on chain after") })
				final += time.Since(start)
				d.interrupt()
			}
			b.ReportMetric(answer.Seconds()/float64(b.N), "s-to-first-answer")
			b.ReportMetric(final.Seconds()/float64(b.N), "s-to-first-final-epoch")
			b.ReportMetric(0, "ns/op")
		})
	}
}
