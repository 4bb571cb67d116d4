package validator

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

func TestAPIServesScores(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	old, cur := common.HexToAddress("0x1"), common.HexToAddress("0x2")
	now := time.Now()
	if _, err := st.RecordScore(old, 4, scoring.Terms{Score: 0.2}, 0.5, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordScore(cur, 4, scoring.Terms{Outcome: scoring.OK, Score: 0.9, FirstDivergence: -1}, 0.5, now); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewAPI(st))
	defer srv.Close()
	tests := []struct {
		path  string
		code  int
		miner common.Address
	}{
		{"/v1/scores/4", http.StatusOK, cur}, // the uid's latest holder
		{"/v1/scores/5", http.StatusNotFound, common.Address{}},
		{"/v1/scores/x", http.StatusBadRequest, common.Address{}},
		{"/v1/scores/70000", http.StatusBadRequest, common.Address{}},
	}
	for _, tc := range tests {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		var ms store.MinerScore
		_ = json.NewDecoder(resp.Body).Decode(&ms)
		resp.Body.Close()
		if resp.StatusCode != tc.code || ms.Miner != tc.miner {
			t.Fatalf("%s: %d %+v, want %d %s", tc.path, resp.StatusCode, ms, tc.code, tc.miner)
		}
		if tc.code == http.StatusOK && (ms.EMA.Value != 0.9 || len(ms.Recent) != 1) {
			t.Fatalf("%s: %+v", tc.path, ms)
		}
	}
	resp, err := http.Get(srv.URL + "/v1/scores")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var all []store.MinerScore
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil || len(all) != 2 {
		t.Fatalf("all scores: %v %+v", err, all)
	}
}

// TestAPIServesEpochsAndClaims stores three epoch outputs and reads them
// back over raw HTTP: the list (newest first, limit, before), one output,
// and claims whose proofs lead to the stored root.
func TestAPIServesEpochsAndClaims(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hot := []common.Address{common.HexToAddress("0xa1"), common.HexToAddress("0xb2"), common.HexToAddress("0xc3"), common.HexToAddress("0xd4")}
	amounts := []int64{700, 0, 250, 50}
	var es []chain.Emission
	for i, a := range amounts {
		if a > 0 {
			es = append(es, chain.Emission{UID: uint16(i), Account: hot[i], Amount: big.NewInt(a)})
		}
	}
	for _, epoch := range []uint64{1, 2, 4} {
		tree, err := chain.NewTree(epoch, es)
		if err != nil {
			t.Fatal(err)
		}
		o := store.EpochOutput{Epoch: epoch, Root: tree.Root(), Total: tree.Total().String(), Hotkeys: hot, ReportRelayed: epoch == 1}
		for _, a := range amounts {
			o.Emissions = append(o.Emissions, big.NewInt(a).String())
		}
		if err := st.PutOutput(o); err != nil {
			t.Fatal(err)
		}
	}
	// An output whose root does not match its emissions.
	if err := st.PutOutput(store.EpochOutput{Epoch: 5, Root: common.HexToHash("0x01"), Total: "1000", Hotkeys: hot, Emissions: []string{"700", "0", "250", "50"}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewAPI(st))
	defer srv.Close()
	get := func(path string, v any) int {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("%s: content type %q", path, ct)
		}
		if v != nil && resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		return resp.StatusCode
	}
	for _, tc := range []struct {
		path   string
		code   int
		epochs []uint64
	}{
		{"/v1/epochs", 200, []uint64{5, 4, 2, 1}},
		{"/v1/epochs?limit=2", 200, []uint64{5, 4}},
		{"/v1/epochs?before=4", 200, []uint64{2, 1}},
		{"/v1/epochs?before=1", 200, []uint64{}},
		{"/v1/epochs?before=99&limit=3", 200, []uint64{5, 4}}, // walks 5, 4, 3
		{"/v1/epochs?limit=0", 400, nil},
		{"/v1/epochs?limit=x", 400, nil},
		{"/v1/epochs?before=-1", 400, nil},
	} {
		var list []EpochSummary
		if code := get(tc.path, &list); code != tc.code {
			t.Fatalf("%s: status %d, want %d", tc.path, code, tc.code)
		}
		if tc.code != 200 {
			continue
		}
		got := []uint64{}
		for _, e := range list {
			got = append(got, e.Epoch)
			if e.Epoch == 1 && (!e.Relayed || e.Total != "1000") {
				t.Fatalf("%s: epoch 1 %+v", tc.path, e)
			}
		}
		if len(got) != len(tc.epochs) || (len(got) > 0 && got[0] != tc.epochs[0]) || (len(got) > 1 && got[len(got)-1] != tc.epochs[len(tc.epochs)-1]) {
			t.Fatalf("%s: epochs %v, want %v", tc.path, got, tc.epochs)
		}
	}
	var out store.EpochOutput
	if code := get("/v1/epochs/2", &out); code != 200 || out.Epoch != 2 || len(out.Emissions) != 4 {
		t.Fatalf("epoch 2: %d %+v", code, out)
	}
	for _, uid := range []uint16{0, 2, 3} {
		var c Claim
		path := fmt.Sprintf("/v1/epochs/4/claims/%d", uid)
		if code := get(path, &c); code != 200 {
			t.Fatalf("%s: status %d", path, code)
		}
		amt, _ := new(big.Int).SetString(c.Amount, 10)
		if c.Epoch != 4 || c.UID != uid || common.HexToAddress(c.Account) != hot[uid] || amt == nil || amt.Int64() != amounts[uid] {
			t.Fatalf("%s: %+v", path, c)
		}
		out, _ := st.Output(4)
		leaf := chain.Leaf(4, chain.Emission{UID: uid, Account: hot[uid], Amount: amt})
		if c.Root != out.Root || !chain.VerifyProof(out.Root, leaf, c.Proof) {
			t.Fatalf("%s: proof does not lead to the stored root", path)
		}
		// The same proof must not verify for another epoch's leaf.
		if chain.VerifyProof(out.Root, chain.Leaf(2, chain.Emission{UID: uid, Account: hot[uid], Amount: amt}), c.Proof) {
			t.Fatalf("%s: proof verifies for the wrong epoch", path)
		}
	}
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/v1/epochs/4/claims/1", 404},  // earned nothing
		{"/v1/epochs/4/claims/9", 404},  // no such uid
		{"/v1/epochs/3/claims/0", 404},  // not settled
		{"/v1/epochs/3", 404},           // not settled
		{"/v1/epochs/x/claims/0", 400},  // bad epoch
		{"/v1/epochs/4/claims/-1", 400}, // bad uid
		{"/v1/epochs/4/claims/70000", 400},
		{"/v1/epochs/5/claims/0", 500}, // root does not match the emissions
	} {
		if code := get(tc.path, nil); code != tc.code {
			t.Fatalf("%s: status %d, want %d", tc.path, code, tc.code)
		}
	}
}

func TestAPIEmptyEpochList(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(NewAPI(st))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/epochs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != "[]" {
		t.Fatalf("empty list: %d %s", resp.StatusCode, b)
	}
}

// TestAPIRoutesAreServed: every pattern in APIRoutes is a route of NewAPI
// (a mounting process relies on the list).
func TestAPIRoutesAreServed(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := NewAPI(st).(*http.ServeMux)
	for _, p := range APIRoutes {
		method, path, _ := strings.Cut(p, " ")
		path = strings.NewReplacer("{uid}", "1", "{epoch}", "1").Replace(path)
		req := httptest.NewRequest(method, path, nil)
		if _, pattern := h.Handler(req); pattern != p {
			t.Errorf("%s %s routes to %q", method, path, pattern)
		}
	}
}
