package validator

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/weights"
)

// Publisher sends a message on its gossip topic (p2p.Node.Publish).
type Publisher interface {
	Publish(ctx context.Context, msg proto.Message) (*protocol.Envelope, error)
}

// DriverConfig tunes the epoch driver.
type DriverConfig struct {
	// Emission is what one epoch pays, in Yuma units of StakeUnit wei.
	Emission uint64
	// VersionKey goes into weight commits.
	VersionKey uint64
	// CommitAt is the fraction of an epoch after which this validator
	// reveals its previous commit and commits its new row (default 0.25):
	// early enough that every validator has the reveals before the
	// boundary, late enough that every validator has seen the new epoch.
	CommitAt float64
	// Republish is the fraction of an epoch between two re-sends of this
	// validator's current commit and reveal (default 1/8; negative: send
	// once). Gossip is fire-and-forget: a validator that was restarting or
	// briefly cut off when a message went out gets it from a re-send, or
	// it would settle the epoch without that row and sign another root.
	Republish float64
	// Poll is how often Run reads the chain (default 1 s).
	Poll time.Duration
	// Metrics (default: registered nowhere).
	Metrics *Metrics
}

func (c *DriverConfig) defaults() {
	if c.CommitAt <= 0 || c.CommitAt >= 1 {
		c.CommitAt = 0.25
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.Republish == 0 || c.Republish >= 1 {
		c.Republish = 0.125
	}
	if c.Emission == 0 {
		c.Emission = 1_000_000_000 // one coin
	}
	if c.Metrics == nil {
		c.Metrics = NopMetrics()
	}
}

// Driver runs a validator's epochs: at CommitAt into epoch e it reveals its
// commit of e−1 and commits its new weight row (from the stored scores); at
// the boundary into e+1 it runs Yuma over the rows revealed so far, builds
// the emissions tree of epoch e, signs the report, gossips the signature
// and hands it to the relayer, which finalises once signers hold more than
// 2/3 of the stake. Everything it must not forget is in the store first.
type Driver struct {
	key     *ecdsa.PrivateKey
	addr    common.Address
	client  *chain.Client
	sync    *chain.MetagraphSync
	st      *store.Store
	relayer *chain.Relayer
	pub     Publisher
	log     *zap.Logger
	cfg     DriverConfig

	mu       sync.Mutex
	book     *weights.Book
	started  bool
	epoch    uint64
	done     map[uint64]bool // epochs whose commit step ran in this process
	resend   uint64          // block of the next re-send of the current commit and reveal
	early    []earlyMsg
	domain   *chain.Domain
	netuid   uint16
	lastMeta *chain.Metagraph
}

type earlyMsg struct {
	from   common.Address
	commit *protocol.WeightCommit
	reveal *protocol.WeightReveal
}

// PoolEmptyWarning is logged (at most once a minute) while the relayer
// cannot finalise because the ledger's emission pool is too small.
const PoolEmptyWarning = "the emission pool holds less than the epoch's report pays: the subnet owner must fund it " +
	"(ganglion chain fund --amount COINS --key OWNER); the report stays in the outbox and is sent once funded"

// NewDriver returns a driver; Run (or Step) drives it.
func NewDriver(key *ecdsa.PrivateKey, client *chain.Client, ms *chain.MetagraphSync, st *store.Store, relayer *chain.Relayer, pub Publisher, log *zap.Logger, cfg DriverConfig) *Driver {
	if log == nil {
		log = zap.NewNop()
	}
	cfg.defaults()
	return &Driver{key: key, addr: crypto.PubkeyToAddress(key.PublicKey), client: client, sync: ms, st: st, relayer: relayer,
		pub: pub, log: log.Named("epoch"), cfg: cfg, book: weights.NewBook(), done: map[uint64]bool{}}
}

// Run reads the metagraph every Poll, steps the driver and flushes the
// relayer, until ctx ends.
func (d *Driver) Run(ctx context.Context) error {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	var dry time.Time // last "pool empty" warning
	for {
		mg, err := d.sync.Refresh(ctx)
		if err == nil {
			err = d.Step(ctx, mg)
		}
		if err == nil {
			_, err = d.relayer.Flush(ctx)
			if chain.IsContractError(err, "InsufficientPool") {
				// Nothing this validator can do: say what to do, once a
				// minute rather than every poll; the report waits in the
				// outbox and goes out once the pool is funded.
				if time.Since(dry) > time.Minute {
					dry = time.Now()
					d.log.Warn(PoolEmptyWarning, zap.Error(err))
				} else {
					d.log.Debug("epoch step", zap.Error(err))
				}
				err = nil
			}
		}
		if err != nil && ctx.Err() == nil {
			d.log.Warn("epoch step", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Epoch is the current epoch as last stepped.
func (d *Driver) Epoch() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.epoch
}

func (d *Driver) restore(current uint64) error {
	rows, err := d.st.AllReveals()
	if err != nil {
		return err
	}
	for _, r := range rows {
		d.book.Restore(weights.Revealed{Validator: r.Validator, Epoch: r.Epoch, UIDs: r.UIDs, Values: r.Values})
	}
	for _, e := range []uint64{current - 1, current} {
		if e > current { // current == 0
			continue
		}
		pcs, err := d.st.PeerCommits(e)
		if err != nil {
			return err
		}
		for _, pc := range pcs {
			d.book.RestoreCommit(pc.Validator, pc.Epoch, pc.Commit)
		}
	}
	return nil
}

// Step advances the driver to the metagraph's block.
func (d *Driver) Step(ctx context.Context, mg *chain.Metagraph) error {
	L := mg.EpochLength
	if L == 0 {
		return errors.New("validator: epoch length 0")
	}
	e, off := mg.Block/L, mg.Block%L
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lastMeta = mg
	if d.domain == nil {
		dom, err := d.client.Domain(ctx)
		if err != nil {
			return err
		}
		d.domain, d.netuid = &dom, mg.Netuid
	}
	if !d.started {
		if err := d.restore(e); err != nil {
			return fmt.Errorf("validator: restore: %w", err)
		}
		d.started, d.epoch = true, e
		// Settle the previous epoch if we never did (a restart across a
		// boundary); the relayer outbox keeps a report already signed.
		if err := d.settle(ctx, mg, e); err != nil {
			return err
		}
	}
	d.cfg.Metrics.Epoch.Set(float64(e))
	for d.epoch < e {
		d.epoch++
		if err := d.settle(ctx, mg, d.epoch); err != nil {
			return err
		}
		for _, v := range d.book.Expire(d.epoch) {
			d.log.Info("weight commit expired unrevealed", zap.Stringer("validator", v))
		}
		d.replayEarly(ctx)
	}
	if float64(off) >= d.cfg.CommitAt*float64(L) && !d.done[e] {
		if err := d.commitStep(ctx, mg, e); err != nil {
			return err
		}
		d.done[e] = true
		d.resend = mg.Block + d.resendEvery(L)
	} else if d.done[e] && d.cfg.Republish > 0 && mg.Block >= d.resend {
		d.republish(ctx, e)
		d.resend = mg.Block + d.resendEvery(L)
	}
	return nil
}

func (d *Driver) resendEvery(L uint64) uint64 {
	return max(1, uint64(d.cfg.Republish*float64(L)))
}

// republish sends this validator's commit of e and reveal of e−1 again
// (receivers ignore what they already hold).
func (d *Driver) republish(ctx context.Context, e uint64) {
	if e > 0 {
		if c, err := d.st.Commit(e - 1); err == nil && c.Revealed {
			if _, err := d.pub.Publish(ctx, revealOf(d.addr, c)); err != nil {
				d.log.Debug("republish reveal", zap.Error(err))
			}
		}
	}
	if c, err := d.st.Commit(e); err == nil {
		_, err = d.pub.Publish(ctx, &protocol.WeightCommit{Validator: d.addr.Bytes(), Epoch: e, Commit: c.Commit.Bytes(), VersionKey: c.VersionKey})
		if err != nil {
			d.log.Debug("republish commit", zap.Error(err))
		}
	}
}

// settle runs the epoch before current unless its output is stored.
func (d *Driver) settle(ctx context.Context, mg *chain.Metagraph, current uint64) error {
	if current < 2 { // epochs start at 1 on the ledger; epoch 0 has no rows
		return nil
	}
	epoch := current - 1
	if _, err := d.st.Output(epoch); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var prev *store.EpochOutput
	if p, err := d.st.Output(epoch - 1); err == nil {
		prev = &p
	}
	s, err := Settle(epoch, mg, d.book.Latest(), prev, d.cfg.Emission)
	if err != nil {
		return err
	}
	rec := s.Record()
	if s.Tree == nil {
		d.log.Info("epoch pays nothing", zap.Uint64("epoch", epoch))
		return d.st.PutOutput(rec)
	}
	rep := s.Tree.Report(mg.Netuid)
	sig, err := chain.SignReport(d.key, *d.domain, rep)
	if err != nil {
		return err
	}
	rec.Signature = sig
	if err := d.st.PutOutput(rec); err != nil {
		return err
	}
	if _, err := d.relayer.Add(ctx, rep, sig); err != nil {
		return fmt.Errorf("validator: relayer: %w", err)
	}
	d.cfg.Metrics.EpochsSettled.Inc()
	d.log.Info("epoch settled", zap.Uint64("epoch", epoch), zap.Stringer("root", rep.EmissionsRoot), zap.Stringer("total", rep.TotalEmission))
	total := common.LeftPadBytes(rep.TotalEmission.Bytes(), 32)
	_, err = d.pub.Publish(ctx, &protocol.ReportSignature{Validator: d.addr.Bytes(), Netuid: uint32(mg.Netuid), Epoch: epoch,
		EmissionsRoot: rep.EmissionsRoot.Bytes(), Total: total, Signature: sig})
	if err != nil {
		d.log.Warn("publish report signature", zap.Error(err))
	}
	return nil
}

// commitStep reveals the commit of e−1 and commits this epoch's row.
func (d *Driver) commitStep(ctx context.Context, mg *chain.Metagraph, e uint64) error {
	if e > 0 {
		if c, err := d.st.Commit(e - 1); err == nil {
			r := revealOf(d.addr, c)
			if !c.Revealed {
				c.Revealed = true
				err := d.st.Update(func(tx *store.Tx) error {
					if err := tx.PutCommit(c); err != nil {
						return err
					}
					return tx.PutReveal(store.RevealedRow{Epoch: c.Epoch, Validator: d.addr, UIDs: c.UIDs, Values: c.Values})
				})
				if err != nil {
					return err
				}
			}
			if row, err := d.book.Reveal(r, e); err == nil {
				d.log.Debug("revealed", zap.Uint64("epoch", row.Epoch))
			}
			if _, err := d.pub.Publish(ctx, r); err != nil {
				d.log.Warn("publish reveal", zap.Error(err))
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	c, err := d.st.Commit(e)
	if errors.Is(err, store.ErrNotFound) {
		scores, err := d.scoreRow(mg)
		if err != nil {
			return err
		}
		uids, values, err := weights.Row(scores)
		if err != nil {
			return err
		}
		r, err := weights.NewReveal(d.addr, e, d.cfg.VersionKey, uids, values)
		if err != nil {
			return err
		}
		c = store.PendingCommit{Epoch: e, Commit: protocol.WeightCommitHash(r), Salt: r.Salt, UIDs: uids, Values: values, VersionKey: d.cfg.VersionKey}
		err = d.st.Update(func(tx *store.Tx) error {
			if err := tx.PutCommit(c); err != nil {
				return err
			}
			return tx.PutPeerCommit(d.addr, e, c.Commit)
		})
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	_ = d.book.Commit(d.addr, e, c.Commit, e) // a duplicate after a restart is fine
	_, err = d.pub.Publish(ctx, &protocol.WeightCommit{Validator: d.addr.Bytes(), Epoch: e, Commit: c.Commit.Bytes(), VersionKey: c.VersionKey})
	if err != nil {
		d.log.Warn("publish commit", zap.Error(err))
	}
	return nil
}

func revealOf(v common.Address, c store.PendingCommit) *protocol.WeightReveal {
	r := &protocol.WeightReveal{Validator: v.Bytes(), Epoch: c.Epoch, Salt: c.Salt, VersionKey: c.VersionKey}
	for i := range c.UIDs {
		r.Uids = append(r.Uids, uint32(c.UIDs[i]))
		r.Values = append(r.Values, uint32(c.Values[i]))
	}
	return r
}

// scoreRow is the stored EMA of every miner registered now, index = uid.
func (d *Driver) scoreRow(mg *chain.Metagraph) ([]float64, error) {
	all, err := d.st.Scores()
	if err != nil {
		return nil, err
	}
	row := make([]float64, len(mg.Neurons))
	for _, s := range all {
		if n, ok := mg.Lookup(s.Miner); ok && n.Role == chain.RoleMiner {
			row[n.UID] = s.EMA.Value
		}
	}
	return row, nil
}

// HandleCommit takes a weight commit from the weights topic (from is the
// envelope's signer).
func (d *Driver) HandleCommit(from common.Address, m *protocol.WeightCommit) error {
	if common.BytesToAddress(m.GetValidator()) != from || len(m.GetCommit()) != 32 {
		return errors.New("validator: commit not from its validator")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started && m.GetEpoch() == d.epoch+1 {
		d.early = append(d.early, earlyMsg{from: from, commit: m})
		return nil
	}
	h := common.BytesToHash(m.GetCommit())
	if err := d.book.Commit(from, m.GetEpoch(), h, d.epoch); err != nil {
		d.cfg.Metrics.WeightMessages.WithLabelValues("commit", "rejected").Inc()
		return err
	}
	d.cfg.Metrics.WeightMessages.WithLabelValues("commit", "accepted").Inc()
	return d.st.PutPeerCommit(from, m.GetEpoch(), h)
}

// HandleReveal takes a weight reveal from the weights topic.
func (d *Driver) HandleReveal(from common.Address, m *protocol.WeightReveal) error {
	if common.BytesToAddress(m.GetValidator()) != from {
		return errors.New("validator: reveal not from its validator")
	}
	if err := protocol.Validate(m); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started && m.GetEpoch() == d.epoch { // revealed in epoch+1, which we have not seen yet
		d.early = append(d.early, earlyMsg{from: from, reveal: m})
		return nil
	}
	row, err := d.book.Reveal(m, d.epoch)
	if errors.Is(err, weights.ErrAlreadyRevealed) {
		return nil // a gossip duplicate or a restarted validator's re-send
	}
	if err != nil {
		d.cfg.Metrics.WeightMessages.WithLabelValues("reveal", "rejected").Inc()
		return err
	}
	d.cfg.Metrics.WeightMessages.WithLabelValues("reveal", "accepted").Inc()
	return d.st.PutReveal(store.RevealedRow{Epoch: row.Epoch, Validator: row.Validator, UIDs: row.UIDs, Values: row.Values})
}

func (d *Driver) replayEarly(ctx context.Context) {
	msgs := d.early
	d.early = nil
	for _, m := range msgs {
		var err error
		switch {
		case m.commit != nil && m.commit.GetEpoch() == d.epoch:
			h := common.BytesToHash(m.commit.GetCommit())
			if err = d.book.Commit(m.from, d.epoch, h, d.epoch); err == nil {
				err = d.st.PutPeerCommit(m.from, d.epoch, h)
			}
		case m.reveal != nil:
			var row weights.Revealed
			if row, err = d.book.Reveal(m.reveal, d.epoch); err == nil {
				err = d.st.PutReveal(store.RevealedRow{Epoch: row.Epoch, Validator: row.Validator, UIDs: row.UIDs, Values: row.Values})
			}
		case m.commit != nil && m.commit.GetEpoch() > d.epoch:
			d.early = append(d.early, m)
		}
		if err != nil {
			d.log.Debug("early weight message", zap.Error(err))
		}
	}
}

// HandleReportSignature takes another validator's report signature from the
// reports topic and gives it to the relayer.
func (d *Driver) HandleReportSignature(ctx context.Context, from common.Address, m *protocol.ReportSignature) error {
	if common.BytesToAddress(m.GetValidator()) != from || len(m.GetEmissionsRoot()) != 32 || len(m.GetTotal()) != 32 {
		return errors.New("validator: malformed report signature")
	}
	rep := chain.EpochReport{Netuid: uint16(m.GetNetuid()), Epoch: m.GetEpoch(), EmissionsRoot: common.BytesToHash(m.GetEmissionsRoot()),
		TotalEmission: new(big.Int).SetBytes(m.GetTotal())}
	signer, err := d.relayer.Add(ctx, rep, m.GetSignature())
	if err != nil {
		return err
	}
	if signer != from {
		return fmt.Errorf("validator: report signed by %s, sent as %s", signer, from)
	}
	return nil
}
