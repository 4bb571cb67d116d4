package p2p_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

func percentile(d []time.Duration, p float64) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[min(len(d)-1, int(p*float64(len(d))))]
}

// BenchmarkQueryRoundTrip: 5 nodes on loopback; the querier publishes a
// query on gossipsub to 3 miners, each answers over a direct stream with one
// chunk and a signed receipt. One op = query published → all 3 receipts
// verified. Reports p50/p99 of that round trip.
//
//	go test ./p2p -run '^$' -bench QueryRoundTrip -benchtime 2000x
func BenchmarkQueryRoundTrip(b *testing.B) {
	for _, tr := range []string{"tcp", "quic"} {
		b.Run(tr, func(b *testing.B) { benchRoundTrip(b, tr, 1) })
	}
	b.Run("tcp/8-in-flight", func(b *testing.B) { benchRoundTrip(b, "tcp", 8) })
}

func benchRoundTrip(b *testing.B, transport string, inflight int) {
	const miners = 3
	nw := testnet.New(b, 1+miners+1, testnet.Options{Transport: transport})
	nw.ConnectAll()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for i := 1; i <= miners; i++ {
		serveMiner(ctx, b, nw, i, 1, &wg)
	}
	if s, err := nw.P2P(4).Subscribe(protocol.TopicQuery); err == nil {
		defer s.Cancel()
	}
	waitMesh(b, nw, protocol.TopicQuery, miners)
	q := nw.P2P(0)
	targets := nw.Nodes()[1 : 1+miners]

	one := func() (time.Duration, error) {
		qid := newQueryID(b)
		resp, err := q.Await(qid, miners)
		if err != nil {
			return 0, err
		}
		defer resp.Close()
		start := time.Now()
		if _, err := q.Publish(ctx, query(qid, nw.Node(0).Address, targets...)); err != nil {
			return 0, err
		}
		rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
		defer rcancel()
		errs := make(chan error, miners)
		for k := 0; k < miners; k++ {
			select {
			case s := <-resp.Streams():
				go func() {
					_, f, err := s.Collect(rctx)
					if err == nil && f.Receipt == nil {
						err = fmt.Errorf("no receipt")
					}
					errs <- err
				}()
			case <-rctx.Done():
				return 0, rctx.Err()
			}
		}
		for k := 0; k < miners; k++ {
			if err := <-errs; err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	}

	lat := make([]time.Duration, b.N)
	sem := make(chan struct{}, inflight)
	var lwg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		sem <- struct{}{}
		lwg.Add(1)
		go func(i int) {
			defer func() { <-sem; lwg.Done() }()
			d, err := one()
			if err != nil {
				b.Error(err)
			}
			lat[i] = d
		}(i)
	}
	lwg.Wait()
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N)/el.Seconds(), "queries/s")
}

// BenchmarkGossipThroughput: one node publishes signed queries as fast as
// it can, from 1 and from 4 goroutines; 4 subscribers (all directly
// connected) validate and receive every one. Reports delivered messages per
// second per subscriber. A subscriber that misses a message fails the run
// (it waits for all b.N).
//
//	go test ./p2p -run '^$' -bench GossipThroughput -benchtime 2000x
func BenchmarkGossipThroughput(b *testing.B) {
	for _, publishers := range []int{1, 4} {
		b.Run(fmt.Sprintf("publishers=%d", publishers), func(b *testing.B) { benchGossip(b, publishers) })
	}
}

func benchGossip(b *testing.B, publishers int) {
	const subsN = 4
	var log *zap.Logger
	if path := os.Getenv("GANGLION_BENCH_LOG"); path != "" {
		cfg := zap.NewDevelopmentConfig()
		cfg.OutputPaths = []string{path}
		log, _ = cfg.Build()
	}
	nw := testnet.New(b, 1+subsN, testnet.Options{Logger: log})
	nw.ConnectAll()
	subs := make([]*p2p.Subscription, 0, subsN)
	for i := 1; i <= subsN; i++ {
		s, err := nw.P2P(i).Subscribe(protocol.TopicQuery)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Cancel()
		subs = append(subs, s)
	}
	waitMesh(b, nw, protocol.TopicQuery, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	defer func() {
		if b.Failed() {
			for i := 0; i < nw.Len(); i++ {
				m := nw.P2P(i).Metrics()
				b.Logf("node %d: dropped rpcs %v, dropped msgs %v, undeliverable %v, validated %s, delivered %s, duplicates %v, router rejects %v", i,
					testutil.ToFloat64(m.DroppedRPCs), testutil.ToFloat64(m.DroppedMsgs), testutil.ToFloat64(m.Undelivered),
					dump(m.Validated), dump(m.Delivered), testutil.ToFloat64(m.Duplicates), dump(m.RouterReject))
				b.Logf("  mesh %s, throttled %v", dump(m.MeshChanges), testutil.ToFloat64(m.Throttled))
				for j := 0; j < nw.Len(); j++ {
					if s, ok := nw.P2P(i).Score(nw.Node(j).PeerID); ok {
						b.Logf("  node %d scores node %d: %.1f", i, j, s)
					}
				}
			}
		}
	}()
	b.ResetTimer()
	start := time.Now()
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < b.N; k++ {
				if _, err := s.Next(ctx); err != nil {
					b.Errorf("after %d of %d: %v", k, b.N, err)
					return
				}
			}
		}()
	}
	var pwg sync.WaitGroup
	for p := 0; p < publishers; p++ {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for i := p; i < b.N; i += publishers {
				if _, err := nw.P2P(0).Publish(ctx, query(newQueryID(b), nw.Node(0).Address)); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	pwg.Wait()
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "msgs/s")
}

func dump(c prometheus.Collector) string {
	ch := make(chan prometheus.Metric, 64)
	go func() { c.Collect(ch); close(ch) }()
	var parts []string
	for m := range ch {
		var d dto.Metric
		_ = m.Write(&d)
		var labels []string
		for _, l := range d.GetLabel() {
			labels = append(labels, l.GetValue())
		}
		parts = append(parts, fmt.Sprintf("%s=%v", strings.Join(labels, "/"), d.GetCounter().GetValue()))
	}
	return strings.Join(parts, " ")
}
