package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/chain/devchain/devchaintest"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/weights"
)

func TestDashCoins(t *testing.T) {
	for _, c := range []struct{ wei, want string }{
		{"0", "0"}, {"1", "<0.000001"}, {"1000000000000000000", "1"}, {"1500000000000000000", "1.5"},
		{"199990000000000001", "0.19999"}, {"123456789000000000000", "123.456789"}, {"499999999999", "<0.000001"},
		{"500000000000", "0.000001"}, {"999999999000000000", "1"}, {"999999499999999999", "0.999999"}, {"2999999500000000000", "3"},
	} {
		w, _ := new(big.Int).SetString(c.wei, 10)
		if got := dashCoins(w); got != c.want {
			t.Errorf("dashCoins(%s) = %q, want %q", c.wei, got, c.want)
		}
	}
	if dashCoins(nil) != "0" {
		t.Error("nil")
	}
}

// TestDashboardSource reads a dev chain with one validator (5 coins) and two
// miners, epoch 1 finalised and miner uid 1's emission claimed, and a
// validator store with outputs of epochs 1 and 2: inside a validator the
// dashboard shows the store's incentive, dividends, emissions and scores;
// the stand-alone gateway shows what the chain has (stake, claimed
// emission, the finalising transaction, claims as the score history).
func TestDashboardSource(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	keys := make([]*ecdsa.PrivateKey, 3)
	addrs := make([]common.Address, 3)
	cfg := devchain.DefaultConfig()
	cfg.Port, cfg.BlockTime, cfg.Params.EpochLength, cfg.Params.ImmunityPeriod = -1, 10*time.Millisecond, 50, 0
	for i := range keys {
		keys[i], _ = crypto.GenerateKey()
		addrs[i] = crypto.PubkeyToAddress(keys[i].PublicKey)
		cfg.Fund = append(cfg.Fund, addrs[i])
	}
	dev := devchaintest.Start(t, cfg)
	clients := make([]*chain.Client, 3)
	var err error
	for i, k := range keys {
		clients[i], err = chain.New(dev.Backend(), dev.Info().Addresses(), chain.WithKey(k), chain.WithReceiptPoll(5*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		role := chain.RoleMiner
		if i == 0 {
			role = chain.RoleValidator
		}
		if _, _, err := clients[i].Register(ctx, role); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := clients[0].Stake(ctx, mustCoins(t, "5")); err != nil {
		t.Fatal(err)
	}
	tr, err := chain.NewTree(1, []chain.Emission{{UID: 1, Account: addrs[1], Amount: mustCoins(t, "0.25")},
		{UID: 2, Account: addrs[2], Amount: mustCoins(t, "0.5")}})
	if err != nil {
		t.Fatal(err)
	}
	rep := tr.Report(cfg.Netuid)
	dom, err := clients[0].Domain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := chain.SignReport(keys[0], dom, rep)
	if err != nil {
		t.Fatal(err)
	}
	fin, err := clients[0].Finalize(ctx, rep, [][]byte{sig})
	if err != nil {
		t.Fatal(err)
	}
	e, proof, _ := tr.Proof(1)
	if _, err := clients[1].Claim(ctx, 1, e, proof); err != nil {
		t.Fatal(err)
	}
	// Into epoch 4, so that epoch 3 has ended.
	for {
		h, err := dev.Backend().HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h.Number.Uint64() >= 4*cfg.Params.EpochLength {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	ms := chain.NewMetagraphSync(clients[0], time.Second, nil)
	if _, err := ms.Refresh(ctx); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for ep, inc := range map[uint64][]uint16{1: {0, 32768, 32767}, 2: {0, 21845, 43690}} {
		o := store.EpochOutput{Epoch: ep, Root: common.Hash{byte(ep)}, Total: "750000000000000000", Incentive: inc,
			Dividends: []uint16{65535, 0, 0}, Emissions: []string{"0", "250000000000000000", "500000000000000000"},
			Hotkeys: addrs}
		if err := st.PutOutput(o); err != nil {
			t.Fatal(err)
		}
	}
	// Epoch 3 as the validator settles it: the latest reveal before epoch
	// 3 of each validator (not the older one, not epoch 3's), on the bonds
	// of epoch 2.
	for _, r := range []store.RevealedRow{
		{Epoch: 1, Validator: addrs[0], UIDs: []uint16{1}, Values: []uint16{65535}},
		{Epoch: 2, Validator: addrs[0], UIDs: []uint16{1, 2}, Values: []uint16{20000, 65535}},
		{Epoch: 3, Validator: addrs[0], UIDs: []uint16{2}, Values: []uint16{65535}},
	} {
		if err := st.PutReveal(r); err != nil {
			t.Fatal(err)
		}
	}
	prev, err := st.Output(2)
	if err != nil {
		t.Fatal(err)
	}
	settled, err := validator.Settle(3, ms.Current(), []weights.Revealed{{Validator: addrs[0], Epoch: 2, UIDs: []uint16{1, 2},
		Values: []uint16{20000, 65535}}}, &prev, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	out3 := settled.Record()
	if err := st.PutOutput(out3); err != nil {
		t.Fatal(err)
	}
	share := func(v uint16) float64 { return float64(v) / 65535 }
	now := time.Now().UTC().Truncate(time.Second)
	if _, err := st.RecordScore(addrs[2], 2, scoring.Terms{Outcome: scoring.OK, Score: 0.8}, 0.1, now); err != nil {
		t.Fatal(err)
	}

	t.Run("validator", func(t *testing.T) {
		src := dashboardFor(ms, st, nil)
		mg, err := src.Metagraph(ctx)
		if err != nil || len(mg.Neurons) != 3 || mg.Netuid != cfg.Netuid || mg.EpochLength != 50 || mg.Epoch != mg.Block/50 || mg.Epoch < 4 {
			t.Fatalf("metagraph %+v %v", mg, err)
		}
		v, m1, m2 := mg.Neurons[0], mg.Neurons[1], mg.Neurons[2]
		vt := settled.Output.ValidatorTrustU16[0]
		if v.Role != "validator" || !v.Permit || v.Stake != "5" || *v.Dividends != share(out3.Dividends[0]) || v.Score != nil ||
			!strings.EqualFold(v.Address, addrs[0].Hex()) || vt == 0 || v.ValidatorTrust == nil || *v.ValidatorTrust != share(vt) {
			t.Fatalf("validator row %+v (trust %d)", v, vt)
		}
		em1, _ := new(big.Int).SetString(out3.Emissions[1], 10)
		if m1.Role != "miner" || *m1.Incentive != share(out3.Incentive[1]) || out3.Incentive[1] == 0 || m1.Emission != dashCoins(em1) ||
			m1.Score != nil || m1.ValidatorTrust != nil {
			t.Fatalf("miner 1 row %+v", m1)
		}
		if *m2.Incentive != share(out3.Incentive[2]) || m2.Score == nil || *m2.Score != 0.8 || !m2.LastSeen.Equal(now) {
			t.Fatalf("miner 2 row %+v", m2)
		}
		if !strings.Contains(mg.Source, "epoch 3") {
			t.Fatalf("source %q", mg.Source)
		}
		eps, err := src.Epochs(ctx)
		if err != nil || len(eps) == 0 {
			t.Fatalf("epochs %v %v", eps, err)
		}
		byEpoch := map[uint64]gateway.DashEpoch{}
		for _, e := range eps {
			byEpoch[e.Epoch] = e
		}
		e1, e2 := byEpoch[1], byEpoch[2]
		if e1.Status != "finalized" || e1.TxHash != fin.TxHash.Hex() || e1.Block != fin.BlockNumber.Uint64() || e1.Quorum != "100.0%" ||
			e1.Total != "0.75" || e1.Root != rep.EmissionsRoot.Hex() {
			t.Fatalf("epoch 1 %+v, finalised in %s at %v", e1, fin.TxHash.Hex(), fin.BlockNumber)
		}
		if e2.Status != "settled" || e2.Root != (common.Hash{2}).Hex() || e2.TxHash != "" {
			t.Fatalf("epoch 2 %+v", e2)
		}
		if e3 := byEpoch[3]; e3.Status != "settled" {
			t.Fatalf("epoch 3 %+v", e3)
		}
		if eps[0].Status != "in progress" || eps[0].Epoch != mg.Epoch {
			t.Fatalf("newest epoch %+v (metagraph epoch %d)", eps[0], mg.Epoch)
		}
		sc, err := src.ScoreHistory(ctx)
		if err != nil || sc.Metric != "incentive" || len(sc.Series) != 2 {
			t.Fatalf("scores %+v %v", sc, err)
		}
		if s := sc.Series[1]; s.UID != 2 || len(s.Points) != 3 || s.Points[0] != (gateway.DashPoint{Epoch: 1, Value: 32767.0 / 65535}) ||
			s.Points[1] != (gateway.DashPoint{Epoch: 2, Value: 43690.0 / 65535}) ||
			s.Points[2] != (gateway.DashPoint{Epoch: 3, Value: share(out3.Incentive[2])}) {
			t.Fatalf("miner 2 series %+v", s)
		}
	})

	t.Run("trust not reproducible", func(t *testing.T) {
		bad := out3
		bad.Epoch = 4
		bad.Incentive = append([]uint16(nil), out3.Incentive...)
		bad.Incentive[1]++ // not what the stored rows give
		if err := st.PutOutput(bad); err != nil {
			t.Fatal(err)
		}
		mg, err := dashboardFor(ms, st, nil).Metagraph(ctx)
		if err != nil || mg.Neurons[0].ValidatorTrust != nil || *mg.Neurons[1].Incentive != share(bad.Incentive[1]) {
			t.Fatalf("metagraph %+v %v", mg, err)
		}
	})

	t.Run("gateway", func(t *testing.T) {
		src := dashboardFor(ms, nil, nil)
		mg, err := src.Metagraph(ctx)
		if err != nil || len(mg.Neurons) != 3 {
			t.Fatalf("metagraph %+v %v", mg, err)
		}
		// The chain's latest claimed emission; no Yuma figures.
		if m1 := mg.Neurons[1]; m1.Emission != "0.25" || m1.Incentive != nil || m1.Score != nil {
			t.Fatalf("miner 1 row %+v", m1)
		}
		if m2 := mg.Neurons[2]; m2.Emission != "0" {
			t.Fatalf("miner 2 (unclaimed) row %+v", m2)
		}
		eps, err := src.Epochs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range eps {
			if e.Epoch == 1 && (e.Status != "finalized" || e.TxHash != fin.TxHash.Hex()) ||
				e.Epoch > 1 && e.Status != "not final" && e.Status != "in progress" {
				t.Fatalf("epoch %+v", e)
			}
		}
		sc, err := src.ScoreHistory(ctx)
		if err != nil || !strings.Contains(sc.Metric, "claimed") || len(sc.Series) != 1 ||
			sc.Series[0].UID != 1 || len(sc.Series[0].Points) != 1 || sc.Series[0].Points[0] != (gateway.DashPoint{Epoch: 1, Value: 0.25}) {
			t.Fatalf("scores %+v %v", sc, err)
		}
	})

	if dashboardFor(nil, st, nil) != nil {
		t.Fatal("a source without a chain")
	}
}

func mustCoins(t *testing.T, s string) *big.Int {
	t.Helper()
	w, err := parseCoins(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestGatewayCommandServesDashboard: `ganglion gateway` without a chain
// serves the page, and its chain panels say they are unavailable.
func TestGatewayCommandServesDashboard(t *testing.T) {
	tok := fixture(t, "tok512.bin")
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "g")
	environ := []string{"GANGLION_HOME=" + home}
	gout, gerr, gdone, gstop := startCLI(t, environ, "gateway", "--key", "g", "--password-file", pw, "--model", "random",
		"--tokenizer", tok, "--listen", "127.0.0.1:0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--no-auth", "--log-level", "warn")
	defer func() {
		gstop()
		if err := <-gdone; err != nil {
			t.Errorf("gateway: %v", err)
		}
	}()
	base := waitFor(t, gout, gerr, gdone, regexp.MustCompile(`dashboard: (http://\S+)/`))[1]
	get := func(p string) (int, string, string) {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	if code, ct, body := get("/"); code != 200 || !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "Ganglion") {
		t.Fatalf("/: %d %s", code, ct)
	}
	var r struct {
		Available bool
		Reason    string
	}
	if code, _, body := get("/dashboard/api/epochs"); code != 200 || json.Unmarshal([]byte(body), &r) != nil || r.Available {
		t.Fatalf("epochs: %d %s", code, body)
	}
	if code, _, body := get("/dashboard/api/info"); code != 200 || !strings.Contains(body, `"auth":false`) {
		t.Fatalf("info: %d %s", code, body)
	}
}
