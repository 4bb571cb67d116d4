package chain

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// EIP-712 domain constants of the EmissionsLedger.
const (
	DomainName    = "Ganglion"
	DomainVersion = "1"
)

var (
	epochReportTypeHash = crypto.Keccak256Hash([]byte("EpochReport(uint16 netuid,uint64 epoch,bytes32 emissionsRoot,uint256 totalEmission)"))
	domainTypeHash      = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	secp256k1HalfN      = new(big.Int).Rsh(crypto.S256().Params().N, 1)
)

// EpochReport is what validators sign at the end of an epoch: the subnet, the
// epoch and the Merkle root and sum of its emissions.
type EpochReport struct {
	Netuid        uint16
	Epoch         uint64
	EmissionsRoot common.Hash
	TotalEmission *big.Int
}

// Domain is the EIP-712 domain of one EmissionsLedger deployment.
type Domain struct {
	ChainID  *big.Int
	Contract common.Address // the EmissionsLedger
}

func (r EpochReport) total() *big.Int {
	if r.TotalEmission == nil {
		return new(big.Int)
	}
	return r.TotalEmission
}

// Separator is the EIP-712 domain separator.
func (d Domain) Separator() common.Hash {
	chainID := d.ChainID
	if chainID == nil {
		chainID = new(big.Int)
	}
	return crypto.Keccak256Hash(
		domainTypeHash[:],
		crypto.Keccak256([]byte(DomainName)),
		crypto.Keccak256([]byte(DomainVersion)),
		math.U256Bytes(new(big.Int).Set(chainID)),
		common.LeftPadBytes(d.Contract[:], 32),
	)
}

// StructHash is hashStruct(EpochReport).
func (r EpochReport) StructHash() common.Hash {
	return crypto.Keccak256Hash(
		epochReportTypeHash[:],
		common.LeftPadBytes(new(big.Int).SetUint64(uint64(r.Netuid)).Bytes(), 32),
		common.LeftPadBytes(new(big.Int).SetUint64(r.Epoch).Bytes(), 32),
		r.EmissionsRoot[:],
		math.U256Bytes(new(big.Int).Set(r.total())),
	)
}

// Digest is the EIP-712 digest keccak256("\x19\x01" ‖ domainSeparator ‖
// hashStruct(report)) that validators sign.
func Digest(d Domain, r EpochReport) common.Hash {
	sep := d.Separator()
	sh := r.StructHash()
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], sh[:])
}

// TypedData is the report as EIP-712 typed data, as eth_signTypedData_v4 and
// wallets take it.
func TypedData(d Domain, r EpochReport) apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"},
				{Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"},
				{Name: "verifyingContract", Type: "address"},
			},
			"EpochReport": {
				{Name: "netuid", Type: "uint16"},
				{Name: "epoch", Type: "uint64"},
				{Name: "emissionsRoot", Type: "bytes32"},
				{Name: "totalEmission", Type: "uint256"},
			},
		},
		PrimaryType: "EpochReport",
		Domain: apitypes.TypedDataDomain{
			Name:              DomainName,
			Version:           DomainVersion,
			ChainId:           (*math.HexOrDecimal256)(d.ChainID),
			VerifyingContract: d.Contract.Hex(),
		},
		Message: apitypes.TypedDataMessage{
			"netuid":        fmt.Sprint(r.Netuid),
			"epoch":         fmt.Sprint(r.Epoch),
			"emissionsRoot": r.EmissionsRoot.Hex(),
			"totalEmission": r.total().String(),
		},
	}
}

// SignReport signs the report's digest and returns r‖s‖v with v ∈ {27, 28}.
func SignReport(key *ecdsa.PrivateKey, d Domain, r EpochReport) ([]byte, error) {
	digest := Digest(d, r)
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return nil, fmt.Errorf("sign epoch report: %w", err)
	}
	sig[64] += 27
	return sig, nil
}

// RecoverSigner returns the address that signed report r under domain d with
// sig (r‖s‖v, v ∈ {27, 28}, low s), the same rules the contract applies.
func RecoverSigner(d Domain, r EpochReport, sig []byte) (common.Address, error) {
	digest := Digest(d, r)
	return recoverDigest(digest, sig)
}

func recoverDigest(digest common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want 65", ErrInvalidSignature, len(sig))
	}
	if v := sig[64]; v != 27 && v != 28 {
		return common.Address{}, fmt.Errorf("%w: v = %d, want 27 or 28", ErrInvalidSignature, v)
	}
	if new(big.Int).SetBytes(sig[32:64]).Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, fmt.Errorf("%w: high s", ErrInvalidSignature)
	}
	norm := make([]byte, 65)
	copy(norm, sig)
	norm[64] -= 27
	pub, err := crypto.SigToPub(digest[:], norm)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrInvalidSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
