package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/internal/keyring"
	"github.com/ganglion-subnet/ganglion/internal/subtensor"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newKeys(t *testing.T, home, pw string, names ...string) map[string]common.Address {
	t.Helper()
	out := map[string]common.Address{}
	for _, n := range names {
		r := run(t, []string{"GANGLION_HOME=" + home}, "keys", "new", "--name", n, "--password-file", pw, "--light-kdf")
		if r.err != nil {
			t.Fatal(r.err)
		}
		out[n] = common.HexToAddress(field(t, r.stdout, "address"))
	}
	return out
}

func TestChainDevAndCommands(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	addrs := newKeys(t, home, pw, "val", "miner")
	environ := []string{"GANGLION_HOME=" + home}

	ctx, cancel := context.WithCancel(context.Background())
	var devOut, devErr syncBuffer
	done := make(chan error, 1)
	go func() {
		e := env{environ: environ, stdin: strings.NewReader(""), stdout: &devOut, stderr: &devErr,
			userDir: func() (string, error) { return "", errors.New("none") }}
		cmd := newApp(e).root()
		cmd.SetArgs([]string{"chain", "dev", "--port", "0", "--block-time", "20ms", "--fund", "val,miner", "--netuid", "3", "--pool", "50", "--log-level", "warn"})
		done <- cmd.ExecuteContext(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("chain dev: %v", err)
		}
	})
	addrFile := filepath.Join(home, "devchain", "addresses.json")
	var info devchain.Info
	deadline := time.Now().Add(time.Minute)
	for {
		if b, err := os.ReadFile(addrFile); err == nil && json.Unmarshal(b, &info) == nil && strings.Contains(devOut.String(), "addresses:") {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("chain dev stopped: %v\n%s", err, devErr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no addresses file; stderr:\n%s", devErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if field(t, devOut.String(), "ledger") != info.Ledger.Hex() || info.Netuid != 3 || !strings.HasPrefix(info.RPC, "http://127.0.0.1:") {
		t.Fatalf("printed %q, file %+v", devOut.String(), info)
	}
	rpcURL := info.RPC
	cli := func(args ...string) result {
		t.Helper()
		r := run(t, environ, append(args, "--rpc", rpcURL)...)
		if r.err != nil {
			t.Fatalf("%v: %v\n%s", args, r.err, r.stderr)
		}
		return r
	}
	if r := cli("chain", "register", "--role", "validator", "--key", "val", "--password-file", pw); field(t, r.stdout, "uid") != "0" {
		t.Fatalf("validator uid: %s", r.stdout)
	}
	cli("chain", "stake", "--amount", "2.5", "--key", "val", "--password-file", pw)
	if r := cli("chain", "register", "--key", "miner", "--password-file", pw); field(t, r.stdout, "uid") != "1" {
		t.Fatalf("miner uid: %s", r.stdout)
	}
	// A revert comes back as the contract's error, readable.
	r := run(t, environ, "chain", "register", "--key", "miner", "--password-file", pw, "--rpc", rpcURL)
	if r.err == nil || !strings.Contains(r.err.Error(), "AlreadyRegistered") {
		t.Fatalf("second register: %v", r.err)
	}
	r = cli("chain", "metagraph", "--json")
	var mg chain.Metagraph
	if err := json.Unmarshal([]byte(r.stdout), &mg); err != nil {
		t.Fatal(err)
	}
	if len(mg.Neurons) != 2 || mg.Neurons[0].Hotkey != addrs["val"] || !mg.Neurons[0].ValidatorPermit ||
		mg.Neurons[0].Stake.Cmp(big.NewInt(25e17)) != 0 || mg.Neurons[1].Role != chain.RoleMiner {
		t.Fatalf("metagraph %+v", mg)
	}
	if n, ok := mg.Lookup(addrs["miner"]); !ok || n.UID != 1 {
		t.Fatalf("lookup in decoded metagraph: %+v %v", n, ok)
	}
	if r := cli("chain", "metagraph"); !strings.Contains(r.stdout, "2.5") || !strings.Contains(r.stdout, addrs["miner"].Hex()) {
		t.Fatalf("metagraph table:\n%s", r.stdout)
	}

	// The validator (all the stake) finalises epoch 1; the miner claims.
	kr, err := keyring.Open(filepath.Join(home, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	valKey, err := kr.Unlock("val", "pw")
	if err != nil {
		t.Fatal(err)
	}
	vc, err := chain.Dial(ctx, rpcURL, info.Addresses(), chain.WithKey(valKey), chain.WithReceiptPoll(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := chain.NewTree(1, []chain.Emission{
		{UID: 0, Account: addrs["val"], Amount: big.NewInt(3e18)},
		{UID: 1, Account: addrs["miner"], Amount: big.NewInt(7e18)},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := vc.Domain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep := tr.Report(3)
	sig, err := chain.SignReport(valKey, d, rep)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vc.Finalize(ctx, rep, [][]byte{sig}); err != nil {
		t.Fatal(err)
	}
	r = cli("chain", "report-status", "--epoch", "1")
	if field(t, r.stdout, "finalized") != "true" || field(t, r.stdout, "total emission") != "10" || field(t, r.stdout, "pool") != "40" {
		t.Fatalf("report-status:\n%s", r.stdout)
	}
	e, proof, _ := tr.Proof(1)
	cf, _ := json.Marshal(claimFile{Epoch: 1, UID: 1, Account: e.Account.Hex(), Amount: e.Amount.String(), Proof: proof})
	claimPath := writeFile(t, t.TempDir(), "claim.json", string(cf))
	before, _ := vc.Balance(ctx, addrs["miner"])
	cli("chain", "claim", "--claim-file", claimPath, "--key", "val", "--password-file", pw) // sent by someone else
	after, _ := vc.Balance(ctx, addrs["miner"])
	if got := new(big.Int).Sub(after, before); got.Cmp(e.Amount) != 0 {
		t.Fatalf("miner received %v", got)
	}
	r = run(t, environ, "chain", "claim", "--claim-file", claimPath, "--key", "val", "--password-file", pw, "--rpc", rpcURL)
	if r.err == nil || !strings.Contains(r.err.Error(), "AlreadyClaimed") {
		t.Fatalf("second claim: %v", r.err)
	}
	if r := cli("chain", "report-status", "--epoch", "1"); field(t, r.stdout, "unclaimed") != "3" {
		t.Fatalf("unclaimed:\n%s", r.stdout)
	}

	// Subtensor calls through a live endpoint: chain id, nonce and gas come
	// from it. The dev chain has no precompile at 0x…0804, so the call is a
	// plain transfer of calldata; the transaction is what is checked.
	r = cli("chain", "subtensor", "set-weights", "--key", "val", "--password-file", pw, "--netuid", "3", "--uids", "0,1", "--weights", "2,1")
	hash := common.HexToHash(field(t, r.stdout, "sent"))
	ec, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	var tx *types.Transaction
	for deadline := time.Now().Add(30 * time.Second); ; {
		var pending bool
		tx, pending, err = ec.TransactionByHash(ctx, hash)
		if err == nil && !pending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("set-weights tx %s not mined: %v", hash, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil || from != addrs["val"] || tx.ChainId().Int64() != info.ChainID || *tx.To() != subtensor.NeuronPrecompile {
		t.Fatalf("set-weights tx from %s chain %v to %s: %v", from, tx.ChainId(), tx.To(), err)
	}
	m, err := subtensor.NeuronABI.MethodById(tx.Data()[:4])
	if err != nil || m.Name != "setWeights" {
		t.Fatalf("selector %x: %v", tx.Data()[:4], err)
	}
	args, err := m.Inputs.Unpack(tx.Data()[4:])
	if err != nil || args[0].(uint16) != 3 || !slices.Equal(args[2].([]uint16), []uint16{65535, 32768}) {
		t.Fatalf("args %v %v", args, err)
	}
}

func TestSubtensorDryRunOffline(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	addr := newKeys(t, home, pw, "v")["v"]
	environ := []string{"GANGLION_HOME=" + home}
	common := []string{"--key", "v", "--password-file", pw, "--netuid", "12", "--uids", "0,4,9", "--weights", "1,0.5,0",
		"--version-key", "7", "--dry-run", "--chain-id", "945", "--nonce", "3", "--gas", "300000", "--fee-cap", "20", "--tip", "1"}
	values := []uint16{65535, 32768, 0}
	uids := []uint16{0, 4, 9}
	decode := func(out string) (*types.Transaction, []any, string) {
		t.Helper()
		raw, err := hexutil.Decode(field(t, out, "raw transaction"))
		if err != nil {
			t.Fatal(err)
		}
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			t.Fatal(err)
		}
		from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
		if err != nil || from != addr {
			t.Fatalf("sender %s, want %s (%v)", from, addr, err)
		}
		if tx.Type() != types.DynamicFeeTxType || *tx.To() != subtensor.NeuronPrecompile || tx.ChainId().Int64() != 945 ||
			tx.Nonce() != 3 || tx.Gas() != 300000 || tx.GasFeeCap().Cmp(big.NewInt(20e9)) != 0 || tx.GasTipCap().Cmp(big.NewInt(1e9)) != 0 {
			t.Fatalf("tx fields: type %d to %s chain %v nonce %d gas %d", tx.Type(), tx.To(), tx.ChainId(), tx.Nonce(), tx.Gas())
		}
		m, err := subtensor.NeuronABI.MethodById(tx.Data()[:4])
		if err != nil {
			t.Fatal(err)
		}
		args, err := m.Inputs.Unpack(tx.Data()[4:])
		if err != nil {
			t.Fatal(err)
		}
		return tx, args, m.Name
	}

	r := run(t, environ, append([]string{"chain", "subtensor", "set-weights"}, common...)...)
	if r.err != nil {
		t.Fatal(r.err)
	}
	_, args, name := decode(r.stdout)
	if name != "setWeights" || args[0].(uint16) != 12 || !slices.Equal(args[1].([]uint16), uids) ||
		!slices.Equal(args[2].([]uint16), values) || args[3].(uint64) != 7 {
		t.Fatalf("setWeights args %v", args)
	}

	r = run(t, environ, append([]string{"chain", "subtensor", "commit-weights", "--salt", "5,6,7"}, common...)...)
	if r.err != nil {
		t.Fatal(r.err)
	}
	_, args, name = decode(r.stdout)
	want := subtensor.CommitHash(subtensor.MirrorAccount(addr), 12, uids, values, []uint16{5, 6, 7}, 7)
	if name != "commitWeights" || args[0].(uint16) != 12 || args[1].([32]byte) != want || field(t, r.stdout, "commit hash") != want.Hex() {
		t.Fatalf("commitWeights args %v, want hash %s", args, want)
	}

	r = run(t, environ, append([]string{"chain", "subtensor", "reveal-weights", "--salt", "5,6,7"}, common...)...)
	if r.err != nil {
		t.Fatal(r.err)
	}
	_, args, name = decode(r.stdout)
	if name != "revealWeights" || !slices.Equal(args[3].([]uint16), []uint16{5, 6, 7}) ||
		subtensor.CommitHash(subtensor.MirrorAccount(addr), args[0].(uint16), args[1].([]uint16), args[2].([]uint16), args[3].([]uint16), args[4].(uint64)) != want {
		t.Fatalf("revealWeights args %v do not open the commitment", args)
	}

	// Bad input gets a clear error.
	for _, bad := range [][]string{
		{"--uids", "0,1"},       // 2 uids, 3 weights
		{"--weights", "1,-1,0"}, // negative
		{"--uids", "0,70000,1"}, // not u16
	} {
		args := append([]string{"chain", "subtensor", "set-weights"}, common...)
		args = append(args, bad...)
		if r := run(t, environ, args...); r.err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if r := run(t, environ, append([]string{"chain", "subtensor", "reveal-weights"}, common...)...); r.err == nil || !strings.Contains(r.err.Error(), "salt") {
		t.Errorf("reveal without salt: %v", r.err)
	}
}

func TestParseCoins(t *testing.T) {
	for in, want := range map[string]string{"1": "1000000000000000000", "2.5": "2500000000000000000", "0.000000000000000001": "1", ".5": "500000000000000000"} {
		got, err := parseCoins(in)
		if err != nil || got.String() != want {
			t.Errorf("parseCoins(%q) = %v, %v", in, got, err)
		}
		if back := formatCoins(got); back != strings.TrimPrefix(in, ".") && back != "0"+in && back != in {
			t.Errorf("formatCoins(%v) = %q", got, back)
		}
	}
	for _, bad := range []string{"", "-1", "1.0000000000000000001", "abc", "1e5"} {
		if _, err := parseCoins(bad); err == nil {
			t.Errorf("parseCoins(%q) accepted", bad)
		}
	}
}
