package chain

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain/bindings"
)

func testABIs() map[string]*abi.ABI {
	r, l := bindings.NewSubnetRegistry().GetABI(), bindings.NewEmissionsLedger().GetABI()
	return map[string]*abi.ABI{"SubnetRegistry": &r, "EmissionsLedger": &l}
}

func TestDecodeRevert(t *testing.T) {
	abis := testABIs()
	e := abis["EmissionsLedger"].Errors["QuorumNotReached"]
	args, _ := e.Inputs.Pack(big.NewInt(60), big.NewInt(90))
	err := decodeRevert(append(e.ID[:4:4], args...), abis)
	var ce *ContractError
	if !errors.As(err, &ce) || ce.Name != "QuorumNotReached" || ce.Contract != "EmissionsLedger" ||
		ce.Error() != "EmissionsLedger reverted: QuorumNotReached(signedStake=60, totalStake=90): signers must hold more than 2/3 of the permitted stake" {
		t.Fatalf("decoded %v", err)
	}
	if !errors.Is(err, &ContractError{Name: "QuorumNotReached"}) || errors.Is(err, &ContractError{Name: "InvalidProof"}) {
		t.Fatal("errors.Is by name")
	}
	u := abis["SubnetRegistry"].Errors["NotOwner"]
	args, _ = u.Inputs.Pack(common.HexToAddress("0x0a"))
	if err := decodeRevert(append(u.ID[:4:4], args...), abis); !IsContractError(err, "NotOwner") {
		t.Fatalf("registry error: %v", err)
	}
	for _, junk := range [][]byte{nil, {1, 2, 3}, {0xde, 0xad, 0xbe, 0xef}} {
		if err := decodeRevert(junk, abis); err != nil {
			t.Errorf("%x decoded as %v", junk, err)
		}
	}
	// Truncated arguments are reported, not decoded into garbage.
	if err := decodeRevert(e.ID[:4], abis); err == nil || IsContractError(err, "QuorumNotReached") {
		t.Errorf("truncated: %v", err)
	}
}

// FuzzDecodeRevert: revert data comes from the RPC endpoint; any bytes must
// decode or be refused without panicking.
func FuzzDecodeRevert(f *testing.F) {
	abis := testABIs()
	e := abis["EmissionsLedger"].Errors["StaleEpoch"]
	args, _ := e.Inputs.Pack(uint64(1), uint64(2))
	f.Add(append(e.ID[:4:4], args...))
	f.Add([]byte{0x08, 0xc3, 0x79, 0xa0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = decodeRevert(b, abis)
	})
}
