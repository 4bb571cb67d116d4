package keyring

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/internal/identity"
)

func open(t *testing.T) *Keyring {
	t.Helper()
	k, err := Open(filepath.Join(t.TempDir(), "keys"), WithLightKDF())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewDecryptsWithGeth(t *testing.T) {
	k := open(t)
	in, err := k.New("alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(in.File)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("keystore mode: %v %v", st, err)
	}
	blob, _ := os.ReadFile(in.File)
	key, err := keystore.DecryptKey(blob, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if key.Address != in.Address {
		t.Fatalf("geth decrypts to %s, keyring says %s", key.Address, in.Address)
	}
	addr, err := identity.Address(in.PeerID)
	if err != nil || addr != in.Address {
		t.Fatalf("peer id holds %s (%v), want %s", addr, err, in.Address)
	}
	got, err := k.Show("alice")
	if err != nil || got != in {
		t.Fatalf("show: %+v %v, want %+v", got, err, in)
	}
}

func TestErrors(t *testing.T) {
	k := open(t)
	if _, err := k.New("alice", "pw"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"name taken", func() error { _, err := k.New("alice", "x"); return err }(), ErrExists},
		{"bad name", func() error { _, err := k.New("../evil", "x"); return err }(), ErrBadName},
		{"empty password", func() error { _, err := k.New("bob", ""); return err }(), ErrEmptyPassword},
		{"wrong password", func() error { _, err := k.Unlock("alice", "nope"); return err }(), ErrWrongPassword},
		{"missing", func() error { _, err := k.Show("carol"); return err }(), ErrNotFound},
		{"corrupt keystore", func() error { _, err := k.ImportKeystore("d", []byte(`{"version":3,`), "x"); return err }(), ErrBadKeystore},
		{"not a keystore", func() error { _, err := k.ImportKeystore("d", []byte(`{"a":1}`), "x"); return err }(), ErrBadKeystore},
		{"short private key", func() error { _, err := k.ImportPrivateKey("d", []byte("abcd"), "x"); return err }(), ErrBadPrivateKey},
		{"zero private key", func() error { _, err := k.ImportPrivateKey("d", make([]byte, 64), "x"); return err }(), ErrBadPrivateKey},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
		}
	}
	list, err := k.List()
	if err != nil || len(list) != 1 || list[0].Name != "alice" {
		t.Fatalf("list after failures: %+v %v", list, err)
	}
}

func TestImportGethKeystoreAndPrivateKey(t *testing.T) {
	k := open(t)
	gethDir := t.TempDir()
	ks := keystore.NewKeyStore(gethDir, keystore.LightScryptN, keystore.LightScryptP)
	acct, err := ks.NewAccount("geth-pw")
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := os.ReadFile(acct.URL.Path)
	in, err := k.ImportKeystore("g", blob, "geth-pw")
	if err != nil {
		t.Fatal(err)
	}
	if in.Address != acct.Address {
		t.Fatalf("imported %s, want %s", in.Address, acct.Address)
	}
	stored, _ := os.ReadFile(in.File)
	if string(stored) != string(blob) {
		t.Fatal("imported keystore not kept byte for byte")
	}

	priv, _ := ethcrypto.GenerateKey()
	hexKey := "0x" + hex.EncodeToString(ethcrypto.FromECDSA(priv)) + "\n"
	in2, err := k.ImportPrivateKey("p", []byte(hexKey), "pw2")
	if err != nil {
		t.Fatal(err)
	}
	if in2.Address != ethcrypto.PubkeyToAddress(priv.PublicKey) {
		t.Fatal("private key import gives the wrong address")
	}
	back, err := k.Unlock("p", "pw2")
	if err != nil || !back.Equal(priv) {
		t.Fatalf("unlock: %v", err)
	}
	list, _ := k.List()
	if len(list) != 2 || list[0].Name != "g" || list[1].Name != "p" {
		t.Fatalf("list: %+v", list)
	}
}
