package models

import (
	"math"
	"runtime"
	"testing"
)

// refForward is an independent float64 implementation of the Llama forward
// pass (llama2.c's algorithm, standard library math) used to check that the
// exact engine computes the right function, within float32 tolerance.
func refForward(w *Weights, tokens []int) [][]float64 {
	c := w.Config
	dim, hs, kvd := c.Dim, c.HeadSize(), c.KVDim()
	row := func(m *Matrix, r int) []float64 {
		f := make([]float32, m.Cols)
		dequantRow(m, r, f)
		o := make([]float64, len(f))
		for i, v := range f {
			o[i] = float64(v)
		}
		return o
	}
	matvec := func(m *Matrix, x []float64) []float64 {
		out := make([]float64, m.Rows)
		for r := range out {
			wr := row(m, r)
			for i, v := range wr {
				out[r] += v * x[i]
			}
		}
		return out
	}
	norm := func(x []float64, wt []float32) []float64 {
		ss := 0.0
		for _, v := range x {
			ss += v * v
		}
		s := 1 / math.Sqrt(ss/float64(len(x))+1e-5)
		o := make([]float64, len(x))
		for i := range x {
			o[i] = float64(wt[i]) * x[i] * s
		}
		return o
	}
	rope := func(v []float64, pos int) {
		for i := 0; i < len(v); i += 2 {
			hd := i % hs
			f := 1 / math.Pow(float64(c.RopeTheta), float64(hd)/float64(hs))
			cr, ci := math.Cos(float64(pos)*f), math.Sin(float64(pos)*f)
			v0, v1 := v[i], v[i+1]
			v[i], v[i+1] = v0*cr-v1*ci, v0*ci+v1*cr
		}
	}
	K := make([][][]float64, c.Layers)
	V := make([][][]float64, c.Layers)
	var out [][]float64
	for pos, tok := range tokens {
		x := row(&w.Embedding, tok)
		for l := range w.Layers {
			L := &w.Layers[l]
			xb := norm(x, L.AttnNorm)
			q, k, v := matvec(&L.Q, xb), matvec(&L.K, xb), matvec(&L.V, xb)
			rope(q, pos)
			rope(k, pos)
			K[l] = append(K[l], k)
			V[l] = append(V[l], v)
			att := make([]float64, dim)
			for h := 0; h < c.Heads; h++ {
				kh := h / (c.Heads / c.KVHeads)
				sc := make([]float64, pos+1)
				mx := math.Inf(-1)
				for t := 0; t <= pos; t++ {
					for i := 0; i < hs; i++ {
						sc[t] += q[h*hs+i] * K[l][t][kh*hs+i]
					}
					sc[t] /= math.Sqrt(float64(hs))
					mx = math.Max(mx, sc[t])
				}
				sum := 0.0
				for t := range sc {
					sc[t] = math.Exp(sc[t] - mx)
					sum += sc[t]
				}
				for t := range sc {
					for i := 0; i < hs; i++ {
						att[h*hs+i] += sc[t] / sum * V[l][t][kh*hs+i]
					}
				}
			}
			_ = kvd
			o := matvec(&L.O, att)
			for i := range x {
				x[i] += o[i]
			}
			xb = norm(x, L.FFNNorm)
			h1, h3 := matvec(&L.Gate, xb), matvec(&L.Up, xb)
			for i := range h1 {
				h1[i] = h1[i] / (1 + math.Exp(-h1[i])) * h3[i]
			}
			o = matvec(&L.Down, h1)
			for i := range x {
				x[i] += o[i]
			}
		}
		out = append(out, matvec(&w.Output, norm(x, w.FinalNorm)))
	}
	return out
}

func testEngine(t testing.TB, shape Shape, seed uint64) *Engine {
	t.Helper()
	w, err := Random(shape, seed)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(w)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestForwardMatchesFloat64Reference(t *testing.T) {
	for _, shape := range []Shape{DefaultShape(), {Dim: 48, Hidden: 100, Layers: 2, Heads: 6, KVHeads: 3, Vocab: 70, SeqLen: 32, Shared: true}} {
		e := testEngine(t, shape, 7)
		tokens := []int{1, 5, 9, 33, 2, 60, 17, 1, 44}
		ref := refForward(e.w, tokens)
		w, _ := e.NewWorker()
		s := e.NewSession()
		for p, tok := range tokens {
			l, err := w.Forward([]Row{{Session: s, Token: tok, Logits: true}})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range l[0] {
				if d := math.Abs(float64(v) - ref[p][i]); d > 1e-3*(1+math.Abs(ref[p][i])) {
					t.Fatalf("shape %+v pos %d logit %d: engine %g, reference %g", shape, p, i, v, ref[p][i])
				}
			}
		}
	}
}

// digestsStepByStep decodes tokens one at a time and returns the logits
// digest of every position.
func digestsStepByStep(t testing.TB, w *Worker, tokens []int) [][32]byte {
	t.Helper()
	s := w.e.NewSession()
	var out [][32]byte
	for _, tok := range tokens {
		l, err := w.Forward([]Row{{Session: s, Token: tok, Logits: true}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, LogitsDigest(l[0]))
	}
	return out
}

func TestDeterminismAcrossBatchingAndThreads(t *testing.T) {
	e := testEngine(t, DefaultShape(), 42)
	const n = 24
	seqs := make([][]int, 8)
	for i := range seqs {
		for j := 0; j < n; j++ {
			seqs[i] = append(seqs[i], int(Uniform(uint64(i+1), j)*float32(e.cfg.Vocab)))
		}
		seqs[i][0] = 1
	}
	w1, _ := e.NewWorker(Threads(1))
	want := make([][][32]byte, len(seqs))
	for i, s := range seqs {
		want[i] = digestsStepByStep(t, w1, s)
	}
	for _, procs := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(procs)
		for _, graph := range []bool{false, true} {
			w, err := e.NewWorker(Threads(procs), UseGraph(graph))
			if err != nil {
				t.Fatal(err)
			}
			// prefill: one sequence, all positions in one batch
			for i, seq := range seqs[:2] {
				s := e.NewSession()
				rows := make([]Row, len(seq))
				for j, tok := range seq {
					rows[j] = Row{Session: s, Token: tok, Logits: true}
				}
				l, err := w.Forward(rows)
				if err != nil {
					t.Fatal(err)
				}
				for j := range l {
					if LogitsDigest(l[j]) != want[i][j] {
						t.Fatalf("procs %d graph %v: prefill seq %d pos %d differs from step by step", procs, graph, i, j)
					}
				}
			}
			// batches of 1, 3 and 8 concurrent sequences, mixed chunk sizes
			for _, bs := range []int{1, 3, 8} {
				sess := make([]*Session, bs)
				for i := range sess {
					sess[i] = e.NewSession()
				}
				for p := 0; p < n; {
					chunk := 1 + p%3 // positions per sequence in this step
					if p+chunk > n {
						chunk = n - p
					}
					var rows []Row
					for i := range sess {
						for c := 0; c < chunk; c++ {
							rows = append(rows, Row{Session: sess[i], Token: seqs[i][p+c], Logits: true})
						}
					}
					l, err := w.Forward(rows)
					if err != nil {
						t.Fatal(err)
					}
					for r := range rows {
						i, c := r/chunk, r%chunk
						if LogitsDigest(l[r]) != want[i][p+c] {
							t.Fatalf("procs %d graph %v batch %d: seq %d pos %d differs", procs, graph, bs, i, p+c)
						}
					}
					p += chunk
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

func TestForwardRejectsBadRows(t *testing.T) {
	e := testEngine(t, Shape{Dim: 16, Hidden: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 10, SeqLen: 4}, 3)
	w, _ := e.NewWorker()
	other := testEngine(t, Shape{Dim: 16, Hidden: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 10, SeqLen: 4}, 3)
	s := e.NewSession()
	for name, rows := range map[string][]Row{
		"empty":        nil,
		"token range":  {{Session: s, Token: 10}},
		"negative":     {{Session: s, Token: -1}},
		"nil session":  {{Token: 1}},
		"other engine": {{Session: other.NewSession(), Token: 1}},
		"context full": {{Session: s, Token: 1}, {Session: s, Token: 1}, {Session: s, Token: 1}, {Session: s, Token: 1}, {Session: s, Token: 1}},
	} {
		if _, err := w.Forward(rows); err == nil {
			t.Errorf("%s: no error", name)
		}
		if s.Pos() != 0 {
			t.Fatalf("%s: failed forward moved the session to %d", name, s.Pos())
		}
	}
}

func TestSessionTruncateAndContextLength(t *testing.T) {
	sh := Shape{Dim: 32, Hidden: 64, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 50, SeqLen: 8}
	w, err := Random(sh, 5)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(w, ContextLength(20))
	if err != nil {
		t.Fatal(err)
	}
	if e.Config().SeqLen != 20 {
		t.Fatalf("context %d", e.Config().SeqLen)
	}
	wk, _ := e.NewWorker()
	tokens := []int{1, 4, 9, 16, 25, 36, 49, 3, 8, 13, 21, 34}
	want := digestsStepByStep(t, wk, tokens) // beyond the file's 8 positions
	s := e.NewSession()
	for _, tok := range tokens[:10] {
		if _, err := wk.Forward([]Row{{Session: s, Token: tok}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Truncate(6) // rewind and continue from position 6
	rows := []Row{}
	for _, tok := range tokens[6:] {
		rows = append(rows, Row{Session: s, Token: tok, Logits: true})
	}
	l, err := wk.Forward(rows)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l {
		if LogitsDigest(l[i]) != want[6+i] {
			t.Fatalf("position %d after truncate differs", 6+i)
		}
	}
	if s.Pos() != len(tokens) {
		t.Fatalf("pos %d", s.Pos())
	}
	for _, n := range []int{0, -1, 1<<20 + 1} {
		if _, err := NewEngine(w, ContextLength(n)); err == nil {
			t.Errorf("context length %d accepted", n)
		}
	}
	if _, err := e.NewWorker(Threads(0)); err == nil {
		t.Error("0 threads accepted")
	}
}
