package scoring

import (
	"math"
	"testing"
	"time"
)

func exact(ttft time.Duration, tokens int, dur time.Duration) Response {
	return Response{Outcome: OK, Exact: true, FirstDivergence: -1, TTFT: ttft, Tokens: tokens, Duration: dur}
}

func TestScoreOrdering(t *testing.T) {
	p := DefaultParams()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	fast := Score(exact(50*time.Millisecond, 65, 400*time.Millisecond), p)
	ref := Score(exact(p.RefTTFT, 101, time.Second), p)
	slow := Score(exact(5*p.RefTTFT, 101, 5*time.Second), p)
	wrong := Score(Response{Outcome: OK, Exact: false, FirstDivergence: 3, TTFT: time.Millisecond, Tokens: 64, Duration: time.Millisecond}, p)
	timeout := Score(Response{Outcome: Timeout}, p)
	busy := Score(Response{Outcome: Busy}, p)

	if !(fast.Score > ref.Score && ref.Score > slow.Score && slow.Score > 0) {
		t.Fatalf("want fast > ref > slow > 0: %v %v %v", fast.Score, ref.Score, slow.Score)
	}
	if math.Abs(ref.Latency-0.5) > 1e-12 || math.Abs(ref.Throughput-0.5) > 1e-12 || math.Abs(ref.Score-0.75) > 1e-12 {
		t.Fatalf("a reference miner should get 0.5 per speed term and 0.75 overall: %+v", ref)
	}
	if wrong.Score != 0 || wrong.Correctness != 0 || wrong.FirstDivergence != 3 || wrong.Availability != 1 {
		t.Fatalf("an inexact answer must score 0 and keep its divergence: %+v", wrong)
	}
	if timeout.Score != 0 || timeout.Availability != 0 || busy.Score != 0 {
		t.Fatalf("timeout %+v busy %+v", timeout, busy)
	}
	p.BusyCredit = 0.1
	if b := Score(Response{Outcome: Busy}, p); b.Score != 0.1 {
		t.Fatalf("busy credit not applied: %+v", b)
	}
}

func TestScoreBounds(t *testing.T) {
	p := DefaultParams()
	for _, r := range []Response{
		exact(0, 0, 0), exact(-time.Second, 1, 0), exact(time.Hour, 2, time.Hour), exact(time.Nanosecond, 1000, time.Nanosecond),
	} {
		s := Score(r, p)
		if !(s.Score >= 0 && s.Score <= 1) || math.IsNaN(s.Score) {
			t.Fatalf("%+v scored %+v", r, s)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	bad := []Params{
		{RefTTFT: 0, RefTokensPerS: 1},
		{RefTTFT: time.Second, RefTokensPerS: 0},
		{RefTTFT: time.Second, RefTokensPerS: 1, SpeedWeight: 1.5},
		{RefTTFT: time.Second, RefTokensPerS: 1, LatencyShare: -0.1},
		{RefTTFT: time.Second, RefTokensPerS: 1, BusyCredit: 1},
	}
	for _, p := range bad {
		if p.Validate() == nil {
			t.Errorf("%+v: want an error", p)
		}
	}
}

func TestEMA(t *testing.T) {
	var e EMA
	e = e.Update(0.8, 0.1)
	if e.Value != 0.8 || e.N != 1 {
		t.Fatalf("first update should take the score: %+v", e)
	}
	// a miner that is offline half the time converges near half its score
	for i := 0; i < 2000; i++ {
		s := 0.8
		if i%2 == 1 {
			s = 0
		}
		e = e.Update(s, 0.05)
	}
	if math.Abs(e.Value-0.4) > 0.02 {
		t.Fatalf("alternating 0.8/0 should average ≈0.4, got %v", e.Value)
	}
}

func TestNormalize(t *testing.T) {
	got := Normalize([]float64{1, 3, -2, math.NaN(), 0})
	want := []float64{0.25, 0.75, 0, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v want %v", got, want)
		}
	}
	if z := Normalize([]float64{0, -1}); z[0] != 0 || z[1] != 0 {
		t.Fatalf("zero sum: %v", z)
	}
}

func TestOutcomeTextRoundTrip(t *testing.T) {
	for o := OK; o <= BadReceipt; o++ {
		b, err := o.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Outcome
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Fatalf("%v: round trip = %v, %v", o, back, err)
		}
	}
	var o Outcome
	if err := o.UnmarshalText([]byte("nonsense")); err == nil {
		t.Fatal("unknown outcome accepted")
	}
}
