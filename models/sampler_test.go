package models

import (
	"math"
	"testing"
)

func TestUniformIsInRangeAndSpread(t *testing.T) {
	var sum float64
	seen := map[float32]bool{}
	for i := 0; i < 10000; i++ {
		u := Uniform(123, i)
		if !(u >= 0 && u < 1) {
			t.Fatalf("Uniform = %g outside [0,1)", u)
		}
		sum += float64(u)
		seen[u] = true
	}
	if m := sum / 10000; math.Abs(m-0.5) > 0.02 || len(seen) < 9990 {
		t.Fatalf("mean %g, %d distinct", m, len(seen))
	}
	if Uniform(1, 5) == Uniform(2, 5) || Uniform(1, 5) == Uniform(1, 6) {
		t.Fatal("seed and position must both matter")
	}
}

func TestSampler(t *testing.T) {
	logits := []float32{1, 3, 3, 0.5, -2, 2.9}
	if got := (Sampler{}).Sample(logits, 0); got != 1 {
		t.Fatalf("greedy picked %d, want 1 (lowest index of the maxima)", got)
	}
	if got := (Sampler{Temperature: 1, TopK: 1, Seed: 9}).Sample(logits, 3); got != 1 {
		t.Fatalf("top-k 1 picked %d", got)
	}
	count := func(s Sampler) map[int]int {
		c := map[int]int{}
		for p := 0; p < 20000; p++ {
			c[s.Sample(logits, p)]++
		}
		return c
	}
	// temperature 1: frequencies follow the softmax
	c := count(Sampler{Temperature: 1, Seed: 5})
	var z float64
	for _, l := range logits {
		z += math.Exp(float64(l))
	}
	for i, l := range logits {
		want := math.Exp(float64(l)) / z
		if got := float64(c[i]) / 20000; math.Abs(got-want) > 0.015 {
			t.Errorf("token %d: frequency %.3f, softmax %.3f", i, got, want)
		}
	}
	// top-k 3 only ever picks the three largest
	for tok := range count(Sampler{Temperature: 1, TopK: 3, Seed: 5}) {
		if tok != 1 && tok != 2 && tok != 5 {
			t.Errorf("top-k 3 picked %d", tok)
		}
	}
	// top-p 0.5: 1 and 2 hold ≈0.34 each, so the nucleus is {1, 2}
	for tok := range count(Sampler{Temperature: 1, TopP: 0.5, Seed: 5}) {
		if tok != 1 && tok != 2 {
			t.Errorf("top-p 0.5 picked %d", tok)
		}
	}
	// reproducible from (logits, seed, position)
	s := Sampler{Temperature: 0.8, TopP: 0.9, TopK: 4, Seed: 77}
	for p := 0; p < 100; p++ {
		if s.Sample(logits, p) != s.Sample(append([]float32(nil), logits...), p) {
			t.Fatal("not reproducible")
		}
	}
	for _, bad := range []Sampler{{Temperature: -1}, {TopK: -1}, {TopP: 1.5}, {Temperature: float32(math.NaN())}} {
		if bad.Validate() == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
