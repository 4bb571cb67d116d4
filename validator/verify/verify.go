package verify

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
)

// Target is the miner a query was sent to and the seed it was given.
type Target struct {
	UID   uint16
	Miner common.Address
	Seed  uint64
}

// TargetOf finds miner among the query's targets.
func TargetOf(q *protocol.Query, miner common.Address) (Target, bool) {
	for _, t := range q.GetTargets() {
		if common.BytesToAddress(t.GetMiner()) == miner {
			return Target{UID: uint16(t.GetUid()), Miner: miner, Seed: t.GetSeed()}, true
		}
	}
	return Target{}, false
}

// Sampler is the sampler a target must use for q.
func Sampler(q *protocol.Query, seed uint64) models.Sampler {
	s := q.GetSampling()
	return models.Sampler{Temperature: s.GetTemperature(), TopK: int(s.GetTopK()), TopP: s.GetTopP(), Seed: seed}
}

// Options tune Check.
type Options struct {
	// Sample is how many generated positions to re-check (0: all).
	Sample int
	// PositionSeed picks the sampled positions (keep it secret from miners,
	// e.g. derived from the epoch secret and the query id).
	PositionSeed uint64
}

// Result is the verdict on one receipt.
type Result struct {
	Outcome         scoring.Outcome // OK or BadReceipt
	Exact           bool
	FirstDivergence int    // first generated position that failed, −1 if none
	Kind            string // what failed there (models.Mismatch*, "stop token"), or the reason of a BadReceipt
	Checked         int    // positions re-executed
	Tokens          int
	// Proven: the target itself signed this wrong answer (a divergence, or
	// a bad receipt past the signer checks: another query, prompt or model,
	// too many tokens, a malformed answer). An honest miner never does.
	Proven bool
}

// Response is the scoring input for this result with the timings the
// validator measured itself (receipt timings are the miner's claims).
func (r Result) Response(ttft, duration time.Duration) scoring.Response {
	return scoring.Response{Outcome: r.Outcome, Exact: r.Exact, FirstDivergence: r.FirstDivergence, TTFT: ttft, Tokens: r.Tokens, Duration: duration}
}

func bad(format string, a ...any) Result {
	return Result{Outcome: scoring.BadReceipt, FirstDivergence: -1, Kind: fmt.Sprintf(format, a...)}
}

// Check verifies receipt rc, signed by signer (the envelope's recovered
// signer), as target's answer to q, re-executing it on w. modelID is the
// model w runs. Malformed or foreign receipts give a BadReceipt result, a
// wrong answer an OK result that is not exact; err is only for failures of
// the validator itself.
func Check(w *models.Worker, modelID []byte, q *protocol.Query, target Target, signer common.Address, rc *protocol.Receipt, o Options) (Result, error) {
	res, err := check(w, modelID, q, target, signer, rc, o)
	signed := signer == target.Miner && common.BytesToAddress(rc.GetMiner()) == target.Miner && len(rc.GetMiner()) == 20
	res.Proven = err == nil && signed && (res.Outcome == scoring.BadReceipt || (res.Outcome == scoring.OK && !res.Exact))
	return res, err
}

func check(w *models.Worker, modelID []byte, q *protocol.Query, target Target, signer common.Address, rc *protocol.Receipt, o Options) (Result, error) {
	switch {
	case signer != target.Miner:
		return bad("signed by %s, not the target %s", signer, target.Miner), nil
	case common.BytesToAddress(rc.GetMiner()) != target.Miner || len(rc.GetMiner()) != 20:
		return bad("miner field %x is not the target", rc.GetMiner()), nil
	case !bytes.Equal(rc.GetQueryId(), q.GetQueryId()):
		return bad("query id %x, want %x", rc.GetQueryId(), q.GetQueryId()), nil
	case !bytes.Equal(rc.GetModelId(), q.GetModelId()) || !bytes.Equal(rc.GetModelId(), modelID):
		return bad("model id %x, want %x", rc.GetModelId(), modelID), nil
	case !slices.Equal(rc.GetPromptTokens(), q.GetPromptTokens()):
		return bad("prompt differs from the query's"), nil
	}
	n := len(rc.GetOutputTokens())
	if n == 0 || len(rc.GetLogitDigests()) != n || len(rc.GetRollingDigest()) != 32 {
		return bad("%d tokens, %d digests, %d-byte rolling digest", n, len(rc.GetLogitDigests()), len(rc.GetRollingDigest())), nil
	}
	if max := int(q.GetSampling().GetMaxTokens()); max > 0 && n > max {
		return bad("%d tokens, max_tokens %d", n, max), nil
	}
	mr := &models.Receipt{Sampler: Sampler(q, target.Seed)}
	for _, t := range rc.GetPromptTokens() {
		mr.Prompt = append(mr.Prompt, int(t))
	}
	for j, t := range rc.GetOutputTokens() {
		d := rc.GetLogitDigests()[j]
		if len(d) != 32 {
			return bad("digest %d has %d bytes", j, len(d)), nil
		}
		mr.Tokens = append(mr.Tokens, int(t))
		mr.Digests = append(mr.Digests, [32]byte(d))
	}
	mr.Rolling = [32]byte(rc.GetRollingDigest())
	res := Result{Outcome: scoring.OK, FirstDivergence: -1, Tokens: n}
	// A stop token before the end means the miner did not stop when it
	// should have: everything after it is not the answer.
	for j, t := range rc.GetOutputTokens()[:n-1] {
		if slices.Contains(q.GetSampling().GetStopTokenIds(), t) {
			res.FirstDivergence, res.Kind = j+1, "stop token"
			break
		}
	}
	var pos []int
	if o.Sample > 0 && o.Sample < n {
		pos = models.SamplePositions(n, o.Sample, o.PositionSeed)
	}
	vr, err := w.Verify(mr, pos)
	if err != nil {
		// The receipt does not fit the model (bad token ids, too long):
		// it cannot be an honest answer.
		return bad("re-execution: %v", err), nil
	}
	res.Checked = vr.Checked
	if !vr.OK && (res.FirstDivergence < 0 || vr.Position < res.FirstDivergence) {
		res.FirstDivergence, res.Kind = vr.Position, vr.Kind
	}
	res.Exact = res.FirstDivergence < 0
	return res, nil
}
