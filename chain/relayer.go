package chain

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
)

// Relayer collects validators' signatures on epoch reports and finalises a
// report on the ledger once its signers hold more than 2/3 of the permitted
// stake. Its outbox (reports and signatures) is a JSON file written
// atomically after every change, so a restarted relayer picks up where it
// stopped and sends again; an epoch found final on chain counts as done.
// Add, Flush and Pending are safe for concurrent use.
type Relayer struct {
	client   *Client
	path     string
	log      *zap.Logger
	metrics  *Metrics
	interval time.Duration
	keep     int
	stagger  time.Duration
	quorumAt map[string]time.Time // report key → when Flush first saw its quorum (guarded by sent)

	mu   sync.Mutex // guards box and the file
	box  outbox
	sent sync.Mutex // one Flush at a time
}

// RelayerOption configures a Relayer.
type RelayerOption func(*Relayer) error

// WithRelayerLogger sets the relayer's logger.
func WithRelayerLogger(l *zap.Logger) RelayerOption {
	return func(r *Relayer) error {
		r.log = l.Named("relayer")
		return nil
	}
}

// WithRelayerMetrics sets the relayer's metrics.
func WithRelayerMetrics(m *Metrics) RelayerOption {
	return func(r *Relayer) error {
		r.metrics = m
		return nil
	}
}

// WithFlushInterval sets how often Run tries to finalise pending reports.
func WithFlushInterval(d time.Duration) RelayerOption {
	return func(r *Relayer) error {
		if d <= 0 {
			return fmt.Errorf("chain: flush interval %v", d)
		}
		r.interval = d
		return nil
	}
}

// WithRelayStagger makes the relayers of a subnet take turns instead of all
// sending the same finalize (every transaction after the first reverts and
// wastes its gas): once a report has a quorum, the relayer of the signer
// ranked k (signers ordered by keccak256(epoch ‖ address), a different order
// every epoch) sends only after k·d, unless the epoch is final by then. A
// relayer whose key did not sign goes last. 0 (the default) sends at once.
func WithRelayStagger(d time.Duration) RelayerOption {
	return func(r *Relayer) error {
		if d < 0 {
			return fmt.Errorf("chain: relay stagger %v", d)
		}
		r.stagger = d
		return nil
	}
}

// relayRank is the position of self among signers in epoch's relay order
// (len(signers) when self did not sign).
func relayRank(epoch uint64, signers []common.Address, self common.Address) int {
	key := func(a common.Address) common.Hash {
		var b [8 + common.AddressLength]byte
		binary.BigEndian.PutUint64(b[:8], epoch)
		copy(b[8:], a[:])
		return crypto.Keccak256Hash(b[:])
	}
	mine := key(self)
	rank, signed := 0, false
	for _, a := range signers {
		if a == self {
			signed = true
			continue
		}
		if k := key(a); bytes.Compare(k[:], mine[:]) < 0 {
			rank++
		}
	}
	if !signed {
		return len(signers)
	}
	return rank
}

const outboxVersion = 1

type outbox struct {
	Version int                     `json:"version"`
	Reports map[string]*outboxEntry `json:"reports"` // key: digest hex
}

type outboxEntry struct {
	Netuid        uint16            `json:"netuid"`
	Epoch         uint64            `json:"epoch"`
	EmissionsRoot common.Hash       `json:"emissionsRoot"`
	TotalEmission string            `json:"totalEmission"`
	Signatures    map[string]string `json:"signatures"` // signer address → 0x r‖s‖v
	State         string            `json:"state"`      // pending, final, superseded, stale
	TxHash        string            `json:"txHash,omitempty"`
}

// Report states in the outbox.
const (
	StatePending    = "pending"
	StateFinal      = "final"      // this report is the epoch's final report
	StateSuperseded = "superseded" // another report of the epoch is final
	StateStale      = "stale"      // a later epoch is final; this one can no longer be
)

func (e *outboxEntry) report() (EpochReport, error) {
	t, ok := new(big.Int).SetString(e.TotalEmission, 10)
	if !ok || t.Sign() < 0 {
		return EpochReport{}, fmt.Errorf("outbox: bad total %q", e.TotalEmission)
	}
	return EpochReport{Netuid: e.Netuid, Epoch: e.Epoch, EmissionsRoot: e.EmissionsRoot, TotalEmission: t}, nil
}

// NewRelayer returns a relayer sending through client (which needs a key)
// and keeping its outbox at path. An existing outbox is loaded.
func NewRelayer(client *Client, path string, opts ...RelayerOption) (*Relayer, error) {
	r := &Relayer{client: client, path: path, log: zap.NewNop(), metrics: NopMetrics(), interval: 2 * time.Second, keep: 64,
		box: outbox{Version: outboxVersion, Reports: map[string]*outboxEntry{}}}
	for _, o := range opts {
		if err := o(r); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("relayer outbox: %w", err)
	default:
		var box outbox
		if err := json.Unmarshal(b, &box); err != nil {
			return nil, fmt.Errorf("relayer outbox %s: %w", path, err)
		}
		if box.Version != outboxVersion {
			return nil, fmt.Errorf("relayer outbox %s: version %d, want %d", path, box.Version, outboxVersion)
		}
		if box.Reports == nil {
			box.Reports = map[string]*outboxEntry{}
		}
		for k, e := range box.Reports {
			if _, err := e.report(); err != nil {
				return nil, fmt.Errorf("relayer outbox %s: report %s: %w", path, k, err)
			}
		}
		r.box = box
	}
	r.metrics.PendingReports.Set(float64(r.pendingLocked()))
	return r, nil
}

func (r *Relayer) pendingLocked() int {
	n := 0
	for _, e := range r.box.Reports {
		if e.State == StatePending {
			n++
		}
	}
	return n
}

func (r *Relayer) saveLocked() error {
	// Forget the oldest settled reports beyond keep.
	var settled []string
	for k, e := range r.box.Reports {
		if e.State != StatePending {
			settled = append(settled, k)
		}
	}
	if len(settled) > r.keep {
		sort.Slice(settled, func(i, j int) bool { return r.box.Reports[settled[i]].Epoch < r.box.Reports[settled[j]].Epoch })
		for _, k := range settled[:len(settled)-r.keep] {
			delete(r.box.Reports, k)
		}
	}
	b, err := json.MarshalIndent(r.box, "", " ")
	if err != nil {
		return err
	}
	r.metrics.PendingReports.Set(float64(r.pendingLocked()))
	return atomicfile.WriteFile(r.path, b, 0o600)
}

// Add verifies sig on report and stores it in the outbox. It returns the
// signer. Signatures of non-validators are kept (a permit may come later)
// but not sent.
func (r *Relayer) Add(ctx context.Context, report EpochReport, sig []byte) (common.Address, error) {
	netuid, err := r.client.Netuid(ctx)
	if err != nil {
		return common.Address{}, err
	}
	if report.EmissionsRoot == (common.Hash{}) {
		return common.Address{}, ErrZeroRoot
	}
	if report.Netuid != netuid {
		return common.Address{}, fmt.Errorf("%w: netuid %d, relayer serves %d", ErrWrongReport, report.Netuid, netuid)
	}
	d, err := r.client.Domain(ctx)
	if err != nil {
		return common.Address{}, err
	}
	signer, err := RecoverSigner(d, report, sig)
	if err != nil {
		return common.Address{}, err
	}
	key := Digest(d, report).Hex()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.box.Reports[key]
	if e == nil {
		e = &outboxEntry{Netuid: report.Netuid, Epoch: report.Epoch, EmissionsRoot: report.EmissionsRoot,
			TotalEmission: report.total().String(), Signatures: map[string]string{}, State: StatePending}
		r.box.Reports[key] = e
	}
	if _, dup := e.Signatures[signer.Hex()]; dup {
		return signer, nil
	}
	e.Signatures[signer.Hex()] = hexutil.Encode(sig)
	if err := r.saveLocked(); err != nil {
		return signer, fmt.Errorf("relayer outbox: %w", err)
	}
	r.metrics.SignaturesAdded.Inc()
	return signer, nil
}

// ReportState is a report in the outbox.
type ReportState struct {
	Report  EpochReport
	Signers []common.Address
	State   string
	TxHash  common.Hash
}

// Reports lists the outbox by epoch.
func (r *Relayer) Reports() []ReportState {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ReportState
	for _, e := range r.box.Reports {
		rep, _ := e.report()
		st := ReportState{Report: rep, State: e.State, TxHash: common.HexToHash(e.TxHash)}
		for a := range e.Signatures {
			st.Signers = append(st.Signers, common.HexToAddress(a))
		}
		sort.Slice(st.Signers, func(i, j int) bool { return st.Signers[i].Cmp(st.Signers[j]) < 0 })
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Report.Epoch != out[j].Report.Epoch {
			return out[i].Report.Epoch < out[j].Report.Epoch
		}
		return out[i].Report.EmissionsRoot.Cmp(out[j].Report.EmissionsRoot) < 0
	})
	return out
}

// Flush tries to settle every pending report, oldest epoch first: a report
// whose epoch is final on chain is marked final (or superseded), and one
// whose signers hold a quorum is sent. It returns the epochs it saw final.
func (r *Relayer) Flush(ctx context.Context) ([]uint64, error) {
	r.sent.Lock()
	defer r.sent.Unlock()
	type job struct {
		key  string
		rep  EpochReport
		sigs map[common.Address][]byte
	}
	r.mu.Lock()
	var jobs []job
	for k, e := range r.box.Reports {
		if e.State != StatePending {
			continue
		}
		rep, _ := e.report()
		j := job{key: k, rep: rep, sigs: map[common.Address][]byte{}}
		for a, s := range e.Signatures {
			b, err := hexutil.Decode(s)
			if err == nil {
				j.sigs[common.HexToAddress(a)] = b
			}
		}
		jobs = append(jobs, j)
	}
	r.mu.Unlock()
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].rep.Epoch < jobs[j].rep.Epoch })

	var final []uint64
	var errs []error
	for _, j := range jobs {
		state, tx, err := r.settle(ctx, j.key, j.rep, j.sigs)
		if err != nil {
			errs = append(errs, fmt.Errorf("epoch %d: %w", j.rep.Epoch, err))
			continue
		}
		if state == StatePending {
			continue
		}
		delete(r.quorumAt, j.key)
		if state == StateFinal {
			final = append(final, j.rep.Epoch)
			r.metrics.Finalized.Inc()
		}
		r.mu.Lock()
		if e := r.box.Reports[j.key]; e != nil {
			e.State = state
			if tx != (common.Hash{}) {
				e.TxHash = tx.Hex()
			}
		}
		err = r.saveLocked()
		r.mu.Unlock()
		if err != nil {
			return final, fmt.Errorf("relayer outbox: %w", err)
		}
		r.log.Info("epoch report settled", zap.Uint64("epoch", j.rep.Epoch), zap.String("state", state), zap.Stringer("tx", tx))
	}
	return final, errors.Join(errs...)
}

// settle decides one report's fate, sending it if it has a quorum.
func (r *Relayer) settle(ctx context.Context, key string, rep EpochReport, sigs map[common.Address][]byte) (string, common.Hash, error) {
	if st, done, err := r.onChain(ctx, rep); err != nil || done {
		return st, common.Hash{}, err
	}
	mg, err := r.client.Metagraph(ctx)
	if err != nil {
		return "", common.Hash{}, err
	}
	var signers []common.Address
	var use [][]byte
	for a, s := range sigs {
		if mg.VotingPower(a).Sign() > 0 {
			signers = append(signers, a)
			use = append(use, s)
		}
	}
	signed, total, ok := mg.Quorum(signers)
	if !ok {
		r.log.Debug("no quorum yet", zap.Uint64("epoch", rep.Epoch), zap.Stringer("signed", signed), zap.Stringer("total", total))
		return StatePending, common.Hash{}, nil
	}
	if r.stagger > 0 {
		if r.quorumAt == nil {
			r.quorumAt = map[string]time.Time{}
		}
		first, seen := r.quorumAt[key]
		if !seen {
			first = time.Now()
			r.quorumAt[key] = first
		}
		if wait := time.Duration(relayRank(rep.Epoch, signers, r.client.Address())) * r.stagger; time.Since(first) < wait {
			r.log.Debug("waiting for my turn to relay", zap.Uint64("epoch", rep.Epoch), zap.Duration("after", wait))
			return StatePending, common.Hash{}, nil
		}
	}
	rcpt, err := r.client.Finalize(ctx, rep, use)
	if err == nil {
		return StateFinal, rcpt.TxHash, nil
	}
	// Someone else may have finalised it meanwhile (another relayer's
	// transaction in the same block makes ours revert: ErrTxFailed, or
	// EpochAlreadyFinalized when the estimate already saw it), or this relayer
	// did before a crash: the chain has the last word.
	if IsContractError(err, "EpochAlreadyFinalized") || IsContractError(err, "StaleEpoch") || errors.Is(err, ErrTxFailed) {
		st, done, cerr := r.onChain(ctx, rep)
		if cerr == nil && done {
			r.log.Debug("another relayer settled the epoch first", zap.Uint64("epoch", rep.Epoch), zap.String("state", st))
			return st, common.Hash{}, nil
		}
	}
	return "", common.Hash{}, err
}

// onChain reports whether rep's epoch is settled on chain and how.
func (r *Relayer) onChain(ctx context.Context, rep EpochReport) (string, bool, error) {
	st, err := r.client.EpochStatus(ctx, rep.Epoch)
	if err != nil {
		return "", false, err
	}
	switch {
	case st.Finalized && st.EmissionsRoot == rep.EmissionsRoot && st.TotalEmission.Cmp(rep.total()) == 0:
		return StateFinal, true, nil
	case st.Finalized:
		return StateSuperseded, true, nil
	case rep.Epoch <= st.LatestEpoch:
		return StateStale, true, nil
	}
	return StatePending, false, nil
}

// Run flushes every interval until ctx ends.
func (r *Relayer) Run(ctx context.Context) error {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("relay epoch reports", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
