package chain_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/chain"
)

// ethersRecover runs chain/contracts/verify-report.js (ethers v6
// verifyTypedData) and returns the address it recovers. It skips when node or
// the npm packages are missing, unless GANGLION_REQUIRE_INTEROP=1 (CI).
func ethersRecover(t *testing.T, d chain.Domain, r chain.EpochReport, sig []byte) (common.Address, error) {
	t.Helper()
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join("contracts", "node_modules", "ethers"))
	if err != nil || modErr != nil {
		if os.Getenv("GANGLION_REQUIRE_INTEROP") == "1" {
			t.Fatalf("node or chain/contracts/node_modules/ethers missing (run npm ci in chain/contracts): %v %v", err, modErr)
		}
		t.Skip("node or ethers not installed: run `npm ci` in chain/contracts to check signatures with ethers")
	}
	in, _ := json.Marshal(map[string]any{
		"domain": map[string]any{
			"name": "Ganglion", "version": "1",
			"chainId":           d.ChainID.String(),
			"verifyingContract": d.Contract.Hex(),
		},
		"message": map[string]any{
			"netuid":        r.Netuid,
			"epoch":         new(big.Int).SetUint64(r.Epoch).String(), // above 2^53: decimal string
			"emissionsRoot": r.EmissionsRoot.Hex(),
			"totalEmission": r.TotalEmission.String(),
		},
		"signature": hexutil.Encode(sig),
	})
	cmd := exec.Command(node, filepath.Join("contracts", "verify-report.js"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return common.Address{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return common.HexToAddress(strings.TrimSpace(string(out))), nil
}

func TestSignaturesVerifyWithEthers(t *testing.T) {
	key, _ := crypto.GenerateKey()
	want := crypto.PubkeyToAddress(key.PublicKey)
	d := chain.Domain{ChainID: big.NewInt(945), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	reports := []chain.EpochReport{
		{Netuid: 1, Epoch: 1, EmissionsRoot: common.HexToHash("0x01"), TotalEmission: big.NewInt(1_000_000_000)},
		{Netuid: 65535, Epoch: 1<<63 + 7, EmissionsRoot: crypto.Keccak256Hash([]byte("root")), TotalEmission: huge},
	}
	for _, r := range reports {
		sig, err := chain.SignReport(key, d, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ethersRecover(t, d, r, sig)
		if err != nil {
			t.Fatalf("ethers: %v", err)
		}
		if got != want {
			t.Fatalf("epoch %d: ethers recovers %s, signer is %s", r.Epoch, got, want)
		}
		// A different domain (another chain) must recover someone else.
		other := chain.Domain{ChainID: big.NewInt(964), Contract: d.Contract}
		if got, err := ethersRecover(t, other, r, sig); err == nil && got == want {
			t.Fatalf("signature for chain 945 verified on chain 964")
		}
	}
}
