package models

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The gorgonia path. The forward pass is an ExprGraph whose nodes are the
// engine's exact kernels wrapped as custom gorgonia Ops (kernelOp): RMSNorm,
// the exact matrix product of each weight matrix, attention with RoPE and the
// KV cache, the residual additions, SwiGLU and the classifier. Values flowing
// along the graph are [batch][width] float32 tensor.Dense matrices; the
// weight matrices are tensor.Dense too (float32 for F32, raw bytes for the
// half and quantised encodings), aliasing the model's memory map.
//
// A Worker with UseGraph builds one graph and one TapeMachine per batch shape
// (rows, rows asking for logits) it meets and reuses them (Let the embeddings, RunAll, Reset). Each op calls
// exactly the function the direct path calls, so the logits are bit-identical
// (TestDeterminismAcrossBatchingAndThreads runs both paths); the graph adds a
// fixed interpreter cost per op and step (BenchmarkGraphOverhead).

// kernelOp is a custom gorgonia Op running one exact kernel on [B][in]
// float32 matrices and producing a [B][cols] matrix.
type kernelOp struct {
	name  string
	arity int
	rows  int // B
	cols  int // output width
	fn    func(in [][]float32) []float32
	views denseViews // the float32 backing of every Dense the graph made

	in     [][]float32   // reused input views
	out    *tensor.Dense // reused output header while the backing array stays
	outBuf []float32     // its backing
}

// denseViews remembers the []float32 behind each Dense the graph creates, so
// ops read their inputs without tensor's reflection-based Data().
type denseViews map[*tensor.Dense][]float32

// wrap makes a Dense over buf and remembers it; old (a Dense it replaces,
// or nil) is forgotten.
func (d denseViews) wrap(old *tensor.Dense, rows, cols int, buf []float32) *tensor.Dense {
	if old != nil {
		delete(d, old)
	}
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(buf))
	d[t] = buf
	return t
}

func (d denseViews) view(v G.Value) ([]float32, bool) {
	if t, ok := v.(*tensor.Dense); ok {
		if b, ok := d[t]; ok {
			return b, true
		}
	}
	b, ok := v.Data().([]float32)
	return b, ok
}

var matF32 = G.TensorType{Dims: 2, Of: G.Float32}

func (o *kernelOp) Arity() int { return o.arity }

func (o *kernelOp) Type() hm.Type {
	ts := make([]hm.Type, o.arity+1)
	for i := range ts {
		ts[i] = matF32
	}
	return hm.NewFnType(ts...)
}

func (o *kernelOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{o.rows, o.cols}, nil
}

func (o *kernelOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != o.arity {
		return nil, fmt.Errorf("%s: %d inputs, want %d", o.name, len(vals), o.arity)
	}
	if o.in == nil {
		o.in = make([][]float32, o.arity)
	}
	for i, v := range vals {
		d, ok := o.views.view(v)
		if !ok {
			return nil, fmt.Errorf("%s: input %d is %T, want []float32", o.name, i, v.Data())
		}
		o.in[i] = d
	}
	out := o.fn(o.in)[:o.rows*o.cols]
	if o.out != nil && &o.outBuf[0] == &out[0] {
		return o.out, nil
	}
	o.out, o.outBuf = o.views.wrap(o.out, o.rows, o.cols, out), out
	return o.out, nil
}

func (o *kernelOp) ReturnsPtr() bool     { return false }
func (o *kernelOp) CallsExtern() bool    { return false }
func (o *kernelOp) OverwritesInput() int { return -1 }
func (o *kernelOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "ganglion.%s(%p)", o.name, o)
}
func (o *kernelOp) Hashcode() uint32 {
	h := fnv.New32a()
	o.WriteHash(h)
	return h.Sum32()
}
func (o *kernelOp) String() string { return o.name }

// graphRunner is one compiled graph for a batch size.
type graphRunner struct {
	g      *G.ExprGraph
	x      *G.Node // input: embeddings [B][Dim]
	logits *G.Node // output: [B][Vocab] (rows that asked for logits)
	vm     G.VM
	views  denseViews
	xDense *tensor.Dense // the Dense last bound to x
}

// denseWeights wraps a weight matrix as a tensor.Dense without copying:
// float32 [Rows][Cols] for F32, bytes [Rows][row bytes] otherwise.
func denseWeights(k *matKernel) *tensor.Dense {
	if k.f32 != nil {
		return tensor.New(tensor.WithShape(k.m.Rows, k.m.Cols), tensor.WithBacking(k.f32))
	}
	return tensor.New(tensor.WithShape(k.m.Rows, k.rb), tensor.WithBacking(k.m.Data))
}

// buildGraph makes the forward graph for batches of B rows of which L ask
// for logits.
func (w *Worker) buildGraph(B, L int) (*graphRunner, error) {
	c := w.e.cfg
	g := G.NewGraph()
	r := &graphRunner{g: g, views: denseViews{}}
	r.x = G.NewMatrix(g, G.Float32, G.WithShape(B, c.Dim), G.WithName("x"))
	var err error
	apply := func(name string, cols int, fn func(in [][]float32) []float32, in ...*G.Node) *G.Node {
		if err != nil {
			return nil
		}
		var n *G.Node
		n, err = G.ApplyOp(&kernelOp{name: name, arity: len(in), rows: B, cols: cols, fn: fn, views: r.views}, in...)
		return n
	}
	matmul := func(name string, k *matKernel, out *[]float32, x *G.Node) *G.Node {
		// the op reads the weights through their Dense (its backing,
		// taken once: tensor's Data() uses reflection)
		wd := denseWeights(k)
		kk := *k
		if kk.f32 != nil {
			kk.f32 = wd.Data().([]float32)
		} else {
			kk.m = &Matrix{DType: k.m.DType, Rows: k.m.Rows, Cols: k.m.Cols, Data: wd.Data().([]byte)}
		}
		return apply(name, k.m.Rows, func(in [][]float32) []float32 {
			w.matmul(&kk, in[0], *out)
			return *out
		}, x)
	}
	x := r.x
	for l := range w.e.layers {
		lk, lw := &w.e.layers[l], &w.e.w.Layers[l]
		p := fmt.Sprintf("l%d.", l)
		n := apply(p+"attn_norm", c.Dim, func(in [][]float32) []float32 {
			w.rmsnorm(w.xb, in[0], lw.AttnNorm)
			return w.xb
		}, x)
		q := matmul(p+"wq", lk.q, &w.q, n)
		k := matmul(p+"wk", lk.k, &w.k, n)
		v := matmul(p+"wv", lk.v, &w.v, n)
		a := apply(p+"attention", c.Dim, func([][]float32) []float32 {
			w.rope()
			w.storeKV(l)
			w.attention(l)
			return w.xb2
		}, q, k, v)
		o := matmul(p+"wo", lk.o, &w.xb, a)
		x = apply(p+"residual1", c.Dim, func(in [][]float32) []float32 {
			addInto(in[0], in[1])
			return in[0]
		}, x, o)
		n = apply(p+"ffn_norm", c.Dim, func(in [][]float32) []float32 {
			w.rmsnorm(w.xb, in[0], lw.FFNNorm)
			return w.xb
		}, x)
		gate := matmul(p+"w1", lk.gate, &w.hb, n)
		up := matmul(p+"w3", lk.up, &w.hb2, n)
		h := apply(p+"swiglu", c.Hidden, func(in [][]float32) []float32 {
			swiglu(in[0], in[1])
			return in[0]
		}, gate, up)
		d := matmul(p+"w2", lk.down, &w.xb, h)
		x = apply(p+"residual2", c.Dim, func(in [][]float32) []float32 {
			addInto(in[0], in[1])
			return in[0]
		}, x, d)
	}
	var cls *G.Node
	if err == nil {
		// the classifier's output is [L][Vocab]: only the rows that asked
		// for logits, freshly allocated each run and handed to the caller
		cls, err = G.ApplyOp(&kernelOp{name: "classifier", arity: 1, rows: max(L, 1), cols: c.Vocab, views: r.views, fn: func(in [][]float32) []float32 {
			out := make([]float32, max(L, 1)*c.Vocab)
			w.classifyInto(in[0], out)
			return out
		}}, x)
	}
	r.logits = cls
	if err != nil {
		return nil, fmt.Errorf("build graph: %w", err)
	}
	r.vm = G.NewTapeMachine(g)
	return r, nil
}

// forwardGraph runs the prepared step through the worker's graph for this
// batch size.
func (w *Worker) forwardGraph() ([][]float32, error) {
	B, L := len(w.rows), 0
	for _, row := range w.rows {
		if row.Logits {
			L++
		}
	}
	key := [2]int{B, L}
	if w.graphs == nil || len(w.graphs) > 16 {
		w.graphs = map[[2]int]*graphRunner{}
	}
	r := w.graphs[key]
	if r == nil {
		var err error
		if r, err = w.buildGraph(B, L); err != nil {
			return nil, err
		}
		w.graphs[key] = r
	}
	c := w.e.cfg
	r.xDense = r.views.wrap(r.xDense, B, c.Dim, w.x)
	if err := G.Let(r.x, r.xDense); err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	defer r.vm.Reset()
	if err := r.vm.RunAll(); err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	out, ok := r.views.view(r.logits.Value())
	if !ok {
		return nil, fmt.Errorf("graph: classifier output is %T", r.logits.Value().Data())
	}
	logits := make([][]float32, B)
	i := 0 // the classifier packs the rows that asked for logits
	for b, row := range w.rows {
		if row.Logits {
			logits[b] = out[i*c.Vocab : (i+1)*c.Vocab : (i+1)*c.Vocab]
			i++
		}
	}
	return logits, nil
}
