package models

import (
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Benchmarks of MODELS.md's "15M" shape (dim 288, hidden 768, 6 layers,
// vocab 32000, seq 256), exact mode. Run with
//
//	go test ./models -run '^$' -bench . -benchtime 3x
//
// Each reports tokens/s; speed goals live here, never in tests.

var (
	bench15MOnce sync.Once
	bench15M     *Weights
)

func weights15M(b *testing.B) *Weights {
	bench15MOnce.Do(func() {
		w, err := Random(Shape15M(), 42)
		if err != nil {
			b.Fatal(err)
		}
		bench15M = w
	})
	return bench15M
}

// quantizeWeights returns a copy of w with every matrix in dt (test helper;
// norms stay float32).
func quantizeWeights(w *Weights, dt DType) *Weights {
	q := *w
	conv := func(m Matrix) Matrix {
		f := make([]float32, m.Rows*m.Cols)
		for r := 0; r < m.Rows; r++ {
			dequantRow(&m, r, f[r*m.Cols:(r+1)*m.Cols])
		}
		var data []byte
		switch dt {
		case F16, BF16:
			for _, v := range f {
				var h uint16
				if dt == F16 {
					h = f32ToF16(float32(math.Abs(float64(v))))
					if v < 0 {
						h |= 0x8000
					}
				} else { // round to nearest even
					b := math.Float32bits(v)
					h = uint16((b + 0x7fff + (b>>16)&1) >> 16)
				}
				data = append(data, byte(h), byte(h>>8))
			}
		default:
			for r := 0; r < m.Rows; r++ {
				data = append(data, quantRow(dt, f[r*m.Cols:(r+1)*m.Cols])...)
			}
		}
		return Matrix{DType: dt, Rows: m.Rows, Cols: m.Cols, Data: data}
	}
	q.Layers = make([]Layer, len(w.Layers))
	for i, l := range w.Layers {
		l.Q, l.K, l.V, l.O = conv(l.Q), conv(l.K), conv(l.V), conv(l.O)
		l.Gate, l.Down, l.Up = conv(l.Gate), conv(l.Down), conv(l.Up)
		q.Layers[i] = l
	}
	q.Embedding, q.Output = conv(w.Embedding), conv(w.Output)
	return &q
}

// cpuSeconds is the process's user+system CPU time. On a shared machine
// tokens per CPU second is the steadier figure; tokens/s is wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// benchDecode generates 256 tokens greedily per iteration on one sequence.
func benchDecode(b *testing.B, w *Weights, opts ...WorkerOption) {
	e, err := NewEngine(w)
	if err != nil {
		b.Fatal(err)
	}
	wk, err := e.NewWorker(opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	tokens := 0
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		r, err := wk.Generate([]int{1}, GenerateOptions{MaxTokens: 255}, nil)
		if err != nil {
			b.Fatal(err)
		}
		tokens += len(r.Tokens) + 1
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(tokens)/(cpuSeconds()-cpu0), "tokens/cpu-s")
	b.ReportMetric(rssMB(), "rss-MB")
}

func BenchmarkDecode15MF32OneThread(b *testing.B)  { benchDecode(b, weights15M(b), Threads(1)) }
func BenchmarkDecode15MF32TwoThreads(b *testing.B) { benchDecode(b, weights15M(b), Threads(2)) }
func BenchmarkDecode15MF32Direct(b *testing.B) {
	benchDecode(b, weights15M(b), Threads(1), UseGraph(false))
}
func BenchmarkDecode15MF16OneThread(b *testing.B) {
	benchDecode(b, quantizeWeights(weights15M(b), F16), Threads(1))
}
func BenchmarkDecode15MQ8_0OneThread(b *testing.B) {
	benchDecode(b, quantizeWeights(weights15M(b), Q8_0), Threads(1))
}
func BenchmarkDecode15MQ4_0OneThread(b *testing.B) {
	benchDecode(b, quantizeWeights(weights15M(b), Q4_0), Threads(1))
}

// benchBatched steps n sequences together, one row each, 64 positions
// (sequences start from different tokens so they differ).
func benchBatched(b *testing.B, n, threads int) {
	e, err := NewEngine(weights15M(b))
	if err != nil {
		b.Fatal(err)
	}
	wk, _ := e.NewWorker(Threads(threads))
	b.ResetTimer()
	tokens := 0
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		sess := make([]*Session, n)
		toks := make([]int, n)
		for j := range sess {
			sess[j] = e.NewSession()
			toks[j] = 1 + j
		}
		for p := 0; p < 64; p++ {
			rows := make([]Row, n)
			for j := range rows {
				rows[j] = Row{Session: sess[j], Token: toks[j], Logits: true}
			}
			l, err := wk.Forward(rows)
			if err != nil {
				b.Fatal(err)
			}
			for j := range toks {
				toks[j] = Argmax(l[j]) // greedy: measure the engine, not the sampler
			}
			tokens += n
		}
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(tokens)/(cpuSeconds()-cpu0), "tokens/cpu-s")
	b.ReportMetric(rssMB(), "rss-MB")
}

func BenchmarkBatched15M8Seqs(b *testing.B)  { benchBatched(b, 8, 2) }
func BenchmarkBatched15M32Seqs(b *testing.B) { benchBatched(b, 32, 2) }

// BenchmarkVerify15M256 is the teacher-forced check of a 256-token receipt
// (one batched pass, all positions' logits).
func BenchmarkVerify15M256(b *testing.B) {
	for _, c := range []struct {
		name    string
		threads int
		smp     Sampler
	}{
		{"greedy/threads=1", 1, Sampler{}}, {"sampled/threads=1", 1, Sampler{Temperature: 1, Seed: 5}},
		{"greedy/threads=2", 2, Sampler{}}, {"sampled/threads=2", 2, Sampler{Temperature: 1, Seed: 5}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e, _ := NewEngine(weights15M(b))
			wk, _ := e.NewWorker(Threads(c.threads))
			r, err := wk.Generate([]int{1}, GenerateOptions{MaxTokens: 256, Sampler: c.smp}, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := wk.Verify(r, nil)
				if err != nil || !res.OK {
					b.Fatal(res, err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/256tokens")
		})
	}
}

// BenchmarkGraphOverhead compares the direct and graph paths on the small
// test shape, where the graph's per-op cost is most visible.
func BenchmarkGraphOverhead(b *testing.B) {
	w, _ := Random(DefaultShape(), 42)
	for _, g := range []bool{false, true} {
		b.Run("graph="+strconv.FormatBool(g), func(b *testing.B) { benchDecode(b, w, Threads(1), UseGraph(g)) })
	}
}

// BenchmarkDot compares the portable and the assembly dot kernels.
func BenchmarkDot4(b *testing.B) {
	n := 768
	w, x := randVec(1, 4*n), randVec(2, n)
	var d [4]float32
	b.Run("portable", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dot4F32Generic(w, x, n, d[:])
		}
	})
	b.Run("dispatch", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dot4F32(w, x, n, d[:])
		}
	})
	w8 := randVec(3, 8*n)
	var d8 [8]float32
	b.Run("dot8-portable", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dot8F32Generic(w8, x, n, d8[:])
		}
		b.ReportMetric(float64(8*n*b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
	})
	b.Run("dot8-dispatch", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dot8F32(w8, x, n, d8[:])
		}
		b.ReportMetric(float64(8*n*b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
	})
}

// TestBenchmarksRun runs each benchmark body once on a small model so the
// benchmarks cannot rot.
func TestBenchmarksRun(t *testing.T) {
	sh := DefaultShape()
	sh.Hidden = 192 // quantised rows need multiples of 32
	w, _ := Random(sh, 42)
	for _, q := range []DType{Q8_0, Q4_0} {
		res := testing.Benchmark(func(b *testing.B) { benchDecode(b, quantizeWeights(w, q), Threads(2)) })
		if res.N < 1 || !(res.Extra["tokens/s"] > 0) {
			t.Fatalf("%v: benchmark result %+v", q, res)
		}
	}
}

// BenchmarkMatmat is the F32 matrix product of a 768×288 matrix (in cache)
// with B activation rows, in multiply-adds per second.
func BenchmarkMatmat(b *testing.B) {
	rows, cols := 768, 288
	m := Matrix{DType: F32, Rows: rows, Cols: cols, Data: f32Bytes(randVec(1, rows*cols))}
	k, err := newMatKernel(&m)
	if err != nil {
		b.Fatal(err)
	}
	e := testEngine(b, DefaultShape(), 1)
	w, _ := e.NewWorker(Threads(1))
	for _, B := range []int{1, 8, 64, 256} {
		x := randVec(2, B*cols)
		out := make([]float32, B*rows)
		b.Run("B="+strconv.Itoa(B), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				w.matmul(k, x, out)
			}
			b.ReportMetric(float64(B*rows*cols*b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
		})
	}
}
