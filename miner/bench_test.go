package miner_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// BenchmarkNetworkVsEngine compares generated tokens per second of a bare
// engine (Worker.Generate, same worker options as the miner's) with the whole
// network path: query published on gossip, miner intake, batched slot,
// streamed chunks, signed receipt, collected by the querier. "x8" runs eight
// queries at once (batched by the miner) against eight sequential bare
// generations.
//
//	go test ./miner -run '^$' -bench NetworkVsEngine -benchtime 20x
func BenchmarkNetworkVsEngine(b *testing.B) {
	shapes := []struct {
		name   string
		shape  models.Shape
		tokens int
	}{
		{"tiny", models.DefaultShape(), 200},
		{"15M", models.Shape15M(), 128},
	}
	for _, sh := range shapes {
		w, err := models.Random(sh.shape, 42)
		if err != nil {
			b.Fatal(err)
		}
		id := sha256.Sum256([]byte("bench " + sh.name))
		md := miner.Model{Name: sh.name, ID: id[:], Weights: w}
		prompt := []int{1, 10, 20, 30}
		for _, par := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/x%d/engine", sh.name, par), func(b *testing.B) {
				e, err := models.NewEngine(w)
				if err != nil {
					b.Fatal(err)
				}
				wk, err := e.NewWorker(models.Threads(1), models.UseGraph(false))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				start := time.Now()
				for b.Loop() {
					for range par {
						r, err := wk.Generate(prompt, models.GenerateOptions{MaxTokens: sh.tokens}, nil)
						if err != nil {
							b.Fatal(err)
						}
						n += len(r.Tokens)
					}
				}
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "tokens/s")
			})
			b.Run(fmt.Sprintf("%s/x%d/network", sh.name, par), func(b *testing.B) {
				r := newRig(b, 1, miner.Config{MaxConcurrency: 8, RatePerSecond: -1, QueueSize: 64}, []miner.Model{md})
				p := make([]uint32, len(prompt))
				for i, t := range prompt {
					p[i] = uint32(t)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				defer cancel()
				n := 0
				start := time.Now()
				for b.Loop() {
					var wg sync.WaitGroup
					var mu sync.Mutex
					for range par {
						wg.Add(1)
						go func() {
							defer wg.Done()
							as := r.ask(ctx, r.newQuery(md, p, &protocol.SamplingParams{MaxTokens: uint32(sh.tokens)}, 1), 1)
							if len(as) != 1 || as[0].err != nil || as[0].final.Receipt == nil {
								b.Errorf("answer %+v", as)
								return
							}
							mu.Lock()
							n += len(as[0].final.Receipt.OutputTokens)
							mu.Unlock()
						}()
					}
					wg.Wait()
				}
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "tokens/s")
			})
		}
	}
}
