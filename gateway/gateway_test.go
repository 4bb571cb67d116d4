package gateway_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// testTokenizer is a 512-entry vocabulary: control tokens, 256 byte
// tokens, then letters and letter pairs.
func testTokenizer(t testing.TB) *models.Tokenizer {
	t.Helper()
	pieces := []string{"<unk>", "<s>", "</s>"}
	for b := 0; b < 256; b++ {
		pieces = append(pieces, fmt.Sprintf("<0x%02X>", b))
	}
	letters := "abcdefghijklmnopqrstuvwxyz"
	for _, c := range letters {
		pieces = append(pieces, string(c), "▁"+string(c))
	}
	for _, a := range letters {
		for _, b := range letters {
			if len(pieces) == 512 {
				break
			}
			pieces = append(pieces, string(a)+string(b))
		}
	}
	scores := make([]float32, len(pieces))
	for i := range scores {
		scores[i] = float32(len(pieces[i]))
	}
	tok, err := models.NewTokenizer(models.TokenizerSpec{Pieces: pieces, Scores: scores, BOS: 1, EOS: 2, UNK: 0})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type env struct {
	nw       *testnet.Network
	miners   []*miner.Miner
	mreg     []*prometheus.Registry
	greg     *prometheus.Registry
	base     string
	keys     *gateway.Keys
	keysPath string
	key      string
}

const modelName = "rand-512"

// setup runs miners on nodes 1..miners and a gateway on node 0.
func setup(t *testing.T, miners int, mcfg miner.Config, withKeys bool) *env {
	return setupShape(t, miners, func(int) miner.Config { return mcfg }, withKeys, models.DefaultShape(), nil)
}

// setupShape gives miner i (1-based) the config cfg(i) and serves a random
// model of the given shape.
func setupShape(t testing.TB, miners int, cfg func(i int) miner.Config, withKeys bool, shape models.Shape, fakes []func(testing.TB, *p2p.Node), extra ...gateway.Option) *env {
	t.Helper()
	nw := testnet.New(t, miners+len(fakes)+1, testnet.Options{})
	nw.ConnectAll()
	w, err := models.Random(shape, 3)
	if err != nil {
		t.Fatal(err)
	}
	tok := testTokenizer(t)
	id := sha256.Sum256([]byte("gateway test model"))
	e := &env{nw: nw, greg: prometheus.NewRegistry()}
	for i := 1; i <= miners; i++ {
		mcfg := cfg(i)
		if mcfg.AnnounceInterval == 0 {
			mcfg.AnnounceInterval = 300 * time.Millisecond
		}
		reg := prometheus.NewRegistry()
		e.mreg = append(e.mreg, reg)
		e.miners = append(e.miners, nw.StartMiner(i, mcfg, []miner.Model{{Name: modelName, ID: id[:], Weights: w, Tokenizer: tok}},
			miner.WithMetrics(miner.NewMetrics(reg))))
	}
	for k, f := range fakes {
		f(t, nw.P2P(miners+1+k))
	}
	opts := []gateway.Option{gateway.WithMetrics(gateway.NewMetrics(e.greg)), gateway.WithRegistry(e.greg), gateway.WithVerify(1),
		gateway.WithUIDs(func(a [20]byte) (uint32, bool) {
			for _, n := range nw.Nodes() {
				if [20]byte(n.Address) == a {
					return uint32(n.Index), true
				}
			}
			return 0, false
		})}
	if withKeys {
		e.keysPath = filepath.Join(t.TempDir(), "keys.json")
		k, err := gateway.OpenKeys(e.keysPath)
		if err != nil {
			t.Fatal(err)
		}
		k.DefaultRate = 1000
		e.key, err = k.Create("alice", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.keys = k
		opts = append(opts, gateway.WithKeys(k))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, gateway.WithListener(ln))
	opts = append(opts, extra...)
	g, err := gateway.New(gateway.Config{FirstFrameTimeout: 5 * time.Second}, nw.P2P(0),
		[]gateway.Model{{Name: modelName, ID: id[:], Tokenizer: tok, EOS: 2, Weights: w}}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("gateway run: %v", err)
		}
	})
	<-g.Ready()
	e.base = "http://" + g.Addr()
	// Wait until the miners' announcements arrived.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var list struct {
			Data []struct {
				Ganglion struct{ Miners int } `json:"ganglion"`
			} `json:"data"`
		}
		_, body := e.do(t, "GET", "/v1/models", "", e.key)
		_ = json.Unmarshal(body, &list)
		if len(list.Data) == 1 && list.Data[0].Ganglion.Miners == miners+len(fakes) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("miners never announced: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return e
}

func (e *env) do(t testing.TB, method, path, body, key string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

type apiErr struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

// TestGateway covers the endpoints, their statuses and the SSE framing.
func TestGateway(t *testing.T) {
	e := setup(t, 2, miner.Config{}, true)

	t.Run("models", func(t *testing.T) {
		resp, body := e.do(t, "GET", "/v1/models", "", e.key)
		var list struct {
			Object string           `json:"object"`
			Data   []map[string]any `json:"data"`
		}
		if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 || list.Object != "list" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		d := list.Data[0]
		if d["id"] != modelName || d["object"] != "model" || d["owned_by"] == nil || d["created"] == nil {
			t.Fatalf("model object %v", d)
		}
		if resp.Header.Get("x-request-id") == "" || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("headers %v", resp.Header)
		}
	})

	t.Run("chat", func(t *testing.T) {
		resp, body := e.do(t, "POST", "/v1/chat/completions",
			`{"model":"rand-512","messages":[{"role":"user","content":"hello"}],"max_tokens":12,"temperature":0}`, e.key)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var out struct {
			Object  string `json:"object"`
			Choices []struct {
				Index   int `json:"index"`
				Message struct{ Role, Content string }
				Finish  string `json:"finish_reason"`
			}
			Usage    struct{ PromptTokens, CompletionTokens, TotalTokens int }
			Ganglion struct {
				Miner, Receipt string
				UID            *int64
			}
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		var u struct {
			Usage map[string]int `json:"usage"`
		}
		_ = json.Unmarshal(body, &u)
		if out.Object != "chat.completion" || len(out.Choices) != 1 || out.Choices[0].Message.Role != "assistant" ||
			(out.Choices[0].Finish != "length" && out.Choices[0].Finish != "stop") {
			t.Fatalf("answer %s", body)
		}
		if u.Usage["completion_tokens"] < 1 || u.Usage["completion_tokens"] > 12 || u.Usage["prompt_tokens"] < 2 ||
			u.Usage["total_tokens"] != u.Usage["prompt_tokens"]+u.Usage["completion_tokens"] {
			t.Fatalf("usage %v", u.Usage)
		}
		if out.Ganglion.UID == nil || *out.Ganglion.UID < 1 || resp.Header.Get("x-ganglion-miner-uid") != fmt.Sprint(*out.Ganglion.UID) {
			t.Fatalf("uid %v, header %q", out.Ganglion.UID, resp.Header.Get("x-ganglion-miner-uid"))
		}
		if out.Ganglion.Miner == "" || out.Ganglion.Receipt == "" || resp.Header.Get("x-ganglion-miner") != out.Ganglion.Miner ||
			resp.Header.Get("x-ganglion-receipt") != out.Ganglion.Receipt {
			t.Fatalf("ganglion field %+v, headers %v", out.Ganglion, resp.Header)
		}
		if resp.Header.Get("x-ratelimit-limit-requests") != "1000" || resp.Header.Get("x-ratelimit-remaining-requests") == "" {
			t.Fatalf("rate limit headers %v", resp.Header)
		}
		// The same seed and greedy sampling give the same text on any miner.
		_, again := e.do(t, "POST", "/v1/chat/completions",
			`{"model":"rand-512","messages":[{"role":"user","content":"hello"}],"max_tokens":12,"temperature":0}`, e.key)
		var out2 struct {
			Choices []struct{ Message struct{ Content string } }
		}
		_ = json.Unmarshal(again, &out2)
		if out2.Choices[0].Message.Content != out.Choices[0].Message.Content {
			t.Fatalf("greedy answers differ: %q vs %q", out.Choices[0].Message.Content, out2.Choices[0].Message.Content)
		}
	})

	t.Run("verify", func(t *testing.T) {
		// Every receipt is re-executed (WithVerify(1)) and reproduces.
		deadline := time.Now().Add(20 * time.Second)
		for metric(t, e.greg, "ganglion_gateway_verified_total", map[string]string{"result": "ok"}) < 2 {
			if time.Now().After(deadline) {
				t.Fatal("receipts were not verified")
			}
			time.Sleep(10 * time.Millisecond)
		}
		for _, bad := range []string{"mismatch", "error", "dropped"} {
			if n := metric(t, e.greg, "ganglion_gateway_verified_total", map[string]string{"result": bad}); n != 0 {
				t.Fatalf("verified %s: %v", bad, n)
			}
		}
	})

	t.Run("stream", func(t *testing.T) {
		for _, chat := range []bool{true, false} {
			path, body := "/v1/completions", `{"model":"rand-512","prompt":"once","max_tokens":10,"stream":true,"stream_options":{"include_usage":true}}`
			if chat {
				path, body = "/v1/chat/completions", `{"model":"rand-512","messages":[{"role":"user","content":"hi"}],"max_tokens":10,"stream":true,"stream_options":{"include_usage":true}}`
			}
			resp, raw := e.do(t, "POST", path, body, e.key)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
				t.Fatalf("%d %s", resp.StatusCode, raw)
			}
			checkSSE(t, raw, chat)
		}
	})

	t.Run("stop", func(t *testing.T) {
		_, full := e.do(t, "POST", "/v1/completions", `{"model":"rand-512","prompt":"abc","max_tokens":30,"temperature":0}`, e.key)
		var out struct {
			Choices []struct {
				Text   string `json:"text"`
				Finish string `json:"finish_reason"`
			}
		}
		_ = json.Unmarshal(full, &out)
		text := out.Choices[0].Text
		if len(text) < 4 {
			t.Skipf("greedy text %q too short for a stop string", text)
		}
		stop := text[len(text)/2 : len(text)/2+2]
		want := text[:strings.Index(text, stop)]
		b, _ := json.Marshal(map[string]any{"model": modelName, "prompt": "abc", "max_tokens": 30, "temperature": 0, "stop": stop})
		_, cut := e.do(t, "POST", "/v1/completions", string(b), e.key)
		_ = json.Unmarshal(cut, &out)
		if out.Choices[0].Text != want || out.Choices[0].Finish != "stop" {
			t.Fatalf("stop %q on %q: got %q (%s), want %q", stop, text, out.Choices[0].Text, out.Choices[0].Finish, want)
		}
	})

	t.Run("errors", func(t *testing.T) {
		cases := []struct {
			name, path, body, key string
			status                int
			param                 string
		}{
			{"unknown model", "/v1/chat/completions", `{"model":"nope","messages":[{"role":"user","content":"x"}]}`, e.key, 404, "model"},
			{"malformed json", "/v1/chat/completions", `{"model":`, e.key, 400, ""},
			{"n=2", "/v1/chat/completions", `{"model":"rand-512","n":2,"messages":[{"role":"user","content":"x"}]}`, e.key, 400, "n"},
			{"bad temperature", "/v1/completions", `{"model":"rand-512","prompt":"x","temperature":9}`, e.key, 400, "temperature"},
			{"wrong type", "/v1/completions", `{"model":"rand-512","prompt":"x","max_tokens":"many"}`, e.key, 400, "max_tokens"},
			{"no messages", "/v1/chat/completions", `{"model":"rand-512"}`, e.key, 400, "messages"},
			{"missing key", "/v1/chat/completions", `{}`, "", 401, ""},
			{"bad key", "/v1/models", ``, "gl-nothing", 401, ""},
			{"no route", "/v1/embeddings", `{}`, e.key, 404, ""},
		}
		for _, c := range cases {
			resp, body := e.do(t, "POST", c.path, c.body, c.key)
			if c.path == "/v1/models" {
				resp, body = e.do(t, "GET", c.path, "", c.key)
			}
			var ae apiErr
			if err := json.Unmarshal(body, &ae); err != nil || resp.StatusCode != c.status || ae.Error.Message == "" ||
				ae.Error.Type == "" || resp.Header.Get("x-request-id") == "" {
				t.Fatalf("%s: %d %s", c.name, resp.StatusCode, body)
			}
			if c.param != "" && (ae.Error.Param == nil || *ae.Error.Param != c.param) {
				t.Fatalf("%s: param %v, want %s", c.name, ae.Error.Param, c.param)
			}
		}
	})

	t.Run("usage and revoke", func(t *testing.T) {
		resp, body := e.do(t, "GET", "/v1/usage", "", e.key)
		var u map[string]any
		if err := json.Unmarshal(body, &u); err != nil || resp.StatusCode != 200 || u["completion_tokens"].(float64) < 1 ||
			u["prompt_tokens"].(float64) < 1 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		// Another process (the CLI) creates bob and revokes alice in the
		// same file; the running gateway picks both up.
		cli, err := gateway.OpenKeys(e.keysPath)
		if err != nil {
			t.Fatal(err)
		}
		bob, err := cli.Create("bob", 5)
		if err != nil {
			t.Fatal(err)
		}
		if err := cli.Revoke("alice"); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			ra, _ := e.do(t, "GET", "/v1/models", "", e.key)
			rb, _ := e.do(t, "GET", "/v1/models", "", bob)
			if ra.StatusCode == 401 && rb.StatusCode == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("revoked alice: %d, new bob: %d", ra.StatusCode, rb.StatusCode)
			}
			time.Sleep(100 * time.Millisecond)
		}
		// bob's limit is 5 requests a minute: the bucket runs dry.
		var last *http.Response
		for i := 0; i < 6; i++ {
			last, body = e.do(t, "GET", "/v1/models", "", bob)
			if last.StatusCode == 429 {
				break
			}
		}
		var ae apiErr
		if err := json.Unmarshal(body, &ae); err != nil || last.StatusCode != 429 || last.Header.Get("retry-after") == "" ||
			last.Header.Get("x-ratelimit-limit-requests") != "5" || last.Header.Get("x-ratelimit-remaining-requests") != "0" ||
			last.Header.Get("x-ratelimit-reset-requests") == "" || ae.Error.Code == nil || *ae.Error.Code != "rate_limit_exceeded" {
			t.Fatalf("rate limit: %d %v %s", last.StatusCode, last.Header, body)
		}
	})
}

// checkSSE checks the event stream byte for byte against STACK.md's rules.
func checkSSE(t *testing.T, raw []byte, chat bool) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("data: [DONE]\n\n")) {
		t.Fatalf("stream does not end with [DONE]: %q", raw)
	}
	events := strings.Split(strings.TrimSuffix(string(raw), "\n\n"), "\n\n")
	if events[len(events)-1] != "data: [DONE]" {
		t.Fatalf("last event %q", events[len(events)-1])
	}
	events = events[:len(events)-1]
	var chunks []map[string]any
	for _, ev := range events {
		js, ok := strings.CutPrefix(ev, "data: ")
		if !ok || strings.Contains(js, "\n") {
			t.Fatalf("event %q is not one data line", ev)
		}
		var c map[string]any
		if err := json.Unmarshal([]byte(js), &c); err != nil {
			t.Fatalf("event %q: %v", ev, err)
		}
		if _, ok := c["choices"].([]any); !ok {
			t.Fatalf("event without choices: %q", ev)
		}
		chunks = append(chunks, c)
	}
	usage := chunks[len(chunks)-1]
	if len(usage["choices"].([]any)) != 0 || usage["usage"] == nil {
		t.Fatalf("usage chunk %v", usage)
	}
	content := chunks[:len(chunks)-1]
	for i, c := range content {
		ch := c["choices"].([]any)
		if len(ch) != 1 || ch[0].(map[string]any)["index"] != float64(0) {
			t.Fatalf("chunk %d choices %v", i, ch)
		}
		fin := ch[0].(map[string]any)["finish_reason"]
		if (i == len(content)-1) != (fin != nil) {
			t.Fatalf("chunk %d of %d has finish_reason %v", i, len(content), fin)
		}
	}
	if chat {
		d := content[0]["choices"].([]any)[0].(map[string]any)["delta"].(map[string]any)
		if d["role"] != "assistant" {
			t.Fatalf("first chunk delta %v", d)
		}
	}
	if content[len(content)-1]["ganglion"] == nil {
		t.Fatal("last chunk lacks the ganglion field")
	}
}

// metric reads one sample of a registry (0 when absent).
func metric(t testing.TB, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
					continue next
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// TestBusyMinerRetriesAnother: a miner that rejects (rate limit: one query
// per ~17 minutes) is skipped and another miner answers every request.
func TestBusyMinerRetriesAnother(t *testing.T) {
	e := setupShape(t, 2, func(i int) miner.Config {
		if i == 1 {
			return miner.Config{RatePerSecond: 0.001, Burst: 1}
		}
		return miner.Config{}
	}, false, models.DefaultShape(), nil)
	// The router picks at random: keep asking (every answer must succeed)
	// until the limited miner was picked a second time and refused.
	for i := 0; i < 60; i++ {
		resp, body := e.do(t, "POST", "/v1/completions", `{"model":"rand-512","prompt":"x","max_tokens":4}`, "")
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
		if metric(t, e.greg, "ganglion_gateway_retries_total", map[string]string{"reason": "busy"}) >= 1 && i >= 3 {
			break
		}
		time.Sleep(150 * time.Millisecond) // let the busy mark lapse so the limited miner is picked again
	}
	if got := metric(t, e.mreg[0], "ganglion_miner_rejections_total", map[string]string{"reason": "rate_limited"}); got < 1 {
		t.Fatalf("the limited miner rejected %v queries; the test did not exercise a retry", got)
	}
	if got := metric(t, e.greg, "ganglion_gateway_retries_total", map[string]string{"reason": "busy"}); got < 1 {
		t.Fatalf("retries %v", got)
	}
	// /metrics serves the gateway's metrics.
	_, body := e.do(t, "GET", "/metrics", "", "")
	if !strings.Contains(string(body), "ganglion_gateway_requests_total") {
		t.Fatalf("metrics: %.300s", body)
	}
}

// TestNoMiner503: a model nobody serves gives 503 with retry-after.
func TestNoMiner503(t *testing.T) {
	nw := testnet.New(t, 1, testnet.Options{})
	id := sha256.Sum256([]byte("unserved"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(gateway.Config{}, nw.P2P(0), []gateway.Model{{Name: "lonely", ID: id[:], Tokenizer: testTokenizer(t), EOS: 2}},
		gateway.WithListener(ln))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	defer func() { cancel(); <-done }()
	<-g.Ready()
	e := &env{base: "http://" + g.Addr()}
	resp, body := e.do(t, "POST", "/v1/chat/completions", `{"model":"lonely","messages":[{"role":"user","content":"x"}]}`, "")
	var ae apiErr
	if err := json.Unmarshal(body, &ae); err != nil || resp.StatusCode != 503 || resp.Header.Get("retry-after") == "" ||
		ae.Error.Code == nil || *ae.Error.Code != "no_miner_available" {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
	}
	_, body = e.do(t, "GET", "/v1/models", "", "")
	if string(bytes.TrimSpace(body)) != `{"data":[],"object":"list"}` {
		t.Fatalf("models %s", body)
	}
}

// TestDisconnectCancelsMiner: a streaming client that goes away after the
// first token stops the miner's generation (no receipt is ever completed).
func TestDisconnectCancelsMiner(t *testing.T) {
	shape := models.Shape{Dim: 256, Hidden: 688, Layers: 4, Heads: 4, KVHeads: 4, Vocab: 512, SeqLen: 2048}
	e := setupShape(t, 1, func(int) miner.Config { return miner.Config{} }, false, shape, nil)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", e.base+"/v1/completions",
		strings.NewReader(`{"model":"rand-512","prompt":"x","stream":true,"temperature":0}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if _, err := io.ReadAtLeast(resp.Body, buf, 16); err != nil || !bytes.HasPrefix(buf, []byte("data: ")) {
		t.Fatalf("first bytes %q, %v", buf, err)
	}
	cancel()
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for e.miners[0].Status().Active != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the miner kept generating after the client left")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := metric(t, e.mreg[0], "ganglion_miner_completed_total", nil); got != 0 {
		t.Fatalf("the miner completed %v answers; the abandoned one should not complete", got)
	}
}

// badMiner announces the test model and answers every query addressed to
// it with three streamed tokens and a signed receipt claiming others.
func badMiner(queries *atomic.Int64) func(testing.TB, *p2p.Node) {
	return func(t testing.TB, n *p2p.Node) {
		id := sha256.Sum256([]byte("gateway test model"))
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		sub, err := n.Subscribe(protocol.TopicQuery)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			tick := time.NewTicker(300 * time.Millisecond)
			defer tick.Stop()
			for {
				_, _ = n.Publish(ctx, &protocol.Announce{Miner: n.Address().Bytes(),
					Models: []*protocol.ModelInfo{{ModelId: id[:], Name: modelName, ContextLength: 256, MaxConcurrency: 8}}})
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		}()
		go func() {
			for {
				msg, err := sub.Next(ctx)
				if err != nil {
					return
				}
				q, ok := msg.Message.(*protocol.Query)
				if !ok || len(q.Targets) != 1 || !bytes.Equal(q.Targets[0].Miner, n.Address().Bytes()) {
					continue
				}
				queries.Add(1)
				w, err := n.OpenInferStream(ctx, msg.From, q.QueryId)
				if err != nil {
					continue
				}
				_ = w.Chunk([]uint32{5, 6, 7}, "")
				z := make([]byte, 32)
				_ = w.Receipt(&protocol.Receipt{QueryId: q.QueryId, ModelId: q.ModelId, Miner: n.Address().Bytes(),
					PromptTokens: q.PromptTokens, OutputTokens: []uint32{5, 6, 8}, LogitDigests: [][]byte{z, z, z},
					RollingDigest: z, Timings: &protocol.Timings{}, FinishReason: protocol.FinishReason_FINISH_REASON_LENGTH})
			}
		}()
	}
}

type fixedScores map[[20]byte]float64

func (s fixedScores) Score(a [20]byte) (float64, bool) { v, ok := s[a]; return v, ok }

// TestInvalidReceiptRetriesAnother: the best-scored miner sends a receipt
// that does not match its stream; the gateway answers from the other
// miner (streaming too: no token had reached the client), and the cheat is
// banned (asked once in all).
func TestInvalidReceiptRetriesAnother(t *testing.T) {
	var asked atomic.Int64
	scores := fixedScores{}
	e := setupShape(t, 1, func(int) miner.Config { return miner.Config{} }, false, models.DefaultShape(),
		[]func(testing.TB, *p2p.Node){badMiner(&asked)}, gateway.WithScores(scores))
	real, cheat := e.nw.Node(1).Address, e.nw.Node(2).Address
	scores[[20]byte(cheat)] = 1000
	scores[[20]byte(real)] = 0.1
	// First a streaming request: nothing reached the client before the
	// receipt failed, so another miner answers it whole.
	resp, raw := e.do(t, "POST", "/v1/chat/completions",
		`{"model":"rand-512","messages":[{"role":"user","content":"x"}],"max_tokens":4,"stream":true,"stream_options":{"include_usage":true}}`, "")
	if resp.StatusCode != 200 || !strings.EqualFold(resp.Header.Get("x-ganglion-miner"), real.Hex()) {
		t.Fatalf("stream: %d from %s: %s", resp.StatusCode, resp.Header.Get("x-ganglion-miner"), raw)
	}
	checkSSE(t, raw, true)
	for i := 0; i < 3; i++ {
		resp, body := e.do(t, "POST", "/v1/chat/completions",
			`{"model":"rand-512","messages":[{"role":"user","content":"x"}],"max_tokens":4}`, "")
		if resp.StatusCode != 200 || !strings.EqualFold(resp.Header.Get("x-ganglion-miner"), real.Hex()) {
			t.Fatalf("request %d: %d from %s: %s", i, resp.StatusCode, resp.Header.Get("x-ganglion-miner"), body)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Fatalf("the cheating miner was asked %d times, want 1 (then banned)", n)
	}
	if got := metric(t, e.greg, "ganglion_gateway_retries_total", map[string]string{"reason": "bad_answer"}); got != 1 {
		t.Fatalf("bad_answer retries %v", got)
	}
}
