package validator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/verify"
)

// ProberConfig tunes probing.
type ProberConfig struct {
	ModelID   []byte            // 32-byte id of the model the worker runs
	Tokenizer *models.Tokenizer // nil: prompts are random token ids
	BOS       int               // first prompt token
	Vocab     int               // model vocabulary (token-id prompts)
	Stop      []int             // stop tokens put in every query
	Sampling  challenge.SamplingOptions
	Timeout   time.Duration // per probe (default 30 s)
	Verify    verify.Options
	Params    scoring.Params
	Alpha     float64 // EMA smoothing (default 0.1)
	Metrics   *Metrics
}

// Prober sends one challenge at a time to one miner, verifies the answer
// and folds its score into the store.
type Prober struct {
	node   *p2p.Node
	worker *models.Worker
	st     *store.Store
	nonce  challenge.Secret
	cfg    ProberConfig
	log    *zap.Logger
}

// NewProber returns a prober. nonce is the secret the per-miner seeds come
// from (keep it in memory only; a fresh one per process is fine).
func NewProber(node *p2p.Node, w *models.Worker, st *store.Store, nonce challenge.Secret, cfg ProberConfig, log *zap.Logger) *Prober {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Alpha <= 0 || cfg.Alpha > 1 {
		cfg.Alpha = 0.1
	}
	if cfg.Params == (scoring.Params{}) {
		cfg.Params = scoring.DefaultParams()
	}
	if len(cfg.Sampling.Temperatures) == 0 && cfg.Sampling.MaxTokens == 0 {
		cfg.Sampling = challenge.DefaultSamplingOptions()
	}
	if log == nil {
		log = zap.NewNop()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NopMetrics()
	}
	return &Prober{node: node, worker: w, st: st, nonce: nonce, cfg: cfg, log: log.Named("probe")}
}

// Query builds probe i of the epoch with secret s for miner at uid.
func (p *Prober) Query(s challenge.Secret, i uint64, uid uint16, miner common.Address, now time.Time) *protocol.Query {
	qid := challenge.QueryID(s, i)
	set := challenge.Settings(s, i, p.cfg.Sampling)
	var prompt []int
	if p.cfg.Tokenizer != nil {
		prompt = p.cfg.Tokenizer.Encode(challenge.Prompt(s, i), true, false)
	} else {
		prompt = challenge.PromptTokens(s, i, p.cfg.BOS, min(3, p.cfg.Vocab-1), p.cfg.Vocab, 8+int(qid[0])%9)
	}
	q := &protocol.Query{
		QueryId: qid, Sender: p.node.Address().Bytes(), ModelId: p.cfg.ModelID,
		Sampling:   &protocol.SamplingParams{Temperature: set.Temperature, TopP: set.TopP, TopK: uint32(set.TopK), MaxTokens: uint32(set.MaxTokens)},
		Targets:    []*protocol.Target{{Uid: uint32(uid), Miner: miner.Bytes(), Seed: challenge.MinerSeed(p.nonce, miner, qid)}},
		DeadlineMs: now.Add(p.cfg.Timeout).UnixMilli(), TimestampMs: now.UnixMilli(),
	}
	for _, t := range prompt {
		q.PromptTokens = append(q.PromptTokens, uint32(t))
	}
	for _, t := range p.cfg.Stop {
		q.Sampling.StopTokenIds = append(q.Sampling.StopTokenIds, uint32(t))
	}
	return q
}

// Outcome is what one probe measured.
type Outcome struct {
	Result verify.Result
	Terms  scoring.Terms
	Score  store.MinerScore
}

// Probe runs probe i for (uid, miner), records the score and returns it.
func (p *Prober) Probe(ctx context.Context, s challenge.Secret, i uint64, uid uint16, miner common.Address) (Outcome, error) {
	q := p.Query(s, i, uid, miner, time.Now())
	target, _ := verify.TargetOf(q, miner)
	res, ttft, dur, err := p.ask(ctx, q, target)
	if err != nil {
		return Outcome{}, err
	}
	terms := scoring.Score(res.Response(ttft, dur), p.cfg.Params)
	alpha := p.cfg.Alpha
	p.cfg.Metrics.Probes.WithLabelValues(terms.Outcome.String()).Inc()
	if res.Outcome == scoring.OK && !res.Exact {
		p.cfg.Metrics.Divergences.Inc()
	}
	if res.Proven {
		// Exact re-execution never fails for an honest miner, and an honest
		// miner never signs a receipt for another query or prompt or with
		// more tokens than asked: a proven wrong answer wipes the score.
		alpha = 1
	}
	ms, err := p.st.RecordScore(miner, uid, terms, alpha, time.Now())
	if err != nil {
		return Outcome{}, err
	}
	p.log.Debug("probe", zap.Uint16("uid", uid), zap.Stringer("outcome", terms.Outcome), zap.Float64("score", terms.Score), zap.Int("first_divergence", res.FirstDivergence))
	return Outcome{Result: res, Terms: terms, Score: ms}, nil
}

// ask publishes q and reads the target's stream. Failures of the miner are
// results; err is only for the validator's own failures.
func (p *Prober) ask(ctx context.Context, q *protocol.Query, target verify.Target) (verify.Result, time.Duration, time.Duration, error) {
	none := func(o scoring.Outcome, why string) verify.Result {
		return verify.Result{Outcome: o, FirstDivergence: -1, Kind: why}
	}
	resp, err := p.node.Await(q.QueryId, 1)
	if err != nil {
		return verify.Result{}, 0, 0, fmt.Errorf("validator: await: %w", err)
	}
	defer resp.Close()
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	start := time.Now()
	if _, err := p.node.Publish(ctx, q); err != nil {
		return verify.Result{}, 0, 0, fmt.Errorf("validator: publish query: %w", err)
	}
	var st *p2p.InferStream
	select {
	case st = <-resp.Streams():
	case <-ctx.Done():
		return none(scoring.Timeout, "no stream"), 0, 0, nil
	}
	if st == nil {
		return none(scoring.Unreachable, "no stream"), 0, 0, nil
	}
	defer st.Close()
	if st.Miner != target.Miner {
		return none(scoring.BadReceipt, "stream from another peer"), 0, 0, nil
	}
	var ttft, first time.Duration = -1, 0
	for {
		f, err := st.Next(ctx)
		if errors.Is(err, io.EOF) {
			return none(scoring.Unreachable, "stream ended"), 0, 0, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return none(scoring.Timeout, err.Error()), 0, 0, nil
			}
			return none(scoring.Unreachable, err.Error()), 0, 0, nil
		}
		now := time.Since(start)
		switch f.Type {
		case protocol.FrameChunk:
			if ttft < 0 {
				ttft, first = now, now
			}
		case protocol.FrameReject:
			if f.Reject.GetReason() == protocol.RejectReason_REJECT_REASON_BUSY || f.Reject.GetReason() == protocol.RejectReason_REJECT_REASON_RATE_LIMITED {
				return none(scoring.Busy, f.Reject.GetReason().String()), 0, 0, nil
			}
			return none(scoring.Unreachable, f.Reject.GetReason().String()), 0, 0, nil
		case protocol.FrameReceipt:
			if ttft < 0 {
				ttft, first = now, now
			}
			t0 := time.Now()
			res, err := verify.Check(p.worker, p.cfg.ModelID, q, target, f.Envelope.Sender, f.Receipt, p.cfg.Verify)
			p.cfg.Metrics.VerifySeconds.Observe(time.Since(t0).Seconds())
			return res, ttft, now - first, err
		}
	}
}
