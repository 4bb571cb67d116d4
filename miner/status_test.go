package miner_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestHandler: /healthz, /status and /metrics report a serving miner, and
// /healthz turns 503 once it shuts down.
func TestHandler(t *testing.T) {
	md := testModel()
	r := newRig(t, 1, miner.Config{}, []miner.Model{md})
	rm := r.miners[0]
	srv := httptest.NewServer(rm.m.Handler(rm.reg))
	defer srv.Close()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	as := r.ask(ctx, r.newQuery(md, []uint32{1, 2}, &protocol.SamplingParams{MaxTokens: 5}, 1), 1)
	if len(as) != 1 || as[0].final.Receipt == nil {
		t.Fatalf("answers %+v", as)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("healthz %d %q", code, body)
	}
	code, body := get("/status")
	var st miner.Status
	if code != 200 || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("status %d %q", code, body)
	}
	if st.Address != rm.m.Address().Hex() || st.TokensTotal != 5 || len(st.Models) != 1 || st.Models[0].Name != "random" ||
		st.Peers < 1 || st.Stopping || st.UptimeSeconds <= 0 {
		t.Fatalf("status %+v", st)
	}
	code, body = get("/metrics")
	for _, want := range []string{"ganglion_miner_tokens_total 5", "ganglion_miner_queries_total 1",
		`ganglion_miner_completed_total{finish="length"} 1`, "ganglion_miner_queue_depth 0", "ganglion_miner_active_sequences 0"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q:\n%s", want, body)
		}
	}
	if err := r.stop(0); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("/healthz"); code != http.StatusServiceUnavailable {
		t.Fatalf("healthz after shutdown: %d", code)
	}
}
