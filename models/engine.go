package models

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Engine runs the exact forward pass of one model. It is immutable after
// NewEngine and safe for concurrent use: many Workers (one per goroutine)
// share one Engine and so one copy of the weights; each sequence keeps its own
// state in a Session.
type Engine struct {
	w      *Weights
	cfg    Config
	layers []layerKernels
	out    *matKernel
	freqs  []float32 // RoPE frequency per pair
}

type layerKernels struct {
	q, k, v, o, gate, down, up *matKernel
}

// EngineOption configures an Engine.
type EngineOption func(*Engine) error

// ContextLength overrides the model's context length (its SeqLen), for
// example to run a file whose metadata declares a shorter context than the
// model can use, as llama.cpp's -c does. RoPE is defined for every position;
// quality beyond the trained length is the caller's concern.
func ContextLength(n int) EngineOption {
	return func(e *Engine) error {
		if n < 1 || n > 1<<20 {
			return fmt.Errorf("context length %d outside 1..%d", n, 1<<20)
		}
		e.cfg.SeqLen = n
		return nil
	}
}

// NewEngine prepares the kernels for w. The engine keeps w and reads its
// matrices in place; w must stay valid (its memory map open) while the
// engine is used.
func NewEngine(w *Weights, opts ...EngineOption) (*Engine, error) {
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	e := &Engine{w: w, cfg: w.Config}
	if e.cfg.NormEps == 0 {
		e.cfg.NormEps = 1e-5
	}
	for _, o := range opts {
		if err := o(e); err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
	}
	var err error
	mk := func(m *Matrix) *matKernel {
		if err != nil {
			return nil
		}
		var k *matKernel
		k, err = newMatKernel(m)
		return k
	}
	for i := range w.Layers {
		l := &w.Layers[i]
		e.layers = append(e.layers, layerKernels{
			q: mk(&l.Q), k: mk(&l.K), v: mk(&l.V), o: mk(&l.O),
			gate: mk(&l.Gate), down: mk(&l.Down), up: mk(&l.Up),
		})
	}
	e.out = mk(&w.Output)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	e.freqs = ropeFreqs(e.cfg.HeadSize(), e.cfg.RopeTheta)
	return e, nil
}

// Config returns the model's hyper-parameters (with the engine's context
// length).
func (e *Engine) Config() Config { return e.cfg }

// Weights returns the model the engine runs.
func (e *Engine) Weights() *Weights { return e.w }

// Session is the state of one sequence: its position and its key/value
// cache. A Session may be used by one Worker call at a time.
type Session struct {
	e    *Engine
	pos  int
	k, v [][]float32 // per layer, pos·KVDim values
}

// NewSession starts an empty sequence.
func (e *Engine) NewSession() *Session {
	return &Session{e: e, k: make([][]float32, e.cfg.Layers), v: make([][]float32, e.cfg.Layers)}
}

// Pos is the number of tokens the session has consumed.
func (s *Session) Pos() int { return s.pos }

// Truncate forgets every position from n on (n ≤ Pos), so a sequence can be
// rewound, for instance to share a prompt's cache.
func (s *Session) Truncate(n int) {
	if n < 0 {
		n = 0
	}
	if n < s.pos {
		s.pos = n
	}
}

// grow makes room for n positions.
func (s *Session) grow(n int) {
	kv := s.e.cfg.KVDim()
	for l := range s.k {
		if cap(s.k[l]) < n*kv {
			c := 2 * cap(s.k[l])
			if c < n*kv {
				c = n * kv
			}
			if max := s.e.cfg.SeqLen * kv; c > max {
				c = max
			}
			nk, nv := make([]float32, c), make([]float32, c)
			copy(nk, s.k[l][:s.pos*kv])
			copy(nv, s.v[l][:s.pos*kv])
			s.k[l], s.v[l] = nk, nv
		}
		s.k[l], s.v[l] = s.k[l][:n*kv], s.v[l][:n*kv]
	}
}

// Row is one token fed to a session in a batched step.
type Row struct {
	Session *Session
	Token   int
	// Logits asks for this position's logits (the classifier is skipped for
	// rows that do not need them, e.g. the inside of a prompt).
	Logits bool
}

// Errors returned by Forward.
var (
	ErrBadToken    = errors.New("token id out of range")
	ErrContextFull = errors.New("context length exceeded")
)

// Worker evaluates batches. It owns scratch memory (and, with UseGraph, a
// gorgonia TapeMachine) and is not safe for concurrent use: use one Worker
// per goroutine, all sharing one Engine.
type Worker struct {
	e       *Engine
	threads int
	graph   bool
	graphs  map[[2]int]*graphRunner // built lazily per (rows, logits rows) when graph is set

	// per-step state and scratch, reused between calls
	rows  []Row
	pos   []int
	cos   []float32 // [B][headSize/2]
	sin   []float32
	x     []float32 // [B][Dim] residual stream
	xb    []float32 // [B][Dim]
	xb2   []float32 // [B][Dim]
	q     []float32 // [B][Dim]
	k     []float32 // [B][KVDim]
	v     []float32 // [B][KVDim]
	hb    []float32 // [B][Hidden]
	hb2   []float32 // [B][Hidden]
	att   [][]float32
	xq    []q8Act
	xrows [][]float32
}

// WorkerOption configures a Worker.
type WorkerOption func(*Worker) error

// Threads sets how many goroutines a Worker uses inside one step (default
// GOMAXPROCS). Results do not depend on it.
func Threads(n int) WorkerOption {
	return func(w *Worker) error {
		if n < 1 {
			return fmt.Errorf("threads %d: must be at least 1", n)
		}
		w.threads = n
		return nil
	}
}

// UseGraph chooses how a Worker runs the forward pass. With true (the
// default) it is a gorgonia expression graph of the engine's custom exact
// operations, with one TapeMachine per Worker and batch size; with false the
// Worker calls the same kernels directly. The bits are identical; the graph
// costs a fixed interpreter overhead per step (≈0.1 ms, see
// BenchmarkGraphOverhead), which matters only for tiny models.
func UseGraph(on bool) WorkerOption {
	return func(w *Worker) error { w.graph = on; return nil }
}

// NewWorker makes a Worker for e.
func (e *Engine) NewWorker(opts ...WorkerOption) (*Worker, error) {
	w := &Worker{e: e, threads: runtime.GOMAXPROCS(0), graph: true}
	for _, o := range opts {
		if err := o(w); err != nil {
			return nil, fmt.Errorf("worker: %w", err)
		}
	}
	return w, nil
}

// Forward feeds one token per row to its session and returns, for each row
// that asked for them, the logits (nil for the others). Rows of the same
// session take consecutive positions in row order, so a prompt is prefilled
// by passing all its tokens as rows of one session; rows of different
// sessions batch several sequences into one step. Every logit is
// bit-identical however the rows are batched. The returned slices are
// freshly allocated and belong to the caller.
func (w *Worker) Forward(rows []Row) ([][]float32, error) {
	if err := w.prepare(rows); err != nil {
		return nil, err
	}
	var logits [][]float32
	var err error
	if w.graph {
		logits, err = w.forwardGraph()
	} else {
		logits = w.forwardDirect()
	}
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		r.Session.pos = w.pos[i] + 1
	}
	return logits, nil
}

// prepare validates rows, assigns positions, grows caches and sizes scratch.
func (w *Worker) prepare(rows []Row) error {
	c := w.e.cfg
	if len(rows) == 0 {
		return errors.New("forward: no rows")
	}
	w.rows = rows
	w.pos = w.pos[:0]
	next := map[*Session]int{}
	for i, r := range rows {
		if r.Session == nil || r.Session.e != w.e {
			return fmt.Errorf("forward: row %d: session of another engine", i)
		}
		if r.Token < 0 || r.Token >= c.Vocab {
			return fmt.Errorf("forward: row %d: token %d of %d: %w", i, r.Token, c.Vocab, ErrBadToken)
		}
		p, ok := next[r.Session]
		if !ok {
			p = r.Session.pos
		}
		if p >= c.SeqLen {
			return fmt.Errorf("forward: row %d: position %d of %d: %w", i, p, c.SeqLen, ErrContextFull)
		}
		next[r.Session] = p + 1
		w.pos = append(w.pos, p)
	}
	for s, n := range next {
		s.grow(n)
	}
	B := len(rows)
	size := func(b *[]float32, n int) {
		if cap(*b) < n {
			*b = make([]float32, n)
		}
		*b = (*b)[:n]
	}
	hs := c.HeadSize()
	size(&w.cos, B*hs/2)
	size(&w.sin, B*hs/2)
	size(&w.x, B*c.Dim)
	size(&w.xb, B*c.Dim)
	size(&w.xb2, B*c.Dim)
	size(&w.q, B*c.Dim)
	size(&w.k, B*c.KVDim())
	size(&w.v, B*c.KVDim())
	size(&w.hb, B*c.Hidden)
	size(&w.hb2, B*c.Hidden)
	for len(w.att) < w.threads {
		w.att = append(w.att, nil)
	}
	for len(w.xq) < B {
		w.xq = append(w.xq, q8Act{})
	}
	for b, r := range rows {
		ropeAngles(w.e.freqs, w.pos[b], w.cos[b*hs/2:(b+1)*hs/2], w.sin[b*hs/2:(b+1)*hs/2])
		dequantRow(&w.e.w.Embedding, r.Token, w.x[b*c.Dim:(b+1)*c.Dim])
	}
	return nil
}

// forwardDirect runs the layers by calling the kernels.
func (w *Worker) forwardDirect() [][]float32 {
	for l := range w.e.layers {
		w.attentionBlock(l)
		w.ffnBlock(l)
	}
	return w.classify()
}

// attentionBlock: x += Wo·attention(rope(Wq·n), rope(Wk·n), Wv·n), n = rmsnorm(x).
func (w *Worker) attentionBlock(l int) {
	lk, lw := &w.e.layers[l], &w.e.w.Layers[l]
	w.rmsnorm(w.xb, w.x, lw.AttnNorm)
	w.matmul(lk.q, w.xb, w.q)
	w.matmul(lk.k, w.xb, w.k)
	w.matmul(lk.v, w.xb, w.v)
	w.rope()
	w.storeKV(l)
	w.attention(l)
	w.matmul(lk.o, w.xb2, w.xb)
	addInto(w.x, w.xb)
}

// ffnBlock: x += W2·(silu(W1·n) ⊙ W3·n), n = rmsnorm(x).
func (w *Worker) ffnBlock(l int) {
	lk, lw := &w.e.layers[l], &w.e.w.Layers[l]
	w.rmsnorm(w.xb, w.x, lw.FFNNorm)
	w.matmul(lk.gate, w.xb, w.hb)
	w.matmul(lk.up, w.xb, w.hb2)
	swiglu(w.hb, w.hb2)
	w.matmul(lk.down, w.hb, w.xb)
	addInto(w.x, w.xb)
}

// classify applies the final norm and the classifier to the rows that asked
// for logits.
func (w *Worker) classify() [][]float32 {
	c := w.e.cfg
	out := make([]float32, len(w.rows)*c.Vocab)
	w.classifyInto(w.x, out)
	logits := make([][]float32, len(w.rows))
	i := 0
	for b, r := range w.rows {
		if r.Logits {
			logits[b] = out[i*c.Vocab : (i+1)*c.Vocab : (i+1)*c.Vocab]
			i++
		}
	}
	return logits
}

// classifyInto normalises the rows of x that asked for logits and writes
// their logits, packed in row order, to out; it returns how many rows.
func (w *Worker) classifyInto(x, out []float32) int {
	c := w.e.cfg
	var sel []int
	for b, r := range w.rows {
		if r.Logits {
			sel = append(sel, b)
		}
	}
	if len(sel) == 0 {
		return 0
	}
	xs := make([]float32, len(sel)*c.Dim)
	for i, b := range sel {
		rmsnormRow(xs[i*c.Dim:(i+1)*c.Dim], x[b*c.Dim:(b+1)*c.Dim], w.e.w.FinalNorm, c.NormEps)
	}
	w.matmul(w.e.out, xs, out[:len(sel)*c.Vocab])
	return len(sel)
}

// rmsnormRow: out = weight ⊙ (x / sqrt(mean(x²) + eps)), as llama2.c orders
// it, with the exact dot product for the sum of squares.
func rmsnormRow(out, x, weight []float32, eps float32) {
	ss := dotF32(x, x)
	ss = ss/float32(len(x)) + eps
	ss = 1 / sqrtf(ss)
	for i := range out {
		out[i] = weight[i] * float32(ss*x[i])
	}
}

func (w *Worker) rmsnorm(out, x, weight []float32) {
	d := w.e.cfg.Dim
	for b := range w.rows {
		rmsnormRow(out[b*d:(b+1)*d], x[b*d:(b+1)*d], weight, w.e.cfg.NormEps)
	}
}

func addInto(x, y []float32) {
	y = y[:len(x)]
	for i := range x {
		x[i] = x[i] + y[i]
	}
}

// swiglu: h = silu(h) ⊙ h2 with silu(v) = v·(1/(1+e^−v)), llama2.c's order.
func swiglu(h, h2 []float32) {
	h2 = h2[:len(h)]
	for i, v := range h {
		v = v * (1 / (1 + expf(-v)))
		h[i] = v * h2[i]
	}
}

// rope rotates adjacent pairs of every query and key head by the row's angles.
func (w *Worker) rope() {
	c := w.e.cfg
	hs, kv := c.HeadSize(), c.KVDim()
	for b := range w.rows {
		cs, sn := w.cos[b*hs/2:(b+1)*hs/2], w.sin[b*hs/2:(b+1)*hs/2]
		rotate(w.q[b*c.Dim:(b+1)*c.Dim], hs, cs, sn)
		rotate(w.k[b*kv:(b+1)*kv], hs, cs, sn)
	}
}

func rotate(vec []float32, hs int, cs, sn []float32) {
	for h := 0; h+hs <= len(vec); h += hs {
		for i := 0; i < hs/2; i++ {
			v0, v1 := vec[h+2*i], vec[h+2*i+1]
			fcr, fci := cs[i], sn[i]
			vec[h+2*i] = float32(v0*fcr) - float32(v1*fci)
			vec[h+2*i+1] = float32(v0*fci) + float32(v1*fcr)
		}
	}
}

// storeKV copies each row's key and value into its session's cache.
func (w *Worker) storeKV(l int) {
	kv := w.e.cfg.KVDim()
	for b, r := range w.rows {
		p := w.pos[b]
		copy(r.Session.k[l][p*kv:(p+1)*kv], w.k[b*kv:(b+1)*kv])
		copy(r.Session.v[l][p*kv:(p+1)*kv], w.v[b*kv:(b+1)*kv])
	}
}

// attention computes, for every row and head, softmax(q·k_t/√hs) over the
// positions t ≤ pos and the weighted sum of values, into xb2.
func (w *Worker) attention(l int) {
	c := w.e.cfg
	jobs := len(w.rows) * c.Heads
	work := jobs * (w.maxPos() + 1) * c.HeadSize() * 2
	w.parallel(jobs, work, func(tid, lo, hi int) {
		if cap(w.att[tid]) < c.SeqLen {
			w.att[tid] = make([]float32, c.SeqLen)
		}
		for j := lo; j < hi; j++ {
			w.attendHead(l, j/c.Heads, j%c.Heads, w.att[tid])
		}
	})
}

func (w *Worker) maxPos() int {
	m := 0
	for _, p := range w.pos {
		if p > m {
			m = p
		}
	}
	return m
}

// attendHead is one (row, head) of attention; its order of operations is
// fixed: scores by the exact dot product, divided by √hs; softmax with the
// maximum subtracted, exponentials summed in position order, each divided by
// the sum; values accumulated in position order per element.
func (w *Worker) attendHead(l, b, h int, att []float32) {
	c := w.e.cfg
	hs, kv := c.HeadSize(), c.KVDim()
	kvh := h / (c.Heads / c.KVHeads)
	p := w.pos[b]
	s := w.rows[b].Session
	q := w.q[b*c.Dim+h*hs : b*c.Dim+(h+1)*hs]
	scale := sqrtf(float32(hs))
	att = att[:p+1]
	keys := s.k[l][kvh*hs:]
	t := 0
	for ; t+8 <= len(att); t += 8 { // eight positions at once, same dot product
		dot8Strided(keys[t*kv:], kv, q, hs, att[t:t+8])
	}
	for ; t < len(att); t++ {
		att[t] = dotF32(q, keys[t*kv:t*kv+hs])
	}
	for t := range att {
		att[t] = att[t] / scale
	}
	softmax(att)
	out := w.xb2[b*c.Dim+h*hs : b*c.Dim+(h+1)*hs]
	clear(out)
	vals := s.v[l][kvh*hs:]
	for t, a := range att {
		axpy(a, vals[t*kv:t*kv+hs], out)
	}
}

// softmax in place: subtract the maximum, exponentiate, sum in index order,
// divide.
func softmax(x []float32) {
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	var sum float32
	for i, v := range x {
		e := expf(v - m)
		x[i] = e
		sum = sum + e
	}
	for i := range x {
		x[i] = x[i] / sum
	}
}

// matmul computes out[b] = K·x[b] for every row b of the batch, splitting the
// output rows between threads. Each element is computed by the same exact
// routine, so the split does not change any bit.
func (w *Worker) matmul(k *matKernel, x, out []float32) {
	in, rows := k.m.Cols, k.m.Rows
	B := len(x) / in
	if cap(w.xrows) < B {
		w.xrows = make([][]float32, B)
	}
	xs := w.xrows[:B]
	for b := range xs {
		xs[b] = x[b*in : (b+1)*in : (b+1)*in]
	}
	var xq []q8Act
	if k.quantised() {
		for len(w.xq) < B {
			w.xq = append(w.xq, q8Act{})
		}
		xq = w.xq[:B]
		for b := range xs {
			quantizeQ8(xs[b], &xq[b])
		}
	}
	blocks := (rows + 7) / 8 // threads take whole blocks of 8 rows
	w.parallel(blocks, B*rows*in, func(_, lo, hi int) {
		r1 := 8 * hi
		if r1 > rows {
			r1 = rows
		}
		k.mulRows(8*lo, r1, xs, xq, out, rows)
	})
}

// parallel splits n jobs into contiguous chunks over the worker's threads
// when the work (a rough count of multiply-adds) is worth it.
func (w *Worker) parallel(n, work int, fn func(tid, lo, hi int)) {
	t := w.threads
	if t > n {
		t = n
	}
	if t <= 1 || work < 1<<15 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < t; i++ {
		lo, hi := n*i/t, n*(i+1)/t
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i, lo, hi)
		}()
	}
	wg.Wait()
}
