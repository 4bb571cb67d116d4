package main

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/chain/devchain/devchaintest"
	"github.com/ganglion-subnet/ganglion/internal/keyring"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// TestChainClaimFrom claims through a validator's API (validator.NewAPI over
// a real store): the proof is checked against the root on chain before the
// transaction, a claim that does not match the chain or an epoch not final
// yet is refused without sending anything, and a good claim pays exactly
// the amount to the miner when someone else sends it.
func TestChainClaimFrom(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	addrs := newKeys(t, home, pw, "val", "miner")
	cfg := devchain.DefaultConfig()
	cfg.Port, cfg.BlockTime = 0, 20*time.Millisecond
	cfg.Fund = []common.Address{addrs["val"], addrs["miner"]}
	cfg.AddressesFile = filepath.Join(home, "devchain", "addresses.json")
	dev := devchaintest.Start(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	info := dev.Info()
	kr, err := keyring.Open(filepath.Join(home, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	client := func(name string) *chain.Client {
		k, err := kr.Unlock(name, "pw")
		if err != nil {
			t.Fatal(err)
		}
		c, err := chain.Dial(ctx, info.RPC, info.Addresses(), chain.WithKey(k), chain.WithReceiptPoll(10*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	vc, mc := client("val"), client("miner")
	if _, _, err := vc.Register(ctx, chain.RoleValidator); err != nil {
		t.Fatal(err)
	}
	if _, err := vc.Stake(ctx, big.NewInt(2e18)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := mc.Register(ctx, chain.RoleMiner); err != nil {
		t.Fatal(err)
	}

	// The validator's store holds epochs 1 and 2; only epoch 1 is final.
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hot := []common.Address{addrs["val"], addrs["miner"]}
	amounts := []*big.Int{big.NewInt(3e17), big.NewInt(7e17)}
	d, err := vc.Domain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	valKey, _ := kr.Unlock("val", "pw")
	for _, epoch := range []uint64{1, 2} {
		tr, err := chain.NewTree(epoch, []chain.Emission{{UID: 0, Account: hot[0], Amount: amounts[0]}, {UID: 1, Account: hot[1], Amount: amounts[1]}})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.PutOutput(store.EpochOutput{Epoch: epoch, Root: tr.Root(), Total: tr.Total().String(), Hotkeys: hot,
			Emissions: []string{amounts[0].String(), amounts[1].String()}}); err != nil {
			t.Fatal(err)
		}
		if epoch == 1 {
			sig, err := chain.SignReport(valKey, d, tr.Report(info.Netuid))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := vc.Finalize(ctx, tr.Report(info.Netuid), [][]byte{sig}); err != nil {
				t.Fatal(err)
			}
		}
	}
	api := httptest.NewServer(validator.NewAPI(st))
	defer api.Close()
	// A lying API: the right proof with a doubled amount.
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := validator.ClaimFor(mustOutput(t, st, 1), 1)
		if err != nil {
			t.Error(err)
		}
		c.Amount = new(big.Int).Mul(amounts[1], big.NewInt(2)).String()
		_ = json.NewEncoder(w).Encode(c)
	}))
	defer liar.Close()

	environ := []string{"GANGLION_HOME=" + home}
	claim := func(from string, epoch, uid string) result {
		return run(t, environ, "chain", "claim", "--from", from, "--epoch", epoch, "--uid", uid, "--key", "val", "--password-file", pw, "--rpc", info.RPC)
	}
	balance := func() *big.Int {
		b, err := vc.Balance(ctx, addrs["miner"])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	before := balance()
	for _, tc := range []struct {
		name, from, epoch, uid string
		is                     error
		msg                    string
	}{
		{"lying API", liar.URL, "1", "1", errBadClaim, "does not lead"},
		{"not final", api.URL, "2", "1", errNotFinal, "not final"},
		{"not settled", api.URL, "3", "1", nil, "404"},
		{"nothing earned", api.URL, "1", "5", nil, "nothing to claim"},
	} {
		r := claim(tc.from, tc.epoch, tc.uid)
		if r.err == nil || (tc.is != nil && !errors.Is(r.err, tc.is)) || !strings.Contains(r.err.Error(), tc.msg) {
			t.Fatalf("%s: %v", tc.name, r.err)
		}
	}
	if got := balance(); got.Cmp(before) != 0 {
		t.Fatalf("refused claims moved the balance: %v -> %v", before, got)
	}
	r := claim(api.URL, "1", "1")
	if r.err != nil {
		t.Fatalf("claim: %v\n%s", r.err, r.stderr)
	}
	if got := new(big.Int).Sub(balance(), before); got.Cmp(amounts[1]) != 0 {
		t.Fatalf("miner received %v, want %v", got, amounts[1])
	}
	if field(t, r.stdout, "paid to") != addrs["miner"].Hex() {
		t.Fatalf("output:\n%s", r.stdout)
	}
	if r := claim(api.URL, "1", "1"); r.err == nil || !strings.Contains(r.err.Error(), "AlreadyClaimed") {
		t.Fatalf("second claim: %v", r.err)
	}
	if r := run(t, environ, "chain", "claim", "--from", api.URL, "--uid", "1", "--key", "val", "--password-file", pw); r.err == nil {
		t.Fatal("--from without --epoch accepted")
	}
}

func mustOutput(t *testing.T, st *store.Store, epoch uint64) store.EpochOutput {
	o, err := st.Output(epoch)
	if err != nil {
		t.Error(err)
	}
	return o
}
