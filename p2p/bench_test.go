package p2p_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

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
// it can; 4 subscribers (all directly connected) validate and receive every
// one. Reports delivered messages per second per subscriber.
//
//	go test ./p2p -run '^$' -bench GossipThroughput -benchtime 5000x
func BenchmarkGossipThroughput(b *testing.B) {
	const subsN = 4
	nw := testnet.New(b, 1+subsN, testnet.Options{})
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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
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
	for i := 0; i < b.N; i++ {
		if _, err := nw.P2P(0).Publish(ctx, query(newQueryID(b), nw.Node(0).Address)); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "msgs/s")
}
