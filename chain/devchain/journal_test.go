package devchain_test

import (
	"context"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
)

// TestJournalResumesTheChain: a chain run with a journal, stopped and run
// again with the same settings, has the same contracts, registrations,
// balances and (at least) the same height, and keeps going; other settings
// are refused with a clear error.
func TestJournalResumesTheChain(t *testing.T) {
	owner, _ := crypto.GenerateKey()
	val, _ := crypto.GenerateKey()
	cfg := devchain.DefaultConfig()
	cfg.Port, cfg.BlockTime = -1, 20*time.Millisecond
	cfg.Owner = owner
	cfg.Fund = []common.Address{crypto.PubkeyToAddress(val.PublicKey)}
	cfg.Journal = filepath.Join(t.TempDir(), "journal.jsonl")

	run := func(cfg devchain.Config, work func(dev *devchain.Chain)) error {
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
			return err
		}
		work(dev)
		cancel()
		return <-done
	}
	client := func(dev *devchain.Chain) *chain.Client {
		c, err := chain.New(dev.Backend(), dev.Info().Addresses(), chain.WithKey(val), chain.WithReceiptPoll(5*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	var first devchain.Info
	var height uint64
	var balance *big.Int
	err := run(cfg, func(dev *devchain.Chain) {
		first = dev.Info()
		c := client(dev)
		if _, _, err := c.Register(ctx, chain.RoleValidator); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Stake(ctx, big.NewInt(5e18)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // a few empty blocks after the last transaction
		var err error
		if height, err = dev.Backend().BlockNumber(ctx); err != nil {
			t.Fatal(err)
		}
		if balance, err = c.Balance(ctx, c.Address()); err != nil {
			t.Fatal(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = run(cfg, func(dev *devchain.Chain) {
		if got := dev.Info(); got.Registry != first.Registry || got.Ledger != first.Ledger {
			t.Fatalf("contracts moved: %+v, then %+v", first, got)
		}
		if h, err := dev.Backend().BlockNumber(ctx); err != nil || h < height {
			t.Fatalf("height %d after the restart, %d before (%v)", h, height, err)
		}
		c := client(dev)
		mg, err := c.Metagraph(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n, ok := mg.Lookup(c.Address())
		if !ok || n.Role != chain.RoleValidator || n.Stake.Cmp(big.NewInt(5e18)) != 0 {
			t.Fatalf("registration lost: %+v %v", n, ok)
		}
		if b, err := c.Balance(ctx, c.Address()); err != nil || b.Cmp(balance) != 0 {
			t.Fatalf("balance %v, was %v (%v)", b, balance, err)
		}
		if _, err := c.Stake(ctx, big.NewInt(1e18)); err != nil { // the chain goes on
			t.Fatal(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another genesis cannot replay this journal; so cannot a chain without
	// the owner key.
	other := cfg
	other.Fund = nil
	if err := run(other, func(*devchain.Chain) { t.Fatal("a mismatched journal replayed") }); err == nil || !strings.Contains(err.Error(), "journal") {
		t.Fatalf("other genesis: %v", err)
	}
	noOwner := cfg
	noOwner.Owner = nil
	if err := run(noOwner, func(*devchain.Chain) { t.Fatal("replayed without the owner key") }); err == nil || !strings.Contains(err.Error(), "owner") {
		t.Fatalf("no owner: %v", err)
	}
}
