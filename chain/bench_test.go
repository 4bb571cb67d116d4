package chain_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/chain"
)

func benchEmissions(n int) []chain.Emission {
	es := make([]chain.Emission, n)
	for i := range es {
		es[i] = chain.Emission{UID: uint16(i), Account: common.BigToAddress(big.NewInt(int64(i + 1))), Amount: big.NewInt(int64(1e12 + i))}
	}
	return es
}

// BenchmarkNewTree4096 builds an epoch's tree for a full 4,096-uid subnet.
func BenchmarkNewTree4096(b *testing.B) {
	es := benchEmissions(4096)
	for b.Loop() {
		if _, err := chain.NewTree(1, es); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProof4096(b *testing.B) {
	tr, _ := chain.NewTree(1, benchEmissions(4096))
	for i := 0; b.Loop(); i++ {
		if _, _, err := tr.Proof(uint16(i % 4096)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignReport(b *testing.B) {
	key, _ := crypto.GenerateKey()
	d := chain.Domain{ChainID: big.NewInt(1337), Contract: common.HexToAddress("0x01")}
	r := chain.EpochReport{Netuid: 1, Epoch: 1, EmissionsRoot: common.HexToHash("0x02"), TotalEmission: big.NewInt(3)}
	for b.Loop() {
		if _, err := chain.SignReport(key, d, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecoverSigner(b *testing.B) {
	key, _ := crypto.GenerateKey()
	d := chain.Domain{ChainID: big.NewInt(1337), Contract: common.HexToAddress("0x01")}
	r := chain.EpochReport{Netuid: 1, Epoch: 1, EmissionsRoot: common.HexToHash("0x02"), TotalEmission: big.NewInt(3)}
	sig, _ := chain.SignReport(key, d, r)
	for b.Loop() {
		if _, err := chain.RecoverSigner(d, r, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchmarksRun runs each benchmark once so they never rot.
func TestBenchmarksRun(t *testing.T) {
	for name, f := range map[string]func(*testing.B){
		"NewTree4096": BenchmarkNewTree4096, "Proof4096": BenchmarkProof4096,
		"SignReport": BenchmarkSignReport, "RecoverSigner": BenchmarkRecoverSigner,
	} {
		if r := testing.Benchmark(f); r.N == 0 {
			t.Errorf("%s did not run", name)
		}
	}
}
