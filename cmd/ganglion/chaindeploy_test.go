package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
)

// TestChainDeploy: `chain deploy` puts a second subnet (netuid 7, its own
// parameters) on a running chain; the chain commands use it through --registry
// and --ledger; --out holds the same addresses.
func TestChainDeploy(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	keys := newKeys(t, home, pw, "owner", "val")
	environ := []string{"GANGLION_HOME=" + home}
	info, _ := startDevChain(t, home, "owner,val")

	if r := run(t, environ, "chain", "deploy", "--rpc", info.RPC, "--key", "owner", "--password-file", pw, "--deposit", "-1"); r.err == nil || !strings.Contains(r.err.Error(), "--deposit") {
		t.Fatalf("negative deposit: %v", r.err)
	}
	out := filepath.Join(t.TempDir(), "subnet7.json")
	r := run(t, environ, "chain", "deploy", "--rpc", info.RPC, "--key", "owner", "--password-file", pw, "--netuid", "7",
		"--epoch-length", "30", "--deposit", "0.5", "--out", out)
	if r.err != nil {
		t.Fatal(r.err)
	}
	registry, ledger := field(t, r.stdout, "registry"), field(t, r.stdout, "ledger")
	if !common.IsHexAddress(registry) || !common.IsHexAddress(ledger) || common.HexToAddress(registry) == info.Registry {
		t.Fatalf("deploy printed registry %q ledger %q (dev chain's registry %s)", registry, ledger, info.Registry.Hex())
	}
	if field(t, r.stdout, "owner") != keys["owner"].Hex() || strings.Count(r.stdout, "(gas ") != 3 {
		t.Fatalf("deploy output:\n%s", r.stdout)
	}
	var saved devchain.Info
	b, err := os.ReadFile(out)
	if err != nil || json.Unmarshal(b, &saved) != nil || saved.Registry.Hex() != registry || saved.Ledger.Hex() != ledger ||
		saved.Netuid != 7 || saved.ChainID != info.ChainID {
		t.Fatalf("--out: %v %s", err, b)
	}

	sub := []string{"--rpc", info.RPC, "--registry", registry, "--ledger", ledger}
	if r := run(t, environ, append([]string{"chain", "register", "--role", "validator", "--key", "val", "--password-file", pw}, sub...)...); r.err != nil {
		t.Fatal(r.err)
	}
	r = run(t, environ, append([]string{"chain", "metagraph", "--json"}, sub...)...)
	var mg chain.Metagraph
	if r.err != nil || json.Unmarshal([]byte(r.stdout), &mg) != nil {
		t.Fatalf("metagraph: %v %s", r.err, r.stdout)
	}
	if mg.Netuid != 7 || mg.Params.EpochLength != 30 || mg.Deposit.String() != "500000000000000000" || len(mg.Neurons) != 1 || mg.Neurons[0].Hotkey != keys["val"] {
		t.Fatalf("subnet 7: %+v", mg)
	}
	// The dev chain's own subnet is untouched.
	r = run(t, environ, "chain", "metagraph", "--json", "--rpc", info.RPC)
	var dev chain.Metagraph
	if r.err != nil || json.Unmarshal([]byte(r.stdout), &dev) != nil || len(dev.Neurons) != 0 {
		t.Fatalf("dev subnet: %v %s", r.err, r.stdout)
	}
}
