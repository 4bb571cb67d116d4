package subtensor

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Precompile addresses (H160::from_low_u64_be(index)).
var (
	StakingV1Precompile   = common.BigToAddress(big.NewInt(0x801))
	MetagraphPrecompile   = common.BigToAddress(big.NewInt(0x802))
	SubnetPrecompile      = common.BigToAddress(big.NewInt(0x803))
	NeuronPrecompile      = common.BigToAddress(big.NewInt(0x804))
	StakingV2Precompile   = common.BigToAddress(big.NewInt(0x805))
	UIDLookupPrecompile   = common.BigToAddress(big.NewInt(0x806))
	AddrMappingPrecompile = common.BigToAddress(big.NewInt(0x80c))
)

// Chain ids of Subtensor's EVM.
const (
	ChainIDMainnet  = 964
	ChainIDTestnet  = 945
	ChainIDLocalnet = 42
)

const neuronABI = `[
{"type":"function","name":"setWeights","stateMutability":"payable","inputs":[{"name":"netuid","type":"uint16"},{"name":"dests","type":"uint16[]"},{"name":"weights","type":"uint16[]"},{"name":"versionKey","type":"uint64"}],"outputs":[]},
{"type":"function","name":"commitWeights","stateMutability":"payable","inputs":[{"name":"netuid","type":"uint16"},{"name":"commitHash","type":"bytes32"}],"outputs":[]},
{"type":"function","name":"revealWeights","stateMutability":"payable","inputs":[{"name":"netuid","type":"uint16"},{"name":"uids","type":"uint16[]"},{"name":"values","type":"uint16[]"},{"name":"salt","type":"uint16[]"},{"name":"versionKey","type":"uint64"}],"outputs":[]},
{"type":"function","name":"burnedRegister","stateMutability":"payable","inputs":[{"name":"netuid","type":"uint16"},{"name":"hotkey","type":"bytes32"}],"outputs":[]}
]`

// NeuronABI is the ABI of the neuron precompile's calls Ganglion uses.
var NeuronABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(neuronABI))
	if err != nil {
		panic(err) // constant input
	}
	return a
}()

// ErrLength is returned when uids and values differ in length.
var ErrLength = errors.New("subtensor: uids and values differ in length")

// PackSetWeights is the calldata of setWeights(netuid, dests, weights, versionKey).
func PackSetWeights(netuid uint16, uids, values []uint16, versionKey uint64) ([]byte, error) {
	if len(uids) != len(values) {
		return nil, ErrLength
	}
	return NeuronABI.Pack("setWeights", netuid, orEmpty(uids), orEmpty(values), versionKey)
}

// PackCommitWeights is the calldata of commitWeights(netuid, commitHash).
func PackCommitWeights(netuid uint16, hash common.Hash) ([]byte, error) {
	return NeuronABI.Pack("commitWeights", netuid, [32]byte(hash))
}

// PackRevealWeights is the calldata of revealWeights(netuid, uids, values, salt, versionKey).
func PackRevealWeights(netuid uint16, uids, values, salt []uint16, versionKey uint64) ([]byte, error) {
	if len(uids) != len(values) {
		return nil, ErrLength
	}
	return NeuronABI.Pack("revealWeights", netuid, orEmpty(uids), orEmpty(values), orEmpty(salt), versionKey)
}

func orEmpty(v []uint16) []uint16 {
	if v == nil {
		return []uint16{}
	}
	return v
}

// TxParams are what an EIP-1559 transaction needs besides its calldata.
type TxParams struct {
	ChainID   *big.Int
	Nonce     uint64
	Gas       uint64
	GasTipCap *big.Int
	GasFeeCap *big.Int
}

// Validate checks the parameters are complete.
func (p TxParams) Validate() error {
	switch {
	case p.ChainID == nil || p.ChainID.Sign() <= 0:
		return errors.New("subtensor: chain id missing")
	case p.Gas == 0:
		return errors.New("subtensor: gas limit missing")
	case p.GasTipCap == nil || p.GasFeeCap == nil:
		return errors.New("subtensor: gas tip and fee cap missing")
	case p.GasFeeCap.Cmp(p.GasTipCap) < 0:
		return fmt.Errorf("subtensor: fee cap %v below tip %v", p.GasFeeCap, p.GasTipCap)
	}
	return nil
}

// SignNeuronCall returns the signed EIP-1559 transaction calling the neuron
// precompile with data.
func SignNeuronCall(key *ecdsa.PrivateKey, p TxParams, data []byte) (*types.Transaction, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	to := NeuronPrecompile
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(p.ChainID), &types.DynamicFeeTx{
		ChainID: p.ChainID, Nonce: p.Nonce, GasTipCap: p.GasTipCap, GasFeeCap: p.GasFeeCap, Gas: p.Gas, To: &to, Data: data,
	})
	if err != nil {
		return nil, fmt.Errorf("subtensor: sign: %w", err)
	}
	return tx, nil
}
