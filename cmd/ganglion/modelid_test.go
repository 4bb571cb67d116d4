package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/ganglion-subnet/ganglion/models"
)

// TestRandomModelIDIsItsFileHash: miners and validators must agree on the id
// of the built-in random model, and it must be what any third party gets by
// hashing the file `models export-random` writes.
func TestRandomModelIDIsItsFileHash(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.bin")
	if r := run(t, nil, "models", "export-random", "--out", out, "--seed", "7"); r.err != nil {
		t.Fatal(r.err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	want := hex.EncodeToString(sum[:])

	l, err := loadModel("random", "", models.DefaultShape(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if l.id != want {
		t.Fatalf("random model id %s, exported file hashes to %s", l.id, want)
	}
	a := newApp(env{userDir: func() (string, error) { return t.TempDir(), nil }})
	m, closeFn, err := a.minerModel("random", "", 7)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if hex.EncodeToString(m.ID) != want {
		t.Fatalf("miner serves the random model as %x, want %s", m.ID, want)
	}
	vid, err := models.ParseID(l.id)
	if err != nil || hex.EncodeToString(vid) != want {
		t.Fatalf("validator uses %x (%v), want %s", vid, err, want)
	}
	if _, err := models.ParseID("random:7"); err == nil {
		t.Fatal("a non-hash model id was accepted")
	}
}
