package devchain

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
)

// The journal makes a dev chain survive a restart. go-ethereum's simulated
// backend always starts from genesis, so the chain records every block that
// carries transactions (one JSON line, fsynced) and, once deployed, the
// contracts' addresses; on the next start it commits the same blocks again:
// same genesis, same transactions in the same blocks give the same state,
// block numbers included. Empty blocks are replayed up to the last recorded
// head.
type journalRecord struct {
	Block uint64          `json:"block,omitempty"`
	Txs   []hexutil.Bytes `json:"txs,omitempty"`
	Info  *Info           `json:"info,omitempty"`
	Head  uint64          `json:"head,omitempty"`
}

type journal struct {
	f *os.File
}

// readJournal returns the records of path (none if it does not exist). A
// torn last line (a crash while appending) is dropped.
func readJournal(path string) ([]journalRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []journalRecord
	r := bufio.NewReader(f)
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return recs, nil // a line without its newline is a torn write
		}
		if err != nil {
			return nil, err
		}
		var rec journalRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		recs = append(recs, rec)
	}
}

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &journal{f: f}, nil
}

func (j *journal) append(rec journalRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) close() error { return j.f.Close() }

// recordHead appends the block at the backend's head if it carries
// transactions.
func (j *journal) recordHead(ctx context.Context, c simulated.Client) error {
	blk, err := c.BlockByNumber(ctx, nil)
	if err != nil {
		return err
	}
	if len(blk.Transactions()) == 0 {
		return nil
	}
	rec := journalRecord{Block: blk.NumberU64()}
	for _, tx := range blk.Transactions() {
		b, err := tx.MarshalBinary()
		if err != nil {
			return err
		}
		rec.Txs = append(rec.Txs, b)
	}
	return j.append(rec)
}

// replay commits the journal's blocks on a fresh backend and returns the
// recorded contract addresses.
func replay(ctx context.Context, b *simulated.Backend, recs []journalRecord) (*Info, error) {
	c := b.Client()
	var info *Info
	var last uint64
	commitTo := func(n uint64) error { // empty blocks until the head is n
		for {
			h, err := c.BlockNumber(ctx)
			if err != nil {
				return err
			}
			if h >= n {
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			b.Commit()
		}
	}
	for _, rec := range recs {
		switch {
		case rec.Info != nil:
			info = rec.Info
		case rec.Head > 0:
			last = max(last, rec.Head)
		case rec.Block > 0:
			if err := commitTo(rec.Block - 1); err != nil {
				return nil, err
			}
			for i, raw := range rec.Txs {
				tx := new(types.Transaction)
				if err := tx.UnmarshalBinary(raw); err != nil {
					return nil, fmt.Errorf("block %d tx %d: %w", rec.Block, i, err)
				}
				if err := c.SendTransaction(ctx, tx); err != nil {
					return nil, fmt.Errorf("block %d tx %d: %w", rec.Block, i, err)
				}
			}
			b.Commit()
			blk, err := c.BlockByNumber(ctx, new(big.Int).SetUint64(rec.Block))
			if err != nil {
				return nil, fmt.Errorf("block %d: %w", rec.Block, err)
			}
			if len(blk.Transactions()) != len(rec.Txs) {
				return nil, fmt.Errorf("block %d holds %d of its %d transactions", rec.Block, len(blk.Transactions()), len(rec.Txs))
			}
			last = max(last, rec.Block)
		}
	}
	if info == nil {
		return nil, errors.New("no contract addresses recorded")
	}
	if err := commitTo(last); err != nil {
		return nil, err
	}
	return info, nil
}
