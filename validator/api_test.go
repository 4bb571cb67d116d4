package validator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

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
