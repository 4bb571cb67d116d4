package gateway_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
)

const benchStreams = 200

// BenchmarkGatewayOverhead: 200 concurrent streams (16 tokens each) on
// loopback, once through the gateway's HTTP API and once straight to the
// miner over p2p from the gateway's own node (one publishing goroutine, as
// the gateway does). Reported: time to first token and to the end, p50 and
// p99, both ways, and the gateway's added latency (difference of the
// percentiles).
//
//	go test -run '^$' -bench GatewayOverhead -benchtime 3x ./gateway
func BenchmarkGatewayOverhead(b *testing.B) {
	e := setupShape(b, 1, func(int) miner.Config {
		return miner.Config{MaxConcurrency: 64, Slots: 2, QueueSize: 512, RatePerSecond: -1}
	}, false, models.DefaultShape(), nil, gateway.WithVerify(0))
	id := sha256.Sum256([]byte("gateway test model"))
	node := e.nw.P2P(0)
	minerAddr := e.nw.Node(1).Address
	tok := testTokenizer(b)
	prompt := []uint32{1}
	for _, t := range tok.Encode("once upon a time", false, false) {
		prompt = append(prompt, uint32(t))
	}
	pub := make(chan *protocol.Query, benchStreams)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for q := range pub {
			if _, err := node.Publish(ctx, q); err != nil {
				b.Error(err)
			}
		}
	}()
	defer close(pub)
	direct := func() (ttft, total time.Duration, err error) {
		start := time.Now()
		qid := make([]byte, protocol.QueryIDSize)
		_, _ = rand.Read(qid)
		q := &protocol.Query{QueryId: qid, Sender: node.Address().Bytes(), ModelId: id[:], PromptTokens: prompt,
			Sampling:   &protocol.SamplingParams{MaxTokens: 16, TopP: 1, Temperature: 1},
			Targets:    []*protocol.Target{{Miner: minerAddr.Bytes(), Seed: 1}},
			DeadlineMs: start.Add(time.Minute).UnixMilli(), TimestampMs: start.UnixMilli()}
		resp, err := node.Await(qid, 1)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Close()
		pub <- q
		tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
		defer tcancel()
		select {
		case s := <-resp.Streams():
			for {
				f, err := s.Next(tctx)
				if err != nil {
					return 0, 0, err
				}
				if ttft == 0 {
					ttft = time.Since(start)
				}
				if f.Receipt != nil {
					return ttft, time.Since(start), nil
				}
				if f.Reject != nil {
					return 0, 0, fmt.Errorf("reject %v", f.Reject.Reason)
				}
			}
		case <-tctx.Done():
			return 0, 0, tctx.Err()
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchStreams}}
	body := `{"model":"rand-512","prompt":"once upon a time","max_tokens":16,"stream":true}`
	viaGateway := func() (ttft, total time.Duration, err error) {
		start := time.Now()
		resp, err := client.Post(e.base+"/v1/completions", "application/json", strings.NewReader(body))
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			msg, _ := io.ReadAll(resp.Body)
			return 0, 0, fmt.Errorf("status %d: %s", resp.StatusCode, msg)
		}
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data: ") && ttft == 0 {
				ttft = time.Since(start)
			}
			if sc.Text() == "data: [DONE]" {
				return ttft, time.Since(start), nil
			}
		}
		return 0, 0, fmt.Errorf("no [DONE]: %v", sc.Err())
	}
	var lost [2]int
	round := func(k int, f func() (time.Duration, time.Duration, error)) (ttfts, totals []time.Duration) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < benchStreams; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, t, err := f()
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					lost[k]++
					b.Log(err)
					return
				}
				ttfts, totals = append(ttfts, a), append(totals, t)
			}()
		}
		wg.Wait()
		return ttfts, totals
	}
	var dT, dA, gT, gA []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t1, a1 := round(0, direct)
		t2, a2 := round(1, viaGateway)
		dT, dA = append(dT, t1...), append(dA, a1...)
		gT, gA = append(gT, t2...), append(gA, a2...)
	}
	b.StopTimer()
	pct := func(xs []time.Duration, p float64) float64 {
		if len(xs) == 0 {
			return 0
		}
		slices.Sort(xs)
		return float64(xs[min(len(xs)-1, int(p*float64(len(xs))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(lost[0]), "direct-lost")
	b.ReportMetric(float64(lost[1]), "gw-failed")
	b.Logf("miner: %v queries received, %v answers completed, %v stream errors, %v rejections",
		metric(b, e.mreg[0], "ganglion_miner_queries_total", nil), metric(b, e.mreg[0], "ganglion_miner_completed_total", nil),
		metric(b, e.mreg[0], "ganglion_miner_errors_total", map[string]string{"kind": "stream"}),
		metric(b, e.mreg[0], "ganglion_miner_rejections_total", nil))
	b.ReportMetric(pct(dT, .5), "direct-ttft-p50-ms")
	b.ReportMetric(pct(dT, .99), "direct-ttft-p99-ms")
	b.ReportMetric(pct(gT, .5), "gw-ttft-p50-ms")
	b.ReportMetric(pct(gT, .99), "gw-ttft-p99-ms")
	b.ReportMetric(pct(dA, .5), "direct-total-p50-ms")
	b.ReportMetric(pct(dA, .99), "direct-total-p99-ms")
	b.ReportMetric(pct(gA, .5), "gw-total-p50-ms")
	b.ReportMetric(pct(gA, .99), "gw-total-p99-ms")
	b.ReportMetric(pct(gA, .5)-pct(dA, .5), "added-p50-ms")
	b.ReportMetric(pct(gA, .99)-pct(dA, .99), "added-p99-ms")
}
