package subtensor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/crypto/blake2b"
)

// AccountID is a 32-byte substrate account (a hotkey or coldkey).
type AccountID [32]byte

// MirrorAccount is the substrate account an EVM address acts as on
// Subtensor: blake2b_256("evm:" ‖ address).
func MirrorAccount(addr common.Address) AccountID {
	return AccountID(blake2b.Sum256(append([]byte("evm:"), addr[:]...)))
}

// ErrWeights is returned for an unusable weight row.
var ErrWeights = errors.New("subtensor: invalid weights")

// CommitPayload is the SCALE encoding the v2 commit hash covers.
func CommitPayload(hotkey AccountID, netuid uint16, uids, values, salt []uint16, versionKey uint64) []byte {
	b := make([]byte, 0, 32+2+3*5+2*(len(uids)+len(values)+len(salt))+8)
	b = append(b, hotkey[:]...)
	b = binary.LittleEndian.AppendUint16(b, netuid)
	b = AppendU16s(b, uids)
	b = AppendU16s(b, values)
	b = AppendU16s(b, salt)
	return binary.LittleEndian.AppendUint64(b, versionKey)
}

// CommitHash is Subtensor's commit-reveal v2 weight hash,
// BlakeTwo256(SCALE(hotkey, netuid, uids, values, salt, version_key)).
func CommitHash(hotkey AccountID, netuid uint16, uids, values, salt []uint16, versionKey uint64) common.Hash {
	return common.Hash(blake2b.Sum256(CommitPayload(hotkey, netuid, uids, values, salt, versionKey)))
}

// Quantize scales non-negative weights so the largest becomes 65535, as
// Subtensor expects a weight row; zero rows stay zero.
func Quantize(w []float64) ([]uint16, error) {
	maxW := 0.0
	for i, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return nil, fmt.Errorf("%w: weight %d is %v", ErrWeights, i, x)
		}
		maxW = max(maxW, x)
	}
	out := make([]uint16, len(w))
	if maxW == 0 {
		return out, nil
	}
	for i, x := range w {
		out[i] = uint16(math.Round(x / maxW * 65535))
	}
	return out, nil
}
