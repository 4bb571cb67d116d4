package models

import (
	"fmt"
	"sort"
)

// Sampler chooses the next token from a logits vector. Its result is a pure
// function of (logits, Sampler, position): a validator recomputes it from the
// logits and the seed.
//
// Algorithm (all in float32, fixed order):
//  1. Temperature 0, or TopK 1: greedy, the lowest index among the maxima.
//  2. x_i = logit_i / Temperature.
//  3. TopK > 0: the candidates are the K largest x (ties: lower index
//     first), in that order; otherwise every token in index order.
//  4. Softmax over the candidates in candidate order (maximum subtracted,
//     the engine's portable exp, sum in order, each divided by the sum).
//  5. 0 < TopP < 1: candidates with p < (1−TopP)/(n−1) are dropped (they can
//     never be in the nucleus), the rest sorted by p descending (ties: lower
//     index first), and the shortest prefix whose running sum reaches TopP
//     is kept.
//  6. u = Uniform(Seed, position); r = u · (sum of the kept p); the first
//     kept candidate whose running sum exceeds r is the token (the last one
//     if rounding leaves r beyond every sum).
type Sampler struct {
	Temperature float32 // 0 means greedy
	TopK        int     // 0 means no top-k cut
	TopP        float32 // 0 or ≥ 1 means no nucleus cut
	Seed        uint64
}

// Validate checks the sampler's parameters.
func (s Sampler) Validate() error {
	switch {
	case !(s.Temperature >= 0) || s.Temperature > 1e4:
		return fmt.Errorf("sampler: temperature %g must be in [0, 10000]", s.Temperature)
	case s.TopK < 0:
		return fmt.Errorf("sampler: top-k %d must not be negative", s.TopK)
	case !(s.TopP >= 0) || s.TopP > 1:
		return fmt.Errorf("sampler: top-p %g must be in [0, 1]", s.TopP)
	}
	return nil
}

// Uniform is the sampler's random number for a position: splitmix64 of
// seed + (position+1)·0x9E3779B97F4A7C15, whose top 24 bits give a float32
// in [0, 1). The same (seed, position) gives the same number everywhere,
// and positions are independent of each other.
func Uniform(seed uint64, position int) float32 {
	z := seed + uint64(position+1)*0x9E3779B97F4A7C15
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	z ^= z >> 31
	return float32(z>>40) / (1 << 24)
}

// Argmax is the lowest index of the largest value.
func Argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// Sample picks the token at position (the absolute index in the sequence of
// the token being chosen) from logits.
func (s Sampler) Sample(logits []float32, position int) int {
	if s.Temperature == 0 || s.TopK == 1 || len(logits) == 1 {
		return Argmax(logits)
	}
	type cand struct {
		id int
		v  float32
	}
	cs := make([]cand, len(logits))
	for i, l := range logits {
		cs[i] = cand{i, l / s.Temperature}
	}
	if s.TopK > 0 && s.TopK < len(cs) {
		sort.Slice(cs, func(a, b int) bool {
			if cs[a].v != cs[b].v {
				return cs[a].v > cs[b].v
			}
			return cs[a].id < cs[b].id
		})
		cs = cs[:s.TopK]
	}
	m := cs[0].v
	for _, c := range cs[1:] {
		if c.v > m {
			m = c.v
		}
	}
	var sum float32
	for i := range cs {
		e := expf(cs[i].v - m)
		cs[i].v = e
		sum = sum + e
	}
	for i := range cs {
		cs[i].v = cs[i].v / sum
	}
	mass := float32(1)
	if s.TopP > 0 && s.TopP < 1 && len(cs) > 1 {
		cut := (1 - s.TopP) / float32(len(cs)-1)
		kept := cs[:0:0]
		for _, c := range cs {
			if c.v >= cut {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			kept = cs
		}
		sort.Slice(kept, func(a, b int) bool {
			if kept[a].v != kept[b].v {
				return kept[a].v > kept[b].v
			}
			return kept[a].id < kept[b].id
		})
		var cum float32
		n := len(kept)
		for i, c := range kept {
			cum = cum + c.v
			if cum >= s.TopP {
				n = i + 1
				break
			}
		}
		cs, mass = kept[:n], cum
	} else {
		mass = 0
		for _, c := range cs {
			mass = mass + c.v
		}
	}
	r := Uniform(s.Seed, position) * mass
	var cum float32
	for _, c := range cs {
		cum = cum + c.v
		if r < cum {
			return c.id
		}
	}
	return cs[len(cs)-1].id
}
