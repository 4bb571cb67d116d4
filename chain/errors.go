package chain

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// Sentinel errors.
var (
	// ErrNoKey is returned by a transaction on a read-only Client.
	ErrNoKey = errors.New("chain: client has no signing key")
	// ErrInvalidSignature is returned for a report signature that is not 65
	// bytes, has v outside {27, 28}, a high s, or does not recover.
	ErrInvalidSignature = errors.New("chain: invalid signature")
	// ErrEmptyTree is returned when a Merkle tree has no leaves.
	ErrEmptyTree = errors.New("chain: no emissions")
	// ErrDuplicateUID is returned when two emissions name the same uid.
	ErrDuplicateUID = errors.New("chain: duplicate uid")
	// ErrInvalidAmount is returned for a nil, negative or > 2^256-1 amount.
	ErrInvalidAmount = errors.New("chain: invalid amount")
	// ErrNotInTree is returned for a proof of a uid the tree does not hold.
	ErrNotInTree = errors.New("chain: uid not in tree")
	// ErrTxFailed is returned when a mined transaction has status 0 and the
	// replayed call does not say why.
	ErrTxFailed = errors.New("chain: transaction failed")
	// ErrZeroRoot is returned for a report without an emissions root.
	ErrZeroRoot = errors.New("chain: report has a zero emissions root")
	// ErrWrongReport is returned when a signature is offered for a report of
	// another netuid than the relayer's.
	ErrWrongReport = errors.New("chain: report for another subnet")
)

// ContractError is a custom Solidity error a contract reverted with, decoded
// from the revert data.
type ContractError struct {
	Contract string         // "EmissionsLedger" or "SubnetRegistry"
	Name     string         // e.g. "QuorumNotReached"
	Args     map[string]any // argument name → value
	Inputs   []string       // argument names in order
	Selector [4]byte
}

func (e *ContractError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s reverted: %s(", e.Contract, e.Name)
	for i, n := range e.Inputs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%v", n, e.Args[n])
	}
	b.WriteString(")")
	if hint := errorHints[e.Name]; hint != "" {
		b.WriteString(": " + hint)
	}
	return b.String()
}

// Is makes errors.Is(err, &ContractError{Name: "AlreadyClaimed"}) match by name.
func (e *ContractError) Is(target error) bool {
	t, ok := target.(*ContractError)
	return ok && t.Name == e.Name && (t.Contract == "" || t.Contract == e.Contract)
}

// IsContractError reports whether err is (or wraps) the custom error name.
func IsContractError(err error, name string) bool {
	var ce *ContractError
	return errors.As(err, &ce) && ce.Name == name
}

var errorHints = map[string]string{
	"UnknownValidator":      "the signer holds no validator permit (forged, tampered or replayed signature, or a wrong domain)",
	"InvalidSignature":      "signatures must be 65 bytes with v 27/28 and low s",
	"AlreadyVoted":          "this validator already attested this epoch under the current validator set",
	"EpochAlreadyFinalized": "the epoch is final already",
	"StaleEpoch":            "epochs finalise in increasing order",
	"QuorumNotReached":      "signers must hold more than 2/3 of the permitted stake",
	"SignersNotAscending":   "signatures must be sorted by signer address, without duplicates",
	"WrongNetuid":           "the report is for another subnet",
	"AlreadyClaimed":        "this emission was claimed already",
	"InvalidProof":          "the Merkle proof does not lead to the epoch's root",
	"EpochNotFinalized":     "the epoch has no finalised report yet",
	"InsufficientPool":      "fund the emission pool first",
	"ZeroRoot":              "a report needs a non-zero emissions root",
	"WrongDeposit":          "send exactly the registration deposit",
	"NoPrunableUid":         "the subnet is full and every uid is immune or holds a validator permit",
}

// decodeRevert turns revert data into a *ContractError using the given ABIs,
// or returns nil when the data matches none of their errors.
func decodeRevert(data []byte, abis map[string]*abi.ABI) error {
	if len(data) < 4 {
		return nil
	}
	var id [4]byte
	copy(id[:], data[:4])
	for _, name := range []string{"EmissionsLedger", "SubnetRegistry"} {
		a := abis[name]
		if a == nil {
			continue
		}
		e, err := a.ErrorByID(id)
		if err != nil {
			continue
		}
		ce := &ContractError{Contract: name, Name: e.Name, Selector: id, Args: map[string]any{}}
		vals, err := e.Inputs.Unpack(data[4:])
		if err != nil {
			return fmt.Errorf("%s reverted with %s and undecodable arguments: %w", name, e.Name, err)
		}
		for i, in := range e.Inputs {
			ce.Inputs = append(ce.Inputs, in.Name)
			ce.Args[in.Name] = vals[i]
		}
		return ce
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		return fmt.Errorf("execution reverted: %s", reason)
	}
	return nil
}
