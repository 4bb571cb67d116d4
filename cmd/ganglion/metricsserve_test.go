package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// scrape reads http://addr/metrics into its families.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return fams
}

// wantFamilies checks that /metrics at addr serves every family in want (and
// the Go runtime's), and that /healthz answers ok.
func wantFamilies(t *testing.T, role, addr string, want []string) map[string]*dto.MetricFamily {
	t.Helper()
	fams := scrape(t, addr)
	for _, name := range append(want, "go_goroutines", "process_start_time_seconds") {
		if _, ok := fams[name]; !ok {
			t.Errorf("%s /metrics lacks %s", role, name)
		}
	}
	waitHealthy(t, role, addr)
	return fams
}

func waitHealthy(t *testing.T, role, addr string) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			last = err.Error()
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && strings.TrimSpace(string(b)) == "ok" {
			return
		}
		last = resp.Status + " " + string(b)
	}
	t.Fatalf("%s /healthz never ok: %s", role, last)
}

// p2pFamilies are served by every role with a libp2p node.
var p2pFamilies = []string{"ganglion_p2p_peers", "ganglion_p2p_messages_duplicate_total", "ganglion_p2p_rpcs_dropped_total",
	"ganglion_p2p_messages_dropped_total", "ganglion_p2p_messages_undeliverable_total", "ganglion_p2p_peers_throttled_total"}

var metricsURL = regexp.MustCompile(`metrics: http://([0-9.:]+)/metrics`)

func TestMinerServesMetrics(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "m")
	out, errb, done, stop := startCLI(t, []string{"GANGLION_HOME=" + home}, "miner", "--key", "m", "--password-file", pw,
		"--model", "random", "--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "127.0.0.1:0", "--log-level", "error", "--grace", "1s")
	addr := waitFor(t, out, errb, done, metricsURL)[1]
	wantFamilies(t, "miner", addr, append([]string{"ganglion_miner_queue_depth", "ganglion_miner_active_sequences",
		"ganglion_miner_queries_total", "ganglion_miner_tokens_total", "ganglion_miner_batch_rows",
		"ganglion_miner_query_duration_seconds"}, p2pFamilies...))
	stop()
	if err := <-done; err != nil {
		t.Fatalf("miner: %v\n%s", err, errb.String())
	}
	if _, err := http.Get("http://" + addr + "/metrics"); err == nil {
		t.Fatal("the metrics server outlived the miner")
	}
}

func TestGatewayServesMetrics(t *testing.T) {
	tok := fixture(t, "tok512.bin")
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "g")
	out, errb, done, stop := startCLI(t, []string{"GANGLION_HOME=" + home}, "gateway", "--key", "g", "--password-file", pw,
		"--model", "random", "--tokenizer", tok, "--no-auth", "--listen", "127.0.0.1:0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0",
		"--metrics", "127.0.0.1:0", "--log-level", "error")
	addr := waitFor(t, out, errb, done, metricsURL)[1]
	wantFamilies(t, "gateway", addr, append([]string{"ganglion_gateway_in_flight", "ganglion_gateway_miners",
		"ganglion_gateway_queries_published_total"}, p2pFamilies...))
	stop()
	if err := <-done; err != nil {
		t.Fatalf("gateway: %v\n%s", err, errb.String())
	}
}

// startDevChain runs chain dev on 0.0.0.0 with --metrics until the test
// ends and returns its addresses and metrics address.
func startDevChain(t *testing.T, home string, fund string) (devchain.Info, string) {
	t.Helper()
	devOut, devErr, devDone, stopDev := startCLI(t, []string{"GANGLION_HOME=" + home}, "chain", "dev", "--host", "0.0.0.0", "--port", "0",
		"--block-time", "20ms", "--fund", fund, "--metrics", "127.0.0.1:0", "--log-level", "error")
	t.Cleanup(func() {
		stopDev()
		if err := <-devDone; err != nil {
			t.Errorf("chain dev: %v", err)
		}
	})
	addr := waitFor(t, devOut, devErr, devDone, metricsURL)[1]
	waitFor(t, devOut, devErr, devDone, regexp.MustCompile(`addresses:`))
	var info devchain.Info
	b, err := os.ReadFile(filepath.Join(home, "devchain", "addresses.json"))
	if err != nil || json.Unmarshal(b, &info) != nil {
		t.Fatalf("addresses: %v", err)
	}
	return info, addr
}

// TestChainDevServesMetrics: chain dev --host 0.0.0.0 answers JSON-RPC
// whatever the Host header (a container's service name), is healthy once
// deployed and serves ganglion_devchain_head_block.
func TestChainDevServesMetrics(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "val")
	info, devMetrics := startDevChain(t, home, "val")
	fams := wantFamilies(t, "chain dev", devMetrics, []string{"ganglion_devchain_head_block"})
	if g := fams["ganglion_devchain_head_block"]; g != nil && g.GetMetric()[0].GetGauge().GetValue() < 1 {
		t.Errorf("head block %v", g.GetMetric()[0].GetGauge().GetValue())
	}
	req, _ := http.NewRequest(http.MethodPost, info.RPC, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Host = "chain" + info.RPC[strings.LastIndex(info.RPC, ":"):]
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), fmt.Sprintf(`"result":"0x%x"`, info.ChainID)) {
		t.Fatalf("JSON-RPC with Host %s: %s %s", req.Host, resp.Status, body)
	}
}

// TestValidatorServesMetrics: a validator with --api serves its own, the
// chain relayer's, the API's (gateway) and the p2p families.
func TestValidatorServesMetrics(t *testing.T) {
	tok := fixture(t, "tok512.bin")
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "val")
	environ := []string{"GANGLION_HOME=" + home}
	info, _ := startDevChain(t, home, "val")
	for _, args := range [][]string{
		{"chain", "register", "--role", "validator", "--key", "val"},
		{"chain", "stake", "--amount", "5", "--key", "val"},
	} {
		if r := run(t, environ, append(args, "--password-file", pw, "--rpc", info.RPC)...); r.err != nil {
			t.Fatalf("%v: %v", args, r.err)
		}
	}
	vOut, vErr, vDone, stopV := startCLI(t, environ, "validator", "--key", "val", "--password-file", pw, "--model", "random",
		"--tokenizer", tok, "--rpc", info.RPC, "--listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "127.0.0.1:0",
		"--api", "127.0.0.1:0", "--api-no-auth", "--block-time", "20ms", "--log-level", "error")
	addr := waitFor(t, vOut, vErr, vDone, metricsURL)[1]
	wantFamilies(t, "validator", addr, append([]string{"ganglion_validator_divergences_total", "ganglion_validator_verify_seconds",
		"ganglion_validator_epoch", "ganglion_validator_epochs_settled_total", "ganglion_chain_tx_sent_total",
		"ganglion_chain_reports_finalized_total", "ganglion_chain_reports_pending",
		"ganglion_gateway_in_flight", "ganglion_gateway_miners", "ganglion_gateway_queries_published_total"}, p2pFamilies...))
	stopV()
	if err := <-vDone; err != nil {
		t.Fatalf("validator: %v\n%s", err, vErr.String())
	}
}

func TestHealthCommand(t *testing.T) {
	healthy := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		if !healthy {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	wildcard := []string{"GANGLION_HOME=" + t.TempDir(), "GANGLION_METRICS_LISTEN=0.0.0.0:" + port}

	if r := run(t, nil, "health", srv.URL+"/healthz"); r.err != nil || !strings.Contains(r.stdout, ": ok") {
		t.Fatalf("healthy URL: %v %q", r.err, r.stdout)
	}
	if r := run(t, wildcard, "health"); r.err != nil || !strings.Contains(r.stdout, "http://127.0.0.1:"+port+"/healthz: ok") {
		t.Fatalf("from metrics.listen: %v %q", r.err, r.stdout)
	}
	healthy = false
	if r := run(t, wildcard, "health"); r.err == nil || !strings.Contains(r.err.Error(), "503") || !strings.Contains(r.err.Error(), "shutting down") {
		t.Fatalf("unhealthy: %v", r.err)
	}
	if r := run(t, []string{"GANGLION_HOME=" + t.TempDir()}, "health", "--metrics", ""); r.err == nil || !strings.Contains(r.err.Error(), "no address") {
		t.Fatalf("no address: %v", r.err)
	}
	srv.Close()
	if r := run(t, nil, "health", "--timeout", "2s", strings.TrimPrefix(srv.URL, "http://")); r.err == nil {
		t.Fatal("a closed server is healthy")
	}
}

func TestHealthURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0.0.0.0:9100", "http://127.0.0.1:9100/healthz"},
		{":9100", "http://127.0.0.1:9100/healthz"},
		{"[::]:9100", "http://127.0.0.1:9100/healthz"},
		{"10.0.0.2:9100", "http://10.0.0.2:9100/healthz"},
		{"[::1]:9100", "http://[::1]:9100/healthz"},
	} {
		got, err := healthURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := healthURL("9100"); err == nil {
		t.Error("a port without host was accepted")
	}
}

// TestScoreCollector: /metrics of a validator serves the score EMA of every
// miner in its store, labelled with uid and address.
func TestScoreCollector(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	miners := map[uint16]common.Address{3: common.HexToAddress("0x00000000000000000000000000000000000000aa"),
		7: common.HexToAddress("0x00000000000000000000000000000000000000Bb")}
	for uid, m := range miners {
		for _, score := range []float64{0.9, float64(uid) / 10} {
			if _, err := st.RecordScore(m, uid, scoring.Terms{Outcome: scoring.OK, Availability: 1, Correctness: 1, FirstDivergence: -1, Score: score}, 0.5, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, err := st.Scores()
	if err != nil || len(want) != 2 {
		t.Fatalf("scores: %v %v", want, err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(scoreCollector{st.Scores})
	srv := httptest.NewServer(metricsHandler(reg, nil))
	defer srv.Close()
	fam := scrape(t, strings.TrimPrefix(srv.URL, "http://"))["ganglion_validator_miner_score"]
	if fam == nil || len(fam.GetMetric()) != 2 {
		t.Fatalf("ganglion_validator_miner_score: %v", fam)
	}
	got := map[string]float64{}
	for _, m := range fam.GetMetric() {
		l := map[string]string{}
		for _, lp := range m.GetLabel() {
			l[lp.GetName()] = lp.GetValue()
		}
		got[l["uid"]+" "+l["miner"]] = m.GetGauge().GetValue()
	}
	for _, ms := range want {
		key := fmt.Sprintf("%d %s", ms.UID, strings.ToLower(miners[ms.UID].Hex()))
		if v, ok := got[key]; !ok || v != ms.EMA.Value {
			t.Errorf("%s: served %v (present %v), store says %v; served %v", key, v, ok, ms.EMA.Value, got)
		}
	}
}
