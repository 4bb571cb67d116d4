package models

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// LogitsDigest is sha256 over the little-endian IEEE float32 bits of the
// whole logits vector. Every NaN is hashed as the canonical quiet NaN
// 0x7fc00000, since architectures differ in the NaN payloads they produce.
func LogitsDigest(logits []float32) [32]byte {
	h := sha256.New()
	var buf [4096]byte
	for len(logits) > 0 {
		n := min(len(logits), len(buf)/4)
		for i, v := range logits[:n] {
			bits := math.Float32bits(v)
			if v != v {
				bits = 0x7fc00000
			}
			binary.LittleEndian.PutUint32(buf[4*i:], bits)
		}
		h.Write(buf[:4*n])
		logits = logits[n:]
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// RollHash extends the rolling hash of a generated sequence by one position:
// next = sha256(prev ‖ uint32le(token) ‖ digest), starting from 32 zero
// bytes. It binds every token and every logits digest in order.
func RollHash(prev [32]byte, token int, digest [32]byte) [32]byte {
	var b [68]byte
	copy(b[:32], prev[:])
	binary.LittleEndian.PutUint32(b[32:], uint32(token))
	copy(b[36:], digest[:])
	return sha256.Sum256(b[:])
}

// Receipt records a generation so that anyone with the model can check it.
type Receipt struct {
	Prompt  []int      // input tokens (BOS first)
	Tokens  []int      // generated tokens, including a final stop token
	Digests [][32]byte // Digests[j]: LogitsDigest of the logits Tokens[j] was sampled from
	Rolling [32]byte   // RollHash chained over (Tokens[j], Digests[j])
	Sampler Sampler
}

// GenerateOptions bound a generation.
type GenerateOptions struct {
	Sampler   Sampler
	MaxTokens int   // generated tokens at most (0: until the context is full)
	Stop      []int // tokens that end the generation (they are recorded in the receipt)
}

// Generate prefills prompt in one batched step, then decodes token by token,
// calling emit (if not nil) for each generated token; it stops at a stop
// token, after MaxTokens, or when the context is full.
func (w *Worker) Generate(prompt []int, opt GenerateOptions, emit func(token int) error) (*Receipt, error) {
	if len(prompt) == 0 {
		return nil, errors.New("generate: empty prompt (start with BOS)")
	}
	if err := opt.Sampler.Validate(); err != nil {
		return nil, err
	}
	s := w.e.NewSession()
	rows := make([]Row, len(prompt))
	for i, t := range prompt {
		rows[i] = Row{Session: s, Token: t, Logits: i == len(prompt)-1}
	}
	r := &Receipt{Prompt: slices.Clone(prompt), Sampler: opt.Sampler}
	logits, err := w.Forward(rows)
	if err != nil {
		return nil, fmt.Errorf("generate: prefill: %w", err)
	}
	last := logits[len(logits)-1]
	for {
		d := LogitsDigest(last)
		tok := opt.Sampler.Sample(last, s.Pos())
		r.Tokens = append(r.Tokens, tok)
		r.Digests = append(r.Digests, d)
		r.Rolling = RollHash(r.Rolling, tok, d)
		if emit != nil {
			if err := emit(tok); err != nil {
				return r, err
			}
		}
		if slices.Contains(opt.Stop, tok) || (opt.MaxTokens > 0 && len(r.Tokens) >= opt.MaxTokens) || s.Pos() >= w.e.cfg.SeqLen {
			return r, nil
		}
		logits, err = w.Forward([]Row{{Session: s, Token: tok, Logits: true}})
		if err != nil {
			return r, fmt.Errorf("generate: step %d: %w", len(r.Tokens), err)
		}
		last = logits[0]
	}
}

// Mismatch kinds reported by Verify.
const (
	MismatchDigest = "logits digest"
	MismatchToken  = "sampled token"
	MismatchRoll   = "rolling hash"
)

// VerifyResult says whether a receipt checks out.
type VerifyResult struct {
	OK       bool
	Position int    // first mismatching generated position (index into Tokens), −1 if none
	Kind     string // what mismatched at Position
	Checked  int    // positions recomputed
}

// Verify recomputes a receipt with one teacher-forced batched pass over
// prompt + generated tokens (every position as one row of a matrix product,
// bit-identical to step-by-step decoding) and reports the first generated
// position whose logits digest or sampled token differs. positions selects
// which generated positions to check (indices into r.Tokens, e.g. from
// SamplePositions); nil checks all of them. The rolling hash is always
// checked against the receipt's tokens and digests. A malformed receipt
// (bad token ids, too long, bad sampler) is an error, never a panic.
func (w *Worker) Verify(r *Receipt, positions []int) (VerifyResult, error) {
	n := len(r.Tokens)
	if len(r.Prompt) == 0 || n == 0 || len(r.Digests) != n {
		return VerifyResult{}, fmt.Errorf("verify: malformed receipt (%d prompt tokens, %d tokens, %d digests)", len(r.Prompt), n, len(r.Digests))
	}
	if err := r.Sampler.Validate(); err != nil {
		return VerifyResult{}, fmt.Errorf("verify: %w", err)
	}
	if len(r.Prompt)+n-1 > w.e.cfg.SeqLen {
		return VerifyResult{}, fmt.Errorf("verify: %d positions: %w", len(r.Prompt)+n-1, ErrContextFull)
	}
	check := make([]bool, n)
	if positions == nil {
		for j := range check {
			check[j] = true
		}
	}
	for _, j := range positions {
		if j < 0 || j >= n {
			return VerifyResult{}, fmt.Errorf("verify: position %d outside 0..%d", j, n-1)
		}
		check[j] = true
	}
	s := w.e.NewSession()
	P := len(r.Prompt)
	rows := make([]Row, 0, P+n-1)
	for i, t := range r.Prompt {
		rows = append(rows, Row{Session: s, Token: t, Logits: i == P-1 && check[0]})
	}
	for j, t := range r.Tokens[:n-1] {
		rows = append(rows, Row{Session: s, Token: t, Logits: check[j+1]})
	}
	logits, err := w.Forward(rows)
	if err != nil {
		return VerifyResult{}, fmt.Errorf("verify: %w", err)
	}
	// Check the positions on the worker's threads (each check is
	// independent), then report the first mismatch in position order.
	kind := make([]string, n)
	w.parallel(n, n*w.e.cfg.Vocab*8, func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			if !check[j] {
				continue
			}
			l := logits[P-1+j]
			switch {
			case LogitsDigest(l) != r.Digests[j]:
				kind[j] = MismatchDigest
			case r.Sampler.Sample(l, P+j) != r.Tokens[j]:
				kind[j] = MismatchToken
			}
		}
	})
	res := VerifyResult{OK: true, Position: -1}
	for j := 0; j < n; j++ {
		if !check[j] {
			continue
		}
		res.Checked++
		if kind[j] != "" {
			return VerifyResult{Position: j, Kind: kind[j], Checked: res.Checked}, nil
		}
	}
	var roll [32]byte
	for j := range r.Tokens {
		roll = RollHash(roll, r.Tokens[j], r.Digests[j])
	}
	if roll != r.Rolling {
		return VerifyResult{Position: n - 1, Kind: MismatchRoll, Checked: res.Checked}, nil
	}
	return res, nil
}

// SamplePositions picks k distinct positions of n (sorted), determined by
// seed (e.g. a validator's challenge), with the sampler's splitmix64.
func SamplePositions(n, k int, seed uint64) []int {
	if k >= n {
		k = n
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < k; i++ { // partial Fisher–Yates
		j := i + int(float64(Uniform(seed, i))*float64(n-i))
		idx[i], idx[j] = idx[j], idx[i]
	}
	out := idx[:k]
	slices.Sort(out)
	return out
}
