package scoring

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Outcome is what became of one query sent to a miner.
type Outcome uint8

// Outcomes. Only OK responses are checked for correctness; the others score
// zero and count against availability.
const (
	OK          Outcome = iota // a receipt arrived and was verified (exactly or not)
	Timeout                    // no complete answer before the deadline
	Busy                       // the miner answered busy (back-pressure)
	Unreachable                // no stream could be opened, or it broke mid-answer
	BadReceipt                 // wrong signature, wrong model id, malformed
)

var outcomeNames = [...]string{OK: "ok", Timeout: "timeout", Busy: "busy", Unreachable: "unreachable", BadReceipt: "bad_receipt"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", o)
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads an outcome's name as written by MarshalText.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if n == string(b) {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("scoring: unknown outcome %q", b)
}

// Response is what a validator measured about one answer.
type Response struct {
	Outcome Outcome
	// Exact is true when re-execution reproduced every checked logits digest
	// and every sampled token follows from the logits and the seed.
	Exact bool
	// FirstDivergence is the first position whose digest or token did not
	// match, or -1.
	FirstDivergence int
	// TTFT is the time from sending the query to the first token.
	TTFT time.Duration
	// Tokens is the number of generated tokens; Duration the time from the
	// first to the last of them.
	Tokens   int
	Duration time.Duration
}

// Params tunes Score. The reference values are what a healthy miner on the
// subnet's reference hardware achieves; a miner exactly at the reference
// gets 0.5 on that term, a much faster one approaches 1.
type Params struct {
	RefTTFT       time.Duration // reference time to first token
	RefTokensPerS float64       // reference generation speed
	SpeedWeight   float64       // share of the score given to speed, in [0,1]; the rest is flat reward for a correct answer
	LatencyShare  float64       // share of the speed part given to TTFT, in [0,1]; the rest to tokens/s
	BusyCredit    float64       // score of a busy answer, in [0,1): honest back-pressure is better than a timeout
}

// DefaultParams returns parameters for the CPU reference machine.
func DefaultParams() Params {
	return Params{RefTTFT: 250 * time.Millisecond, RefTokensPerS: 100, SpeedWeight: 0.5, LatencyShare: 0.5, BusyCredit: 0}
}

// Validate checks the parameters.
func (p Params) Validate() error {
	in01 := func(name string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("scoring: %s = %v, want a value in [0,1]", name, v)
		}
		return nil
	}
	if p.RefTTFT <= 0 || !(p.RefTokensPerS > 0) {
		return errors.New("scoring: reference TTFT and tokens/s must be positive")
	}
	if p.BusyCredit >= 1 {
		return fmt.Errorf("scoring: busy credit %v must be below 1", p.BusyCredit)
	}
	for _, e := range []error{in01("speed weight", p.SpeedWeight), in01("latency share", p.LatencyShare), in01("busy credit", p.BusyCredit)} {
		if e != nil {
			return e
		}
	}
	return nil
}

// Terms are the parts of one response's score, kept so that a score can be
// explained. Score = Availability × Correctness × ((1−w) + w·Speed).
type Terms struct {
	Outcome         Outcome `json:"outcome"`
	Availability    float64 `json:"availability"`
	Correctness     float64 `json:"correctness"`
	FirstDivergence int     `json:"first_divergence"`
	Latency         float64 `json:"latency"`
	Throughput      float64 `json:"throughput"`
	Speed           float64 `json:"speed"`
	Score           float64 `json:"score"`
}

// Score scores one response. A response that is not exact scores 0 whatever
// its speed: a wrong, copied or down-scaled answer earns nothing.
func Score(r Response, p Params) Terms {
	t := Terms{Outcome: r.Outcome, FirstDivergence: r.FirstDivergence}
	switch r.Outcome {
	case OK:
		t.Availability = 1
	case Busy:
		t.Availability = p.BusyCredit
		t.Score = p.BusyCredit
		return t
	default:
		return t
	}
	if !r.Exact {
		return t
	}
	t.Correctness = 1
	t.FirstDivergence = -1
	t.Latency = ratio(p.RefTTFT.Seconds(), r.TTFT.Seconds())
	tps := 0.0
	if r.Tokens > 1 && r.Duration > 0 {
		tps = float64(r.Tokens-1) / r.Duration.Seconds()
	} else if r.Tokens > 0 {
		tps = p.RefTokensPerS // a one-token answer says nothing about speed
	}
	t.Throughput = tps / (tps + p.RefTokensPerS)
	t.Speed = p.LatencyShare*t.Latency + (1-p.LatencyShare)*t.Throughput
	t.Score = t.Availability * t.Correctness * ((1 - p.SpeedWeight) + p.SpeedWeight*t.Speed)
	return t
}

// ratio maps a duration d against a reference to (0,1]: ref/(ref+d), which is
// 1 for an instant answer and 0.5 at the reference.
func ratio(ref, d float64) float64 {
	if d < 0 {
		d = 0
	}
	return ref / (ref + d)
}

// EMA is a miner's exponential moving average of response scores.
type EMA struct {
	Value float64 `json:"value"`
	N     uint64  `json:"n"` // responses folded in
}

// Update folds one score in with smoothing alpha ∈ (0,1]. The first score
// is taken as is, so a new miner is not dragged towards zero by history it
// does not have.
func (e EMA) Update(score, alpha float64) EMA {
	if e.N == 0 {
		return EMA{Value: score, N: 1}
	}
	return EMA{Value: alpha*score + (1-alpha)*e.Value, N: e.N + 1}
}

// Normalize returns scores divided by their sum (all zero if the sum is
// zero). Negative and NaN entries count as zero.
func Normalize(scores []float64) []float64 {
	out := make([]float64, len(scores))
	sum := 0.0
	for i, s := range scores {
		if s > 0 && !math.IsInf(s, 1) {
			out[i] = s
			sum += s
		}
	}
	if sum == 0 {
		return out
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
