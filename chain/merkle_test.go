package chain_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/chain"
)

// TestLeafEncoding spells the leaf out from its definition.
func TestLeafEncoding(t *testing.T) {
	e := chain.Emission{UID: 258, Account: common.HexToAddress("0x00000000000000000000000000000000000000aa"), Amount: big.NewInt(1000)}
	enc := make([]byte, 128)
	enc[31] = 7                     // epoch
	enc[62], enc[63] = 1, 2         // uid 258
	enc[95] = 0xaa                  // account
	enc[126], enc[127] = 0x03, 0xe8 // 1000
	want := crypto.Keccak256Hash(crypto.Keccak256(enc))
	if got := chain.Leaf(7, e); got != want {
		t.Fatalf("leaf %s, want %s", got, want)
	}
}

func TestTreeProofs(t *testing.T) {
	for n := 1; n <= 33; n++ {
		var es []chain.Emission
		for i := 0; i < n; i++ {
			es = append(es, chain.Emission{UID: uint16(n - 1 - i), Account: common.BigToAddress(big.NewInt(int64(i + 1))), Amount: big.NewInt(int64(i * 10))})
		}
		tr, err := chain.NewTree(3, es)
		if err != nil {
			t.Fatal(err)
		}
		sum := big.NewInt(0)
		for _, e := range es {
			sum.Add(sum, e.Amount)
			got, proof, err := tr.Proof(e.UID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Account != e.Account || got.Amount.Cmp(e.Amount) != 0 {
				t.Fatalf("n=%d uid %d: proof for %+v", n, e.UID, got)
			}
			if !chain.VerifyProof(tr.Root(), chain.Leaf(3, e), proof) {
				t.Fatalf("n=%d uid %d: proof does not verify", n, e.UID)
			}
			if chain.VerifyProof(tr.Root(), chain.Leaf(4, e), proof) {
				t.Fatalf("n=%d uid %d: proof verifies for another epoch", n, e.UID)
			}
			bad := e
			bad.Amount = new(big.Int).Add(e.Amount, big.NewInt(1))
			if chain.VerifyProof(tr.Root(), chain.Leaf(3, bad), proof) {
				t.Fatalf("n=%d uid %d: proof verifies a changed amount", n, e.UID)
			}
		}
		if tr.Total().Cmp(sum) != 0 {
			t.Fatalf("n=%d total %v want %v", n, tr.Total(), sum)
		}
		if n == 1 && tr.Root() != chain.Leaf(3, es[0]) {
			t.Fatal("one-leaf root is not the leaf")
		}
		// Order of input does not matter.
		rev := make([]chain.Emission, n)
		for i := range es {
			rev[n-1-i] = es[i]
		}
		tr2, _ := chain.NewTree(3, rev)
		if tr2.Root() != tr.Root() {
			t.Fatalf("n=%d: root depends on input order", n)
		}
	}
}

func TestTreeRejectsBadInput(t *testing.T) {
	a := common.HexToAddress("0x01")
	cases := []struct {
		name string
		es   []chain.Emission
		want error
	}{
		{"empty", nil, chain.ErrEmptyTree},
		{"duplicate", []chain.Emission{{UID: 1, Account: a, Amount: big.NewInt(1)}, {UID: 1, Account: a, Amount: big.NewInt(2)}}, chain.ErrDuplicateUID},
		{"nil amount", []chain.Emission{{UID: 1, Account: a}}, chain.ErrInvalidAmount},
		{"negative", []chain.Emission{{UID: 1, Account: a, Amount: big.NewInt(-1)}}, chain.ErrInvalidAmount},
		{"too big", []chain.Emission{{UID: 1, Account: a, Amount: new(big.Int).Lsh(big.NewInt(1), 256)}}, chain.ErrInvalidAmount},
	}
	for _, c := range cases {
		if _, err := chain.NewTree(1, c.es); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	tr, _ := chain.NewTree(1, []chain.Emission{{UID: 1, Account: a, Amount: big.NewInt(1)}})
	if _, _, err := tr.Proof(2); !errors.Is(err, chain.ErrNotInTree) {
		t.Errorf("proof of absent uid: %v", err)
	}
}

// FuzzRecoverSigner: arbitrary signature bytes never panic and anything
// accepted recovers consistently.
func FuzzRecoverSigner(f *testing.F) {
	key, _ := crypto.GenerateKey()
	d := chain.Domain{ChainID: big.NewInt(1), Contract: common.HexToAddress("0x02")}
	r := chain.EpochReport{Netuid: 1, Epoch: 1, TotalEmission: big.NewInt(1)}
	sig, _ := chain.SignReport(key, d, r)
	f.Add(sig)
	f.Add(sig[:64])
	f.Add(make([]byte, 65))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := chain.RecoverSigner(d, r, b)
		if err != nil {
			if !errors.Is(err, chain.ErrInvalidSignature) {
				t.Fatalf("error %v is not ErrInvalidSignature", err)
			}
			return
		}
		if len(b) != 65 || (b[64] != 27 && b[64] != 28) {
			t.Fatalf("accepted %x", b)
		}
		if a2, _ := chain.RecoverSigner(d, r, b); a2 != a {
			t.Fatal("recovery not deterministic")
		}
	})
}
