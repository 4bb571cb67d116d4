package validator

import (
	"context"
	"crypto/rand"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
)

// Config tunes a Validator.
type Config struct {
	// PerMiner is how many probes each registered miner gets per epoch
	// (default 2).
	PerMiner int
	// BlockTime is the chain's expected block interval: the probe schedule
	// spans EpochLength × BlockTime (default 1 s).
	BlockTime time.Duration
	// Poll is how often the probe loop looks for a new epoch (default the
	// driver's Poll).
	Poll time.Duration
}

// Validator runs the role: the epoch driver (chain reads, commit-reveal,
// settlement, relaying), the gossip listener and the probe loop.
type Validator struct {
	node   *p2p.Node
	sync   *chain.MetagraphSync
	driver *Driver
	prober *Prober
	master challenge.Secret
	cfg    Config
	log    *zap.Logger
}

// New assembles a validator. The master secret of the challenges is drawn
// fresh and kept in memory only.
func New(node *p2p.Node, ms *chain.MetagraphSync, d *Driver, p *Prober, cfg Config, log *zap.Logger) (*Validator, error) {
	if cfg.PerMiner <= 0 {
		cfg.PerMiner = 2
	}
	if cfg.BlockTime <= 0 {
		cfg.BlockTime = time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = d.cfg.Poll
	}
	if log == nil {
		log = zap.NewNop()
	}
	v := &Validator{node: node, sync: ms, driver: d, prober: p, cfg: cfg, log: log}
	if _, err := rand.Read(v.master[:]); err != nil {
		return nil, err
	}
	return v, nil
}

// Run runs until ctx ends.
func (v *Validator) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, f := range []func(context.Context) error{
		v.driver.Run,
		func(ctx context.Context) error { return v.driver.Listen(ctx, v.node) },
		v.probeLoop,
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(ctx)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// probeLoop probes every registered miner PerMiner times per epoch, at the
// times challenge.Schedule gives for the epoch's secret.
func (v *Validator) probeLoop(ctx context.Context) error {
	last := ^uint64(0)
	for ctx.Err() == nil {
		mg := v.sync.Current()
		if mg == nil || mg.EpochLength == 0 {
			sleep(ctx, v.cfg.Poll)
			continue
		}
		e, off := mg.Block/mg.EpochLength, mg.Block%mg.EpochLength
		if e == last {
			sleep(ctx, v.cfg.Poll)
			continue
		}
		last = e
		secret := challenge.EpochSecret(v.master, e)
		var uids []uint16
		for _, n := range mg.Neurons {
			if n.Role == chain.RoleMiner {
				uids = append(uids, n.UID)
			}
		}
		span := time.Duration(mg.EpochLength) * v.cfg.BlockTime
		start := time.Now().Add(-time.Duration(off) * v.cfg.BlockTime)
		// Leave the last tenth of the epoch free so answers are in before
		// the commit of the next epoch.
		for _, pr := range challenge.Schedule(secret, uids, v.cfg.PerMiner, span*9/10) {
			if wait := time.Until(start.Add(pr.At)); wait > 0 && !sleep(ctx, wait) {
				return nil
			}
			if cur := v.sync.Current(); cur != nil && cur.Block/cur.EpochLength != e {
				break // the epoch moved on: start the next schedule
			}
			n := mg.Neurons[pr.UID]
			if _, err := v.prober.Probe(ctx, secret, pr.Index, n.UID, n.Hotkey); err != nil && ctx.Err() == nil {
				v.log.Warn("probe", zap.Uint16("uid", n.UID), zap.Error(err))
			}
		}
	}
	return nil
}
