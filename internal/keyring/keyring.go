// Package keyring keeps an operator's named secp256k1 keys as Ethereum
// keystore v3 files (scrypt), the format geth and other wallets read. Each key
// gives both the node's Ethereum address and its libp2p peer ID.
//
// Layout under the key directory:
//
//	NAME.json      the keystore v3 file, mode 0600
//	NAME.pub.json  public facts (address, compressed public key, peer ID), so
//	               list and show need no password
//
// Import rules: an internal utility; it imports only other internal
// utilities.
package keyring

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/internal/identity"
)

// Errors callers may test for.
var (
	ErrNotFound      = errors.New("no such key")
	ErrExists        = errors.New("key name already taken")
	ErrWrongPassword = errors.New("wrong password")
	ErrBadName       = errors.New("bad key name")
	ErrBadKeystore   = errors.New("not a valid keystore v3 file")
	ErrBadPrivateKey = errors.New("not a valid secp256k1 private key")
	ErrEmptyPassword = errors.New("password must not be empty")
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Info is what is known about a key without its password.
type Info struct {
	Name      string         `json:"name"`
	Address   common.Address `json:"address"`
	PeerID    peer.ID        `json:"peer_id"`
	PublicKey string         `json:"public_key"` // compressed, hex
	File      string         `json:"file"`
}

type pubFile struct {
	Address   common.Address `json:"address"`
	PeerID    string         `json:"peer_id"`
	PublicKey string         `json:"public_key"`
}

// Keyring is a directory of named keys. It is safe for concurrent use by
// several processes: new names are claimed with an exclusive link.
type Keyring struct {
	dir     string
	scryptN int
	scryptP int
}

// Option configures a Keyring.
type Option func(*Keyring) error

// WithLightKDF uses geth's light scrypt parameters (N=4096, P=6): fast, and
// much weaker against offline guessing. For tests and throw-away dev keys.
func WithLightKDF() Option {
	return func(k *Keyring) error {
		k.scryptN, k.scryptP = keystore.LightScryptN, keystore.LightScryptP
		return nil
	}
}

// Open returns the keyring in dir, creating the directory (mode 0700) if needed.
func Open(dir string, opts ...Option) (*Keyring, error) {
	k := &Keyring{dir: dir, scryptN: keystore.StandardScryptN, scryptP: keystore.StandardScryptP}
	for _, o := range opts {
		if err := o(k); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("key directory: %w", err)
	}
	return k, nil
}

// Dir is the directory holding the keys.
func (k *Keyring) Dir() string { return k.dir }

func checkName(name string) error {
	if !nameRE.MatchString(name) || strings.HasSuffix(name, ".pub") {
		return fmt.Errorf("%w %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", ErrBadName, name)
	}
	return nil
}

func (k *Keyring) keyPath(name string) string { return filepath.Join(k.dir, name+".json") }
func (k *Keyring) pubPath(name string) string { return filepath.Join(k.dir, name+".pub.json") }

// New creates a random key named name, encrypted with password.
func (k *Keyring) New(name, password string) (Info, error) {
	if password == "" {
		return Info{}, ErrEmptyPassword
	}
	priv, err := ethcrypto.GenerateKey()
	if err != nil {
		return Info{}, err
	}
	return k.store(name, priv, password)
}

// ImportPrivateKey stores a raw private key given as hex (an optional 0x
// prefix and surrounding white space are allowed).
func (k *Keyring) ImportPrivateKey(name string, hexKey []byte, password string) (Info, error) {
	if password == "" {
		return Info{}, ErrEmptyPassword
	}
	s := strings.TrimSpace(string(hexKey))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	raw, err := hex.DecodeString(s)
	if err != nil || len(raw) != 32 {
		return Info{}, fmt.Errorf("%w: want 64 hex digits", ErrBadPrivateKey)
	}
	priv, err := ethcrypto.ToECDSA(raw)
	if err != nil {
		return Info{}, fmt.Errorf("%w: %v", ErrBadPrivateKey, err)
	}
	return k.store(name, priv, password)
}

// ImportKeystore stores a keystore v3 file written by geth or another wallet.
// The file is kept byte for byte (with its own KDF parameters); password must
// decrypt it.
func (k *Keyring) ImportKeystore(name string, keyJSON []byte, password string) (Info, error) {
	if err := checkName(name); err != nil {
		return Info{}, err
	}
	priv, err := decrypt(keyJSON, password)
	if err != nil {
		return Info{}, err
	}
	return k.write(name, keyJSON, &priv.PublicKey)
}

func (k *Keyring) store(name string, priv *ecdsa.PrivateKey, password string) (Info, error) {
	if err := checkName(name); err != nil {
		return Info{}, err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return Info{}, err
	}
	key := &keystore.Key{Id: id, Address: ethcrypto.PubkeyToAddress(priv.PublicKey), PrivateKey: priv}
	blob, err := keystore.EncryptKey(key, password, k.scryptN, k.scryptP)
	if err != nil {
		return Info{}, err
	}
	return k.write(name, blob, &priv.PublicKey)
}

func (k *Keyring) write(name string, keyJSON []byte, pub *ecdsa.PublicKey) (Info, error) {
	pid, err := identity.PeerID(pub)
	if err != nil {
		return Info{}, err
	}
	pf := pubFile{Address: ethcrypto.PubkeyToAddress(*pub), PeerID: pid.String(), PublicKey: hex.EncodeToString(ethcrypto.CompressPubkey(pub))}
	pb, err := json.MarshalIndent(pf, "", "  ")
	if err != nil {
		return Info{}, err
	}
	// The keystore is the claim on the name; the public file follows it.
	if err := atomicfile.WriteNew(k.keyPath(name), keyJSON, 0o600); err != nil {
		if errors.Is(err, atomicfile.ErrExists) {
			return Info{}, fmt.Errorf("%w: %q (%s)", ErrExists, name, k.keyPath(name))
		}
		return Info{}, err
	}
	if err := atomicfile.WriteFile(k.pubPath(name), append(pb, '\n'), 0o644); err != nil {
		return Info{}, err
	}
	return Info{Name: name, Address: pf.Address, PeerID: pid, PublicKey: pf.PublicKey, File: k.keyPath(name)}, nil
}

// List returns every key, sorted by name.
func (k *Keyring) List() ([]Info, error) {
	ents, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".json") || strings.HasSuffix(n, ".pub.json") || strings.HasPrefix(n, ".") {
			continue
		}
		in, err := k.Show(strings.TrimSuffix(n, ".json"))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Show returns the public facts of a key.
func (k *Keyring) Show(name string) (Info, error) {
	if err := checkName(name); err != nil {
		return Info{}, err
	}
	blob, err := k.KeystoreJSON(name)
	if err != nil {
		return Info{}, err
	}
	var hdr struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(blob, &hdr); err != nil {
		return Info{}, fmt.Errorf("key %q: %w: %v", name, ErrBadKeystore, err)
	}
	pb, err := os.ReadFile(k.pubPath(name))
	if err != nil {
		return Info{}, fmt.Errorf("key %q: public key file missing (%v); re-import the key", name, err)
	}
	var pf pubFile
	if err := json.Unmarshal(pb, &pf); err != nil {
		return Info{}, fmt.Errorf("key %q: %s: %v", name, k.pubPath(name), err)
	}
	if hdr.Address != "" && common.HexToAddress(hdr.Address) != pf.Address {
		return Info{}, fmt.Errorf("key %q: keystore address %s does not match %s", name, hdr.Address, k.pubPath(name))
	}
	pid, err := peer.Decode(pf.PeerID)
	if err != nil {
		return Info{}, fmt.Errorf("key %q: peer id: %v", name, err)
	}
	return Info{Name: name, Address: pf.Address, PeerID: pid, PublicKey: pf.PublicKey, File: k.keyPath(name)}, nil
}

// KeystoreJSON returns the keystore file of a key as stored.
func (k *Keyring) KeystoreJSON(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(k.keyPath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q (looked in %s)", ErrNotFound, name, k.dir)
	}
	return b, err
}

// Unlock decrypts a key.
func (k *Keyring) Unlock(name, password string) (*ecdsa.PrivateKey, error) {
	blob, err := k.KeystoreJSON(name)
	if err != nil {
		return nil, err
	}
	priv, err := decrypt(blob, password)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	return priv, nil
}

func decrypt(blob []byte, password string) (*ecdsa.PrivateKey, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimSpace(blob), &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKeystore, err)
	}
	if _, ok := probe["crypto"]; !ok {
		if _, ok := probe["Crypto"]; !ok {
			return nil, fmt.Errorf("%w: no crypto section", ErrBadKeystore)
		}
	}
	key, err := keystore.DecryptKey(blob, password)
	switch {
	case errors.Is(err, keystore.ErrDecrypt):
		return nil, ErrWrongPassword
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrBadKeystore, err)
	}
	return key.PrivateKey, nil
}
