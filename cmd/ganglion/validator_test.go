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

// TestValidatorCommandServesAPIAndSettles runs `ganglion chain dev`,
// `ganglion miner` and `ganglion validator --api` in the process: a validator
// holding all the stake and a real miner serving the random model. The
// validator probes and verifies the miner, serves /healthz and /metrics, and
// its --api serves the OpenAI API on its own node and key (a chat completion
// is answered by the miner, API keys are enforced) next to /v1/scores. It
// finalises epochs on chain on its own and stops cleanly.
func TestValidatorCommandServesAPIAndSettles(t *testing.T) {
	tok := fixture(t, "tok512.bin")
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
	waitFor := func(what string, out, errb *syncBuffer, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s:\n%s\n%s", what, out.String(), errb.String())
			}
		}
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
	waitFor("dev chain", &devOut, &devErr, func() bool {
		b, err := os.ReadFile(filepath.Join(home, "devchain", "addresses.json"))
		return err == nil && json.Unmarshal(b, &info) == nil && strings.Contains(devOut.String(), "addresses:")
	})
	for _, args := range [][]string{
		{"chain", "register", "--role", "validator", "--key", "val"},
		{"chain", "stake", "--amount", "5", "--key", "val"},
		{"chain", "register", "--key", "miner"},
	} {
		if r := run(t, environ, append(args, "--password-file", pw, "--rpc", info.RPC)...); r.err != nil {
			t.Fatalf("%v: %v", args, r.err)
		}
	}
	r := run(t, environ, "gateway", "keys", "create", "alice", "--rate", "600")
	apiKey := field(t, r.stdout, "key")
	if r.err != nil || apiKey == "" {
		t.Fatalf("keys create: %v\n%s", r.err, r.stdout)
	}
	var mOut, mErr syncBuffer
	mDone := start(ctx, &mOut, &mErr, "miner", "--key", "miner", "--password-file", pw, "--model", "random", "--tokenizer", tok,
		"--rpc", info.RPC, "--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "", "--log-level", "warn")
	t.Cleanup(func() {
		cancel()
		if err := <-mDone; err != nil {
			t.Errorf("miner: %v", err)
		}
	})
	waitFor("miner address", &mOut, &mErr, func() bool { return strings.Contains(mOut.String(), "listening: /ip4/127.0.0.1/tcp/") })
	minerAddr := field(t, mOut.String(), "listening")
	metrics, api := freeAddr(t), freeAddr(t)
	vctx, vcancel := context.WithCancel(ctx)
	var vOut, vErr syncBuffer
	vDone := start(vctx, &vOut, &vErr, "validator", "--key", "val", "--password-file", pw, "--model", "random", "--tokenizer", tok,
		"--rpc", info.RPC, "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", minerAddr, "--metrics", metrics, "--api", api,
		"--block-time", "20ms", "--probe-timeout", "5s", "--log-level", "warn")
	c, err := chain.Dial(ctx, info.RPC, info.Addresses())
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + api
	post := func(key, body string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil { // not listening yet
			return &http.Response{StatusCode: http.StatusServiceUnavailable}, []byte(err.Error())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	healthy, sawMetrics, answered := false, false, false
	for deadline := time.Now().Add(2 * time.Minute); ; {
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
			sawMetrics = sawMetrics || strings.Contains(string(b), `ganglion_validator_probes_total{outcome="ok"}`)
		}
		if !answered {
			resp, body := post(apiKey, `{"model":"random-42","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":8,"temperature":0}`)
			var cc struct {
				Choices []struct {
					Message struct{ Content string } `json:"message"`
				} `json:"choices"`
				Usage struct {
					CompletionTokens int `json:"completion_tokens"`
				} `json:"usage"`
				Ganglion struct{ UID *uint32 } `json:"ganglion"`
			}
			switch {
			case resp.StatusCode == http.StatusServiceUnavailable: // the miner's announcement has not arrived yet
			case resp.StatusCode != http.StatusOK || json.Unmarshal(body, &cc) != nil:
				t.Fatalf("chat completion: %d %s", resp.StatusCode, body)
			default:
				if len(cc.Choices) != 1 || cc.Usage.CompletionTokens == 0 || cc.Ganglion.UID == nil || *cc.Ganglion.UID != 1 {
					t.Fatalf("chat completion: %s", body)
				}
				answered = true
			}
		}
		st, err := c.EpochStatus(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if st.LatestEpoch > 0 && healthy && sawMetrics && answered { // the first epoch the validator saw whole is final
			resp, err := http.Get(base + "/v1/scores/1")
			if err != nil {
				t.Fatal(err)
			}
			var ms store.MinerScore
			err = json.NewDecoder(resp.Body).Decode(&ms)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK && len(ms.Recent) > 0 && ms.Recent[0].Outcome == scoring.OK &&
				ms.Recent[0].Correctness == 1 && ms.EMA.Value > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no epoch final (healthz %v, metrics %v, answered %v); validator log:\n%s", healthy, sawMetrics, answered, vErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The API enforces keys and names unknown models.
	if resp, body := post("", `{"model":"random-42","messages":[{"role":"user","content":"x"}]}`); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no key: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(apiKey, `{"model":"nope","messages":[{"role":"user","content":"x"}]}`); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown model: %d %s", resp.StatusCode, body)
	}
	vcancel()
	if err := <-vDone; err != nil {
		t.Fatalf("validator exit: %v\n%s", err, vErr.String())
	}
	r = run(t, environ, "validator", "explain", "--uid", "1")
	if r.err != nil || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("explain after the run: %v\n%s", r.err, r.stdout)
	}
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
