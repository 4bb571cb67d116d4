package devchain_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ganglion-subnet/ganglion/chain/devchain"
)

func TestConfigValidate(t *testing.T) {
	ok := devchain.DefaultConfig()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*devchain.Config){
		"port":       func(c *devchain.Config) { c.Port = 70000 },
		"block time": func(c *devchain.Config) { c.BlockTime = 0 },
		"chain id":   func(c *devchain.Config) { c.ChainID = 0 },
		"balance":    func(c *devchain.Config) { c.Balance = nil },
	} {
		c := devchain.DefaultConfig()
		edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestServesJSONRPC runs the chain on a free port and checks another process'
// view: chain id over HTTP, the addresses file, code at both contracts and
// blocks that keep coming.
func TestServesJSONRPC(t *testing.T) {
	cfg := devchain.DefaultConfig()
	cfg.Port = 0
	cfg.ChainID = 4242
	cfg.BlockTime = 20 * time.Millisecond
	cfg.AddressesFile = filepath.Join(t.TempDir(), "devchain", "addresses.json")
	dev, err := devchain.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- dev.Run(ctx) }()
	select {
	case <-dev.Ready():
	case err := <-done:
		t.Fatal(err)
	}
	info := dev.Info()
	b, err := os.ReadFile(cfg.AddressesFile)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk devchain.Info
	if err := json.Unmarshal(b, &onDisk); err != nil || onDisk.Ledger != info.Ledger || onDisk.Registry != info.Registry || onDisk.RPC != info.RPC {
		t.Fatalf("addresses file %s: %v", b, err)
	}
	ec, err := ethclient.DialContext(ctx, info.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	id, err := ec.ChainID(ctx)
	if err != nil || id.Int64() != 4242 {
		t.Fatalf("chain id %v %v", id, err)
	}
	for _, a := range []common.Address{info.Registry, info.Ledger} {
		code, err := ec.CodeAt(ctx, a, nil)
		if err != nil || len(code) == 0 {
			t.Fatalf("no code at %s: %v", a.Hex(), err)
		}
	}
	n1, err := ec.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		n2, err := ec.BlockNumber(ctx)
		if err == nil && n2 > n1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new block after %d", n1)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := devchain.DefaultConfig()
	cfg.Port = l.Addr().(*net.TCPAddr).Port
	dev, err := devchain.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Run(context.Background()); err == nil {
		t.Fatal("ran on a busy port")
	}
}
