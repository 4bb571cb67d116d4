package identity

import (
	"testing"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	p2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func TestPeerIDRoundTrip(t *testing.T) {
	for i := 0; i < 20; i++ {
		k, err := ethcrypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		id, err := PeerID(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if got := id.String()[:5]; got != "16Uiu" {
			t.Fatalf("peer id %s: want a secp256k1 (16Uiu…) id", id)
		}
		addr, err := Address(id)
		if err != nil {
			t.Fatal(err)
		}
		if want := ethcrypto.PubkeyToAddress(k.PublicKey); addr != want {
			t.Fatalf("address %s, want %s", addr, want)
		}
		lk, err := LibP2PKey(k)
		if err != nil {
			t.Fatal(err)
		}
		id2, err := peer.IDFromPrivateKey(lk)
		if err != nil || id2 != id {
			t.Fatalf("libp2p key gives %s, want %s (%v)", id2, id, err)
		}
	}
}

func TestAddressRejectsEd25519(t *testing.T) {
	sk, _, err := p2pcrypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(sk)
	if _, err := Address(id); err == nil {
		t.Fatal("want error for an ed25519 peer id")
	}
}
