package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/ganglion-subnet/ganglion/scoring"
)

// Buckets.
var (
	bScores  = []byte("scores")       // miner address → MinerScore (JSON)
	bCommits = []byte("commits")      // epoch u64 → PendingCommit (JSON): our own commits and salts
	bReveals = []byte("reveals")      // epoch u64 ‖ validator → RevealedRow (JSON)
	bOutputs = []byte("outputs")      // epoch u64 → EpochOutput (JSON)
	bPeers   = []byte("peer_commits") // epoch u64 ‖ validator → commit hash (every validator's, ours included)
	bMeta    = []byte("meta")         // string → bytes
	buckets  = [][]byte{bScores, bCommits, bReveals, bOutputs, bPeers, bMeta}
)

const keyOutbox = "outbox_path"

// MaxTerms is how many of a miner's latest response terms are kept.
const MaxTerms = 32

// MinerScore is one miner's running score and why.
type MinerScore struct {
	Miner   common.Address  `json:"miner"`
	UID     uint16          `json:"uid"`
	EMA     scoring.EMA     `json:"ema"`
	Recent  []scoring.Terms `json:"recent"` // latest responses, oldest first, at most MaxTerms
	Updated time.Time       `json:"updated"`
}

// PendingCommit is a weight row this validator committed to and must reveal.
type PendingCommit struct {
	Epoch      uint64      `json:"epoch"` // epoch of the commit; reveal in Epoch+1
	Commit     common.Hash `json:"commit"`
	Salt       []byte      `json:"salt"`
	UIDs       []uint16    `json:"uids"`
	Values     []uint16    `json:"values"`
	VersionKey uint64      `json:"version_key"`
	Revealed   bool        `json:"revealed"`
}

// RevealedRow is a validator's weight row revealed (and matched to its
// commit) for an epoch.
type RevealedRow struct {
	Epoch     uint64         `json:"epoch"` // commit epoch
	Validator common.Address `json:"validator"`
	UIDs      []uint16       `json:"uids"`
	Values    []uint16       `json:"values"`
}

// EpochOutput is what this validator computed for an epoch.
type EpochOutput struct {
	Epoch         uint64           `json:"epoch"`
	Root          common.Hash      `json:"root"`
	Total         string           `json:"total"`     // decimal wei
	Emissions     []string         `json:"emissions"` // decimal, index = uid
	Incentive     []uint16         `json:"incentive"`
	Dividends     []uint16         `json:"dividends"`
	Bonds         [][]uint16       `json:"bonds"`
	Permits       []bool           `json:"permits"`
	Hotkeys       []common.Address `json:"hotkeys"` // index = uid, at settlement (bonds of a replaced uid are reset)
	Signature     []byte           `json:"signature"`
	ReportRelayed bool             `json:"report_relayed"`
}

// Store is an open state file. Safe for concurrent use.
type Store struct{ db *bolt.DB }

// Open opens or creates the store at path.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: init %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// OpenReadOnly opens an existing store for reading, waiting at most
// timeout for the file lock. The writer (a running validator) holds the
// lock exclusively: then it returns ErrLocked.
func OpenReadOnly(path string, timeout time.Duration) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("store: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func put(tx *bolt.Tx, bucket, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put(key, b)
}

func get(tx *bolt.Tx, bucket, key []byte, v any) error {
	b := tx.Bucket(bucket).Get(key)
	if b == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode %s/%x: %w", bucket, key, err)
	}
	return nil
}

// Tx is a read-write transaction: everything done through it is committed
// together or not at all.
type Tx struct{ tx *bolt.Tx }

// Update runs fn in one read-write transaction; an error from fn (or a
// crash before the commit) leaves the previous state.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// RecordScore folds one response's terms into miner's EMA with alpha.
func (t *Tx) RecordScore(miner common.Address, uid uint16, terms scoring.Terms, alpha float64, now time.Time) (MinerScore, error) {
	var ms MinerScore
	if err := get(t.tx, bScores, miner.Bytes(), &ms); err != nil && err != ErrNotFound {
		return ms, err
	}
	ms.Miner, ms.UID, ms.Updated = miner, uid, now.UTC()
	ms.EMA = ms.EMA.Update(terms.Score, alpha)
	ms.Recent = append(ms.Recent, terms)
	if len(ms.Recent) > MaxTerms {
		ms.Recent = append([]scoring.Terms(nil), ms.Recent[len(ms.Recent)-MaxTerms:]...)
	}
	return ms, put(t.tx, bScores, miner.Bytes(), ms)
}

// PutCommit stores a pending commit (replacing one for the same epoch).
func (t *Tx) PutCommit(c PendingCommit) error { return put(t.tx, bCommits, u64(c.Epoch), c) }

// PutReveal stores a validator's revealed row.
func (t *Tx) PutReveal(r RevealedRow) error {
	return put(t.tx, bReveals, append(u64(r.Epoch), r.Validator.Bytes()...), r)
}

// PutOutput stores an epoch output.
func (t *Tx) PutOutput(o EpochOutput) error { return put(t.tx, bOutputs, u64(o.Epoch), o) }

// PutPeerCommit records a validator's commit hash for epoch.
func (t *Tx) PutPeerCommit(validator common.Address, epoch uint64, commit common.Hash) error {
	return t.tx.Bucket(bPeers).Put(append(u64(epoch), validator.Bytes()...), commit.Bytes())
}

// SetOutboxPath records where the relayer keeps its outbox.
func (t *Tx) SetOutboxPath(p string) error {
	return t.tx.Bucket(bMeta).Put([]byte(keyOutbox), []byte(p))
}

// RecordScore is Update with one Tx.RecordScore.
func (s *Store) RecordScore(miner common.Address, uid uint16, terms scoring.Terms, alpha float64, now time.Time) (ms MinerScore, err error) {
	err = s.Update(func(t *Tx) error {
		ms, err = t.RecordScore(miner, uid, terms, alpha, now)
		return err
	})
	return ms, err
}

// PutCommit is Update with one Tx.PutCommit.
func (s *Store) PutCommit(c PendingCommit) error {
	return s.Update(func(t *Tx) error { return t.PutCommit(c) })
}

// PutReveal is Update with one Tx.PutReveal.
func (s *Store) PutReveal(r RevealedRow) error {
	return s.Update(func(t *Tx) error { return t.PutReveal(r) })
}

// PutOutput is Update with one Tx.PutOutput.
func (s *Store) PutOutput(o EpochOutput) error {
	return s.Update(func(t *Tx) error { return t.PutOutput(o) })
}

// SetOutboxPath is Update with one Tx.SetOutboxPath.
func (s *Store) SetOutboxPath(p string) error {
	return s.Update(func(t *Tx) error { return t.SetOutboxPath(p) })
}

// PutPeerCommit is Update with one Tx.PutPeerCommit.
func (s *Store) PutPeerCommit(validator common.Address, epoch uint64, commit common.Hash) error {
	return s.Update(func(t *Tx) error { return t.PutPeerCommit(validator, epoch, commit) })
}

// PeerCommit is a validator's commit hash of an epoch.
type PeerCommit struct {
	Validator common.Address
	Epoch     uint64
	Commit    common.Hash
}

// PeerCommits returns the commits recorded for epoch.
func (s *Store) PeerCommits(epoch uint64) ([]PeerCommit, error) {
	var out []PeerCommit
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bPeers).Cursor()
		for k, v := c.Seek(u64(epoch)); k != nil && len(k) == 28 && binary.BigEndian.Uint64(k) == epoch; k, v = c.Next() {
			out = append(out, PeerCommit{Validator: common.BytesToAddress(k[8:]), Epoch: epoch, Commit: common.BytesToHash(v)})
		}
		return nil
	})
	return out, err
}

// AllReveals returns every stored revealed row, by epoch then validator.
func (s *Store) AllReveals() ([]RevealedRow, error) {
	var out []RevealedRow
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bReveals).ForEach(func(k, v []byte) error {
			var r RevealedRow
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("store: decode reveal %x: %w", k, err)
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// Score returns miner's score.
func (s *Store) Score(miner common.Address) (ms MinerScore, err error) {
	err = s.db.View(func(tx *bolt.Tx) error { return get(tx, bScores, miner.Bytes(), &ms) })
	return ms, err
}

// Scores returns every miner's score, by address.
func (s *Store) Scores() ([]MinerScore, error) {
	var out []MinerScore
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bScores).ForEach(func(k, v []byte) error {
			var ms MinerScore
			if err := json.Unmarshal(v, &ms); err != nil {
				return fmt.Errorf("store: decode score %x: %w", k, err)
			}
			out = append(out, ms)
			return nil
		})
	})
	return out, err
}

// Commit returns this validator's pending commit of epoch.
func (s *Store) Commit(epoch uint64) (c PendingCommit, err error) {
	err = s.db.View(func(tx *bolt.Tx) error { return get(tx, bCommits, u64(epoch), &c) })
	return c, err
}

// Reveals returns the rows revealed for the commits of epoch, by validator.
func (s *Store) Reveals(epoch uint64) ([]RevealedRow, error) {
	var out []RevealedRow
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bReveals).Cursor()
		p := u64(epoch)
		for k, v := c.Seek(p); k != nil && len(k) == 28 && binary.BigEndian.Uint64(k) == epoch; k, v = c.Next() {
			var r RevealedRow
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("store: decode reveal %x: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Output returns the stored output of epoch.
func (s *Store) Output(epoch uint64) (o EpochOutput, err error) {
	err = s.db.View(func(tx *bolt.Tx) error { return get(tx, bOutputs, u64(epoch), &o) })
	return o, err
}

// LastOutput returns the output of the latest epoch stored.
func (s *Store) LastOutput() (o EpochOutput, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bOutputs).Cursor().Last()
		if k == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &o)
	})
	return o, err
}

// OutboxPath returns the relayer outbox path ("" if never set).
func (s *Store) OutboxPath() (p string, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		p = string(tx.Bucket(bMeta).Get([]byte(keyOutbox)))
		return nil
	})
	return p, err
}
