package chain_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/ganglion-subnet/ganglion/chain"
)

// apitypesDigest computes the digest with go-ethereum's EIP-712 encoder from
// the typed data a wallet would be shown.
func apitypesDigest(t *testing.T, d chain.Domain, r chain.EpochReport) common.Hash {
	t.Helper()
	h, _, err := apitypes.TypedDataAndHash(chain.TypedData(d, r))
	if err != nil {
		t.Fatal(err)
	}
	return common.BytesToHash(h)
}

// byHand spells EIP-712 out from the spec with nothing but keccak and abi
// word padding, independently of chain.Digest.
func byHand(d chain.Domain, r chain.EpochReport) common.Hash {
	word := func(x *big.Int) []byte { return common.LeftPadBytes(x.Bytes(), 32) }
	dom := crypto.Keccak256(
		crypto.Keccak256([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")),
		crypto.Keccak256([]byte("Ganglion")), crypto.Keccak256([]byte("1")),
		word(d.ChainID), common.LeftPadBytes(d.Contract.Bytes(), 32))
	st := crypto.Keccak256(
		crypto.Keccak256([]byte("EpochReport(uint16 netuid,uint64 epoch,bytes32 emissionsRoot,uint256 totalEmission)")),
		word(big.NewInt(int64(r.Netuid))), word(new(big.Int).SetUint64(r.Epoch)), r.EmissionsRoot.Bytes(), word(r.TotalEmission))
	return crypto.Keccak256Hash([]byte("\x19\x01"), dom, st)
}

func TestDigestThreeWays(t *testing.T) {
	domains := []chain.Domain{
		{ChainID: big.NewInt(1337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")},
		{ChainID: big.NewInt(964), Contract: common.HexToAddress("0xffffffffffffffffffffffffffffffffffffffff")},
	}
	reports := []chain.EpochReport{
		{Netuid: 1, Epoch: 1, EmissionsRoot: crypto.Keccak256Hash([]byte("a")), TotalEmission: big.NewInt(1)},
		{Netuid: 65535, Epoch: 1<<64 - 1, EmissionsRoot: common.Hash{}, TotalEmission: new(big.Int).Lsh(big.NewInt(1), 255)},
	}
	seen := map[common.Hash]bool{}
	for _, d := range domains {
		for _, r := range reports {
			got := chain.Digest(d, r)
			if want := byHand(d, r); got != want {
				t.Errorf("Digest %s, by hand %s", got, want)
			}
			if want := apitypesDigest(t, d, r); got != want {
				t.Errorf("Digest %s, apitypes %s", got, want)
			}
			if seen[got] {
				t.Errorf("digest %s repeats across domains or reports", got)
			}
			seen[got] = true
		}
	}
}

func TestSignRecover(t *testing.T) {
	key, _ := crypto.GenerateKey()
	d := chain.Domain{ChainID: big.NewInt(1337), Contract: common.HexToAddress("0x01")}
	r := chain.EpochReport{Netuid: 1, Epoch: 9, EmissionsRoot: common.HexToHash("0xabc"), TotalEmission: big.NewInt(5)}
	sig, err := chain.SignReport(key, d, r)
	if err != nil {
		t.Fatal(err)
	}
	if v := sig[64]; v != 27 && v != 28 {
		t.Fatalf("v = %d", v)
	}
	// Standard tooling: ecrecover over the digest with v-27.
	norm := append([]byte{}, sig...)
	norm[64] -= 27
	pub, err := crypto.Ecrecover(chain.Digest(d, r).Bytes(), norm)
	if err != nil || common.BytesToAddress(crypto.Keccak256(pub[1:])[12:]) != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("ecrecover: %v", err)
	}
	got, err := chain.RecoverSigner(d, r, sig)
	if err != nil || got != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("RecoverSigner = %s, %v", got, err)
	}
	for name, bad := range map[string][]byte{"v raw": norm, "short": sig[:64], "empty": nil} {
		if _, err := chain.RecoverSigner(d, r, bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
