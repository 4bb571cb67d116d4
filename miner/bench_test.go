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
// generations and against eight sequences batched by hand in one Worker
// (engine-batched: the miner's work without the network).
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
			if par > 1 {
				b.Run(fmt.Sprintf("%s/x%d/engine-batched", sh.name, par), func(b *testing.B) {
					n := 0
					start := time.Now()
					for b.Loop() {
						n += batchedGenerate(b, w, prompt, par, sh.tokens)
					}
					b.ReportMetric(float64(n)/time.Since(start).Seconds(), "tokens/s")
				})
			}
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

// batchedGenerate runs par greedy sequences of the same prompt in lock-step
// Forward batches and returns the generated tokens.
func batchedGenerate(b *testing.B, w *models.Weights, prompt []int, par, tokens int) int {
	e, err := models.NewEngine(w)
	if err != nil {
		b.Fatal(err)
	}
	wk, err := e.NewWorker(models.Threads(1), models.UseGraph(false))
	if err != nil {
		b.Fatal(err)
	}
	sess := make([]*models.Session, par)
	var rows []models.Row
	for i := range sess {
		sess[i] = e.NewSession()
		for k, t := range prompt {
			rows = append(rows, models.Row{Session: sess[i], Token: t, Logits: k == len(prompt)-1})
		}
	}
	n := 0
	for step := 0; step < tokens; step++ {
		logits, err := wk.Forward(rows)
		if err != nil {
			b.Fatal(err)
		}
		rows = rows[:0]
		i := 0
		for _, l := range logits {
			if l == nil {
				continue
			}
			models.LogitsDigest(l)
			rows = append(rows, models.Row{Session: sess[i], Token: models.Argmax(l), Logits: true})
			i++
			n++
		}
	}
	return n
}
