package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ErrNoLogs is returned by the event readers when the Client's backend
// cannot filter logs (it does not implement ethereum.LogFilterer).
var ErrNoLogs = errors.New("chain: the backend cannot filter logs")

// logChunk bounds the blocks of one eth_getLogs request: public endpoints
// refuse large ranges.
const logChunk = 5000

// FinalizedEpoch is the ledger's EpochFinalized event: an epoch whose
// emissions root became final, and the transaction that did it.
type FinalizedEpoch struct {
	Epoch               uint64
	EmissionsRoot       common.Hash
	TotalEmission       *big.Int
	SignedStake         *big.Int // stake that signed the report
	TotalStake          *big.Int // permitted stake then
	ValidatorSetVersion uint64
	Block               uint64
	TxHash              common.Hash
}

// ClaimEvent is the ledger's Claimed event: uid's emission of epoch paid
// to account.
type ClaimEvent struct {
	Epoch   uint64
	UID     uint16
	Account common.Address
	Amount  *big.Int
	Block   uint64
	TxHash  common.Hash
}

// FinalizedEpochs reads the EpochFinalized events from block from to the
// chain's head, oldest first, and returns the block to continue from. On an
// error it returns the events read before it and the block to retry from.
func (c *Client) FinalizedEpochs(ctx context.Context, from uint64) ([]FinalizedEpoch, uint64, error) {
	var out []FinalizedEpoch
	next, err := c.scanLedger(ctx, "EpochFinalized", from, func(l *types.Log) error {
		ev, err := c.ledger.UnpackEpochFinalizedEvent(l)
		if err != nil {
			return err
		}
		out = append(out, FinalizedEpoch{Epoch: ev.Epoch, EmissionsRoot: ev.EmissionsRoot, TotalEmission: ev.TotalEmission,
			SignedStake: ev.SignedStake, TotalStake: ev.TotalStake, ValidatorSetVersion: ev.ValidatorSetVersion,
			Block: l.BlockNumber, TxHash: l.TxHash})
		return nil
	})
	return out, next, err
}

// Claims reads the Claimed events from block from to the chain's head,
// oldest first, and returns the block to continue from (on an error: the
// events read before it and the block to retry from).
func (c *Client) Claims(ctx context.Context, from uint64) ([]ClaimEvent, uint64, error) {
	var out []ClaimEvent
	next, err := c.scanLedger(ctx, "Claimed", from, func(l *types.Log) error {
		ev, err := c.ledger.UnpackClaimedEvent(l)
		if err != nil {
			return err
		}
		out = append(out, ClaimEvent{Epoch: ev.Epoch, UID: ev.Uid, Account: ev.Account, Amount: ev.Amount,
			Block: l.BlockNumber, TxHash: l.TxHash})
		return nil
	})
	return out, next, err
}

// scanLedger passes every log of the ledger's event from block from to the
// head to fn, in chunks of logChunk blocks; it returns head+1.
func (c *Client) scanLedger(ctx context.Context, event string, from uint64, fn func(*types.Log) error) (uint64, error) {
	lf, ok := c.backend.(ethereum.LogFilterer)
	if !ok {
		return from, ErrNoLogs
	}
	ev, ok := c.abis["EmissionsLedger"].Events[event]
	if !ok {
		return from, fmt.Errorf("chain: no ledger event %s", event)
	}
	h, err := retry(ctx, c, "head", func() (*types.Header, error) { return c.backend.HeaderByNumber(ctx, nil) })
	if err != nil {
		return from, fmt.Errorf("chain: head: %w", err)
	}
	head := h.Number.Uint64()
	for lo := from; lo <= head; lo += logChunk {
		hi := min(lo+logChunk-1, head)
		q := ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi),
			Addresses: []common.Address{c.addrs.Ledger}, Topics: [][]common.Hash{{ev.ID}}}
		logs, err := retry(ctx, c, "logs", func() ([]types.Log, error) { return lf.FilterLogs(ctx, q) })
		if err != nil {
			return lo, fmt.Errorf("chain: %s logs %d..%d: %w", event, lo, hi, err)
		}
		for i := range logs {
			if logs[i].Removed {
				continue
			}
			if err := fn(&logs[i]); err != nil {
				return lo, fmt.Errorf("chain: decode %s at block %d: %w", event, logs[i].BlockNumber, err)
			}
		}
	}
	return head + 1, nil
}
