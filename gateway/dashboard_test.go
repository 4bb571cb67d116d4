package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
)

// dashSource is a test double of the chain and validator data: a fixed
// metagraph naming the testnet's real nodes, three epochs and score series.
// mode switches what it answers.
type dashSource struct {
	mu      sync.Mutex
	mode    string // "", "nodata", "error", "hostile"
	neurons []gateway.DashNeuron
	epochs  []gateway.DashEpoch
	scores  gateway.DashScores
}

const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`

func f64(v float64) *float64 { return &v }

func newDashSource(nw *testnet.Network, miners int) *dashSource {
	s := &dashSource{scores: gateway.DashScores{Metric: "incentive"}}
	nodes := nw.Nodes()
	seen := time.Now().Add(-42 * time.Second).UTC()
	s.neurons = append(s.neurons, gateway.DashNeuron{UID: 0, Role: "validator", Address: nodes[0].Address.Hex(), Permit: true,
		Stake: "50", Emission: "0.312500", Dividends: f64(0.625), ValidatorTrust: f64(0.98), Incentive: f64(0)})
	for i := 1; i <= miners; i++ {
		s.neurons = append(s.neurons, gateway.DashNeuron{UID: uint16(i), Role: "miner", Address: nodes[i].Address.Hex(),
			Stake: "0", Emission: fmt.Sprintf("0.%d99990", i), Incentive: f64(0.5 - 0.1*float64(i-1)), Dividends: f64(0),
			Score: f64(0.97 - 0.05*float64(i-1)), LastSeen: &seen})
		var pts []gateway.DashPoint
		for e := uint64(1); e <= 6; e++ {
			pts = append(pts, gateway.DashPoint{Epoch: e, Value: 0.3 + 0.03*float64(e) - 0.05*float64(i)})
		}
		s.scores.Series = append(s.scores.Series, gateway.DashSeries{UID: uint16(i), Address: nodes[i].Address.Hex(), Points: pts})
	}
	s.neurons = append(s.neurons, gateway.DashNeuron{UID: uint16(miners + 1), Role: "validator",
		Address: "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", Permit: true, Stake: "30", Emission: "0.187500",
		Dividends: f64(0.375), ValidatorTrust: f64(0.95), Incentive: f64(0)})
	s.epochs = []gateway.DashEpoch{
		{Epoch: 7, Status: "in progress"},
		{Epoch: 6, Status: "settled", Root: "0x" + strings.Repeat("ab", 32), Total: "1"},
		{Epoch: 5, Status: "finalized", Root: "0x" + strings.Repeat("cd", 32), Total: "1", Quorum: "80.0%",
			TxHash: "0x" + strings.Repeat("5e", 32), Block: 1834},
		{Epoch: 4, Status: "finalized", Root: "0x" + strings.Repeat("ef", 32), Total: "1", Quorum: "100.0%",
			TxHash: "0x" + strings.Repeat("4d", 32), Block: 1478},
	}
	return s
}

func (s *dashSource) setMode(m string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

func (s *dashSource) check() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.mode {
	case "nodata":
		return s.mode, gateway.ErrNoData
	case "error":
		return s.mode, errors.New("rpc down")
	}
	return s.mode, nil
}

func (s *dashSource) Metagraph(context.Context) (*gateway.DashMetagraph, error) {
	mode, err := s.check()
	if err != nil {
		return nil, err
	}
	mg := &gateway.DashMetagraph{Netuid: 1, Block: 2600, EpochLength: 360, Epoch: 7, Source: "test double",
		Neurons: append([]gateway.DashNeuron(nil), s.neurons...)}
	if mode == "hostile" {
		mg.Source = hostile
		mg.Neurons = append(mg.Neurons, gateway.DashNeuron{UID: 99, Role: hostile, Address: hostile, Stake: hostile})
	}
	return mg, nil
}

func (s *dashSource) Epochs(context.Context) ([]gateway.DashEpoch, error) {
	if _, err := s.check(); err != nil {
		return nil, err
	}
	return append([]gateway.DashEpoch(nil), s.epochs...), nil
}

func (s *dashSource) ScoreHistory(context.Context) (*gateway.DashScores, error) {
	if _, err := s.check(); err != nil {
		return nil, err
	}
	sc := s.scores
	return &sc, nil
}

func dashEnv(t *testing.T, miners int) (*env, *dashSource) {
	t.Helper()
	var src *dashSource
	e := setupShape(t, miners, func(int) miner.Config { return miner.Config{} }, true, models.DefaultShape(), nil,
		gateway.WithDashboard(dashProxy{&src}))
	src = newDashSource(e.nw, miners)
	return e, src
}

// dashProxy lets the source be built after the testnet it describes.
type dashProxy struct{ s **dashSource }

func (p dashProxy) Metagraph(ctx context.Context) (*gateway.DashMetagraph, error) {
	return (*p.s).Metagraph(ctx)
}
func (p dashProxy) Epochs(ctx context.Context) ([]gateway.DashEpoch, error) {
	return (*p.s).Epochs(ctx)
}
func (p dashProxy) ScoreHistory(ctx context.Context) (*gateway.DashScores, error) {
	return (*p.s).ScoreHistory(ctx)
}

type dashResp[T any] struct {
	Available bool   `json:"available"`
	Reason    string `json:"reason"`
	Data      T      `json:"data"`
}

func getDash[T any](t *testing.T, e *env, path string) (int, dashResp[T]) {
	t.Helper()
	resp, body := e.do(t, "GET", path, "", "")
	var out dashResp[T]
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("%s: %v: %s", path, err, body)
		}
	}
	return resp.StatusCode, out
}

// external matches a reference to another origin: a scheme or a
// protocol-relative URL.
var external = regexp.MustCompile(`(?i)\b(https?|wss?|ftp):|["'(=]\s*//[a-z0-9]|@import|url\(\s*["']?[a-z]+:`)

// TestDashboardAssets: the page and its assets have the right types and a
// content security policy, and name no other origin; unknown paths keep the
// API's JSON 404.
func TestDashboardAssets(t *testing.T) {
	e, _ := dashEnv(t, 1)
	assets := []struct{ path, ctype, contains string }{
		{"/", "text/html; charset=utf-8", `<script src="/dashboard/app.js">`},
		{"/dashboard/app.js", "text/javascript; charset=utf-8", "/v1/chat/completions"},
		{"/dashboard/app.css", "text/css; charset=utf-8", "#chart"},
	}
	for _, a := range assets {
		resp, body := e.do(t, "GET", a.path, "", "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != a.ctype {
			t.Fatalf("%s: %d %q", a.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: headers %v", a.path, resp.Header)
		}
		if !strings.Contains(string(body), a.contains) {
			t.Fatalf("%s lacks %q", a.path, a.contains)
		}
		if m := external.FindString(string(body)); m != "" {
			t.Fatalf("%s references another origin: %q", a.path, m)
		}
		if a.path == "/" {
			// Every src and href is the gateway's own path or inline data.
			for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(string(body), -1) {
				if !strings.HasPrefix(m[1], "/dashboard/") && m[1] != "data:," {
					t.Fatalf("index.html references %q", m[1])
				}
			}
			if regexp.MustCompile(`<script>|<style>|\son[a-z]+=`).MatchString(string(body)) {
				t.Fatal("index.html has inline script")
			}
		}
	}
	// The script never parses network text as HTML.
	_, js := e.do(t, "GET", "/dashboard/app.js", "", "")
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(string(js), bad) {
			t.Fatalf("app.js uses %s", bad)
		}
	}
	notFound := []struct{ method, path string }{
		{"GET", "/dashboard/nope.js"}, {"GET", "/dashboard/index.html"}, {"GET", "/dashboard/api/nope"},
		{"GET", "/index.html"}, {"POST", "/"}, {"GET", "/v1/nope"}, {"GET", "/dashboard/../go.mod"},
	}
	for _, c := range notFound {
		resp, body := e.do(t, c.method, c.path, "", "")
		var ae apiErr
		if resp.StatusCode != 404 || json.Unmarshal(body, &ae) != nil || ae.Error.Code == nil || *ae.Error.Code != "not_found" {
			t.Fatalf("%s %s: %d %s", c.method, c.path, resp.StatusCode, body)
		}
	}
	// The OpenAI routes are untouched and still need the key.
	if resp, _ := e.do(t, "GET", "/v1/models", "", ""); resp.StatusCode != 401 {
		t.Fatalf("/v1/models without key: %d", resp.StatusCode)
	}
	if resp, _ := e.do(t, "GET", "/v1/models", "", e.key); resp.StatusCode != 200 {
		t.Fatalf("/v1/models: %d", resp.StatusCode)
	}
}

// TestDashboardAPI: the JSON endpoints relay the source, merge the
// gateway's view of the miners, degrade when the source has no data or
// fails, and the feed records served queries with their verification.
func TestDashboardAPI(t *testing.T) {
	e, src := dashEnv(t, 2)
	nodes := e.nw.Nodes()

	code, mg := getDash[gateway.DashMetagraph](t, e, "/dashboard/api/metagraph")
	if code != 200 || !mg.Available || len(mg.Data.Neurons) != 4 || mg.Data.Netuid != 1 || mg.Data.Epoch != 7 {
		t.Fatalf("metagraph %d %+v", code, mg)
	}
	for _, n := range mg.Data.Neurons {
		miner := n.UID == 1 || n.UID == 2
		if n.Serving != miner {
			t.Fatalf("uid %d serving %v", n.UID, n.Serving)
		}
		// The gateway heard the miners' announcements more recently than
		// the source's 42 s.
		if miner && (n.LastSeen == nil || time.Since(*n.LastSeen) > 30*time.Second) {
			t.Fatalf("uid %d last seen %v", n.UID, n.LastSeen)
		}
		if !miner && n.LastSeen != nil {
			t.Fatalf("uid %d was never seen, got %v", n.UID, n.LastSeen)
		}
	}
	if !strings.EqualFold(mg.Data.Neurons[1].Address, nodes[1].Address.Hex()) || *mg.Data.Neurons[1].Incentive != 0.5 {
		t.Fatalf("uid 1: %+v", mg.Data.Neurons[1])
	}

	code, ep := getDash[[]gateway.DashEpoch](t, e, "/dashboard/api/epochs")
	if code != 200 || !ep.Available || len(ep.Data) != 4 || ep.Data[2].TxHash != src.epochs[2].TxHash {
		t.Fatalf("epochs %d %+v", code, ep)
	}
	code, sc := getDash[gateway.DashScores](t, e, "/dashboard/api/scores")
	if code != 200 || !sc.Available || len(sc.Data.Series) != 2 || len(sc.Data.Series[1].Points) != 6 || sc.Data.Metric != "incentive" {
		t.Fatalf("scores %d %+v", code, sc)
	}
	code, info := getDash[struct {
		Auth   bool
		Served []struct{ Name string }
	}](t, e, "/dashboard/api/info")
	if code != 200 || !info.Data.Auth || len(info.Data.Served) != 1 || info.Data.Served[0].Name != modelName {
		t.Fatalf("info %d %+v", code, info)
	}

	t.Run("feed", func(t *testing.T) {
		const ask = `{"model":"rand-512","messages":[{"role":"user","content":"hi"}],"max_tokens":8,"temperature":0`
		resp, body := e.do(t, "POST", "/v1/chat/completions", ask+`}`, e.key)
		var answer struct {
			Choices []struct{ Message struct{ Content string } }
		}
		if resp.StatusCode != 200 || json.Unmarshal(body, &answer) != nil || len(answer.Choices) != 1 || answer.Choices[0].Message.Content == "" {
			t.Fatalf("chat %d %s", resp.StatusCode, body)
		}
		receipt, uid := resp.Header.Get("x-ganglion-receipt"), resp.Header.Get("x-ganglion-miner-uid")
		// The same greedy answer, stopped at its first letter: the gateway
		// closes the stream before the receipt.
		i := strings.IndexFunc(answer.Choices[0].Message.Content, func(r rune) bool { return r >= 'a' && r <= 'z' })
		if i < 0 {
			t.Fatalf("answer %q has no letter to stop at", answer.Choices[0].Message.Content)
		}
		stop, _ := json.Marshal(answer.Choices[0].Message.Content[i : i+1])
		resp, _ = e.do(t, "POST", "/v1/chat/completions", ask+`,"stream":true,"stop":`+string(stop)+`}`, e.key)
		if resp.StatusCode != 200 {
			t.Fatalf("stopped chat %d", resp.StatusCode)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, f := getDash[[]gateway.FeedEntry](t, e, "/dashboard/api/feed")
			if len(f.Data) != 2 {
				t.Fatalf("feed %+v", f.Data)
			}
			chat, cut := f.Data[1], f.Data[0] // newest first
			if chat.Receipt != receipt || chat.UID == nil || fmt.Sprint(*chat.UID) != uid || chat.Status != "ok" ||
				chat.Tokens < 1 || chat.Endpoint != "chat_completions" || chat.Model != modelName || chat.LatencyMS <= 0 ||
				chat.DurationMS < chat.LatencyMS || chat.Seq >= cut.Seq {
				t.Fatalf("chat entry %+v (receipt %s uid %s)", chat, receipt, uid)
			}
			if cut.Status != "ok" || cut.Receipt != "" || cut.Reexec != "" || cut.Query == chat.Query {
				t.Fatalf("stopped entry %+v (answer %q)", cut, answer.Choices[0].Message.Content)
			}
			if chat.Reexec == "ok" {
				break
			}
			if chat.Reexec == "mismatch" || chat.Reexec == "error" || time.Now().After(deadline) {
				t.Fatalf("re-execution: %+v / %+v", chat, cut)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("degraded", func(t *testing.T) {
		src.setMode("nodata")
		defer src.setMode("")
		for _, p := range []string{"/dashboard/api/epochs", "/dashboard/api/scores"} {
			code, r := getDash[json.RawMessage](t, e, p)
			if code != 200 || r.Available || r.Reason == "" {
				t.Fatalf("%s: %d %+v", p, code, r)
			}
		}
		// The metagraph falls back to the miners the gateway heard.
		code, mg := getDash[gateway.DashMetagraph](t, e, "/dashboard/api/metagraph")
		if code != 200 || !mg.Available || len(mg.Data.Neurons) != 2 || !mg.Data.Neurons[0].Serving || mg.Data.Neurons[0].Role != "miner" {
			t.Fatalf("metagraph without source data: %d %+v", code, mg)
		}
		src.setMode("error")
		for _, p := range []string{"/dashboard/api/metagraph", "/dashboard/api/epochs", "/dashboard/api/scores"} {
			resp, body := e.do(t, "GET", p, "", "")
			var ae apiErr
			if resp.StatusCode != 502 || json.Unmarshal(body, &ae) != nil || !strings.Contains(ae.Error.Message, "rpc down") {
				t.Fatalf("%s: %d %s", p, resp.StatusCode, body)
			}
		}
	})
}

// TestDashboardOff: without WithDashboard, / keeps the API's JSON 404;
// with a nil source the page and the gateway's own panels still work.
func TestDashboardOff(t *testing.T) {
	nw := testnet.New(t, 1, testnet.Options{})
	tok := testTokenizer(t)
	ms := []gateway.Model{{Name: modelName, ID: make([]byte, 32), Tokenizer: tok, EOS: 2}}
	for _, c := range []struct {
		name string
		opts []gateway.Option
		root int
	}{
		{"off", nil, 404},
		{"nil source", []gateway.Option{gateway.WithDashboard(nil)}, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := gateway.New(gateway.Config{}, nw.P2P(0), ms, c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(g.Handler())
			defer srv.Close()
			get := func(p string) (int, string) {
				resp, err := http.Get(srv.URL + p)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if code, body := get("/"); code != c.root {
				t.Fatalf("/: %d %s", code, body)
			}
			if c.root == 404 {
				if code, _ := get("/dashboard/api/feed"); code != 404 {
					t.Fatalf("feed without dashboard: %d", code)
				}
				return
			}
			for _, p := range []string{"/dashboard/api/epochs", "/dashboard/api/scores"} {
				code, body := get(p)
				if code != 200 || !strings.Contains(body, `"available":false`) || !strings.Contains(body, "without a chain") {
					t.Fatalf("%s: %d %s", p, code, body)
				}
			}
			code, body := get("/dashboard/api/metagraph")
			if code != 200 || !strings.Contains(body, `"available":true`) || !strings.Contains(body, `"neurons":[]`) {
				t.Fatalf("metagraph: %d %s", code, body)
			}
			if code, body := get("/dashboard/api/feed"); code != 200 || !strings.Contains(body, `"data":[]`) {
				t.Fatalf("feed: %d %s", code, body)
			}
		})
	}
}
