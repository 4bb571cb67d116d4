// Package identity converts between the two faces of an operator's
// secp256k1 key: its Ethereum address and its libp2p peer ID.
//
// Import rules: an internal utility; it imports nothing of this module.
package identity

import (
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	p2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// LibP2PKey returns the libp2p form of an Ethereum private key.
func LibP2PKey(k *ecdsa.PrivateKey) (p2pcrypto.PrivKey, error) {
	return p2pcrypto.UnmarshalSecp256k1PrivateKey(ethcrypto.FromECDSA(k))
}

// PeerID returns the libp2p peer ID of a secp256k1 public key.
func PeerID(pub *ecdsa.PublicKey) (peer.ID, error) {
	pk, err := p2pcrypto.UnmarshalSecp256k1PublicKey(ethcrypto.CompressPubkey(pub))
	if err != nil {
		return "", err
	}
	return peer.IDFromPublicKey(pk)
}

// Address returns the Ethereum address of the key inside a peer ID. Only
// secp256k1 peer IDs (16Uiu2…) carry an address; others give an error.
func Address(id peer.ID) (common.Address, error) {
	pk, err := id.ExtractPublicKey()
	if err != nil {
		return common.Address{}, fmt.Errorf("peer %s: %w", id, err)
	}
	if pk.Type() != p2pcrypto.Secp256k1 {
		return common.Address{}, fmt.Errorf("peer %s: key type %v is not secp256k1", id, pk.Type())
	}
	raw, err := pk.Raw()
	if err != nil {
		return common.Address{}, err
	}
	pub, err := ethcrypto.DecompressPubkey(raw)
	if err != nil {
		return common.Address{}, fmt.Errorf("peer %s: %w", id, err)
	}
	return ethcrypto.PubkeyToAddress(*pub), nil
}
