package weights

import (
	"crypto/rand"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/scoring/yuma"
)

// Errors returned by Book.
var (
	ErrDuplicateCommit = errors.New("weights: validator already committed this epoch")
	ErrWrongEpoch      = errors.New("weights: wrong epoch")
	ErrNoCommit        = errors.New("weights: no commit to reveal")
	ErrMismatch        = errors.New("weights: reveal does not match its commit")
	ErrAlreadyRevealed = errors.New("weights: already revealed")
)

// Row converts per-uid scores (index = uid) into a sparse u16 weight row:
// normalised to sum 1 (scoring.Normalize), then max-upscaled as
// set_weights stores it (yuma.QuantizeWeights). Zero weights are left out.
// All-zero scores give an empty row.
func Row(scores []float64) (uids, values []uint16, err error) {
	if len(scores) > 1<<16 {
		return nil, nil, fmt.Errorf("weights: %d uids, at most 65536", len(scores))
	}
	q, err := yuma.QuantizeWeights(scoring.Normalize(scores))
	if err != nil {
		return nil, nil, fmt.Errorf("weights: %w", err)
	}
	for u, v := range q {
		if v > 0 {
			uids = append(uids, uint16(u))
			values = append(values, v)
		}
	}
	return uids, values, nil
}

// NewReveal builds validator's reveal of a row for epoch with a fresh random
// salt; WeightCommitHash(reveal) is what it commits to.
func NewReveal(validator common.Address, epoch, versionKey uint64, uids, values []uint16) (*protocol.WeightReveal, error) {
	if len(uids) != len(values) {
		return nil, fmt.Errorf("weights: %d uids, %d values", len(uids), len(values))
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	r := &protocol.WeightReveal{Validator: validator.Bytes(), Epoch: epoch, Salt: salt, VersionKey: versionKey}
	for i := range uids {
		r.Uids = append(r.Uids, uint32(uids[i]))
		r.Values = append(r.Values, uint32(values[i]))
	}
	return r, nil
}

// Revealed is a validator's row accepted at the reveal of its commit.
type Revealed struct {
	Validator common.Address
	Epoch     uint64 // commit epoch
	UIDs      []uint16
	Values    []uint16
}

type key struct {
	v     common.Address
	epoch uint64
}

// Book tracks commits and reveals of all validators. Not safe for
// concurrent use.
type Book struct {
	commits  map[key]common.Hash
	revealed map[key]bool
	latest   map[common.Address]Revealed
}

// NewBook returns an empty book.
func NewBook() *Book {
	return &Book{commits: map[key]common.Hash{}, revealed: map[key]bool{}, latest: map[common.Address]Revealed{}}
}

// Commit records validator's commit for epoch, received while the current
// epoch is current. Only commits for the current epoch are accepted, one
// per validator and epoch (the first one counts; receiving the same commit
// again is not an error, gossip may deliver it twice).
func (b *Book) Commit(validator common.Address, epoch uint64, commit common.Hash, current uint64) error {
	if epoch != current {
		return fmt.Errorf("%w: commit for epoch %d during epoch %d", ErrWrongEpoch, epoch, current)
	}
	k := key{validator, epoch}
	if prev, ok := b.commits[k]; ok {
		if prev == commit {
			return nil
		}
		return ErrDuplicateCommit
	}
	b.commits[k] = commit
	return nil
}

// Reveal checks r against its commit while current is the current epoch and,
// if it matches, makes it the validator's row. r must have passed
// protocol.Validate.
func (b *Book) Reveal(r *protocol.WeightReveal, current uint64) (Revealed, error) {
	v := common.BytesToAddress(r.GetValidator())
	k := key{v, r.GetEpoch()}
	if current != r.GetEpoch()+1 {
		return Revealed{}, fmt.Errorf("%w: reveal of epoch %d's commit during epoch %d (only epoch %d)", ErrWrongEpoch, r.GetEpoch(), current, r.GetEpoch()+1)
	}
	c, ok := b.commits[k]
	if !ok {
		return Revealed{}, ErrNoCommit
	}
	if b.revealed[k] {
		return Revealed{}, ErrAlreadyRevealed
	}
	if protocol.WeightCommitHash(r) != c {
		return Revealed{}, ErrMismatch
	}
	b.revealed[k] = true
	row := Revealed{Validator: v, Epoch: r.GetEpoch()}
	for i, u := range r.GetUids() {
		row.UIDs = append(row.UIDs, uint16(u))
		row.Values = append(row.Values, uint16(r.GetValues()[i]))
	}
	b.latest[v] = row
	return row, nil
}

// RestoreCommit records a commit read back from storage after a restart,
// without the epoch check of Commit.
func (b *Book) RestoreCommit(validator common.Address, epoch uint64, commit common.Hash) {
	b.commits[key{validator, epoch}] = commit
}

// Restore makes row a validator's latest revealed row (after a restart).
func (b *Book) Restore(row Revealed) {
	if prev, ok := b.latest[row.Validator]; ok && prev.Epoch > row.Epoch {
		return
	}
	b.latest[row.Validator] = row
	b.revealed[key{row.Validator, row.Epoch}] = true
}

// Expire forgets commits that can no longer be revealed while current is
// the current epoch (commit epoch + 1 < current) and returns the
// validators whose commits expired unrevealed, sorted.
func (b *Book) Expire(current uint64) []common.Address {
	var missed []common.Address
	for k := range b.commits {
		if k.epoch+1 < current {
			if !b.revealed[k] {
				missed = append(missed, k.v)
			}
			delete(b.commits, k)
			delete(b.revealed, k)
		}
	}
	slices.SortFunc(missed, func(a, b common.Address) int { return a.Cmp(b) })
	return missed
}

// Latest returns every validator's latest accepted row, by address.
func (b *Book) Latest() []Revealed {
	out := make([]Revealed, 0, len(b.latest))
	for _, r := range b.latest {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Revealed) int { return a.Validator.Cmp(b.Validator) })
	return out
}

// Matrix lays rows out as yuma weight rows: row i of the result belongs to
// the validator with uid uidOf(validator); validators without a uid are
// skipped. n is the metagraph size; entries with uid ≥ n are dropped.
func Matrix(rows []Revealed, n int, uidOf func(common.Address) (uint16, bool)) [][]yuma.Entry {
	out := make([][]yuma.Entry, n)
	for _, r := range rows {
		vu, ok := uidOf(r.Validator)
		if !ok || int(vu) >= n {
			continue
		}
		var row []yuma.Entry
		for i, u := range r.UIDs {
			if int(u) < n {
				row = append(row, yuma.Entry{UID: u, Value: r.Values[i]})
			}
		}
		out[vu] = row
	}
	return out
}
