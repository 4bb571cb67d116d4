package gateway

import (
	"context"
	"math/rand/v2"
	"time"

	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// WithVerify re-executes a fraction (0..1) of answered receipts with the
// model's weights (models that have Weights) and bans a miner whose receipt
// does not reproduce for BanFor. Verification runs on one goroutine after
// the answer was sent; when it lags, receipts are skipped
// (verified_total{result="dropped"}).
func WithVerify(fraction float64) Option {
	return func(g *Gateway) error {
		if !(fraction >= 0 && fraction <= 1) {
			return ErrBadConfig
		}
		g.verifyFraction = fraction
		return nil
	}
}

// banFor is how long a miner whose receipt failed re-execution is skipped.
const banFor = 10 * time.Minute

type verifyJob struct {
	m       *Model
	miner   [20]byte
	r       *protocol.Receipt
	sampler models.Sampler
}

// maybeVerify queues a receipt for re-execution with the configured
// probability.
func (g *Gateway) maybeVerify(m *Model, miner [20]byte, r *protocol.Receipt, s models.Sampler) {
	if g.verifyFraction <= 0 || m.Weights == nil || rand.Float64() >= g.verifyFraction {
		return
	}
	select {
	case g.verifyQ <- verifyJob{m: m, miner: miner, r: r, sampler: s}:
		g.feedReexec(r.QueryId, "pending")
	default:
		g.metrics.Verified.WithLabelValues("dropped").Inc()
		g.feedReexec(r.QueryId, "dropped")
	}
}

func (g *Gateway) verifyLoop(ctx context.Context) {
	workers := map[*Model]*models.Worker{}
	for {
		var j verifyJob
		select {
		case <-ctx.Done():
			return
		case j = <-g.verifyQ:
		}
		w := workers[j.m]
		if w == nil {
			var opts []models.EngineOption
			if j.m.ContextLength > 0 {
				opts = append(opts, models.ContextLength(j.m.ContextLength))
			}
			e, err := models.NewEngine(j.m.Weights, opts...)
			if err == nil {
				w, err = e.NewWorker()
			}
			if err != nil {
				g.log.Error("verify: engine", zap.String("model", j.m.Name), zap.Error(err))
				g.metrics.Verified.WithLabelValues("error").Inc()
				g.feedReexec(j.r.QueryId, "error")
				continue
			}
			workers[j.m] = w
		}
		rc := &models.Receipt{Sampler: j.sampler}
		for _, t := range j.r.PromptTokens {
			rc.Prompt = append(rc.Prompt, int(t))
		}
		for i, t := range j.r.OutputTokens {
			rc.Tokens = append(rc.Tokens, int(t))
			rc.Digests = append(rc.Digests, [32]byte(j.r.LogitDigests[i]))
		}
		if len(j.r.RollingDigest) == 32 {
			rc.Rolling = [32]byte(j.r.RollingDigest)
		}
		res, err := w.Verify(rc, nil)
		switch {
		case err != nil:
			g.metrics.Verified.WithLabelValues("error").Inc()
			g.feedReexec(j.r.QueryId, "error")
			g.log.Warn("verify: receipt not checkable", zap.String("miner", addrHex(j.miner)), zap.Error(err))
			g.ban(j.miner)
		case !res.OK:
			g.metrics.Verified.WithLabelValues("mismatch").Inc()
			g.feedReexec(j.r.QueryId, "mismatch")
			g.log.Warn("verify: receipt does not reproduce; miner banned", zap.String("miner", addrHex(j.miner)),
				zap.Int("position", res.Position), zap.String("kind", res.Kind), zap.Duration("for", banFor))
			g.ban(j.miner)
		default:
			g.metrics.Verified.WithLabelValues("ok").Inc()
			g.feedReexec(j.r.QueryId, "ok")
		}
	}
}

func (g *Gateway) ban(addr [20]byte) {
	g.minersMu.Lock()
	defer g.minersMu.Unlock()
	if x := g.miners[addr]; x != nil {
		x.busyTill = time.Now().Add(banFor)
	}
}
