package validator

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strconv"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// ScoreByUID returns the stored score of the miner at uid (the latest
// updated one if the uid was re-registered).
func ScoreByUID(st *store.Store, uid uint16) (store.MinerScore, error) {
	all, err := st.Scores()
	if err != nil {
		return store.MinerScore{}, err
	}
	var found *store.MinerScore
	for i := range all {
		if all[i].UID == uid && (found == nil || all[i].Updated.After(found.Updated)) {
			found = &all[i]
		}
	}
	if found == nil {
		return store.MinerScore{}, store.ErrNotFound
	}
	return *found, nil
}

// EpochSummary is one entry of GET /v1/epochs.
type EpochSummary struct {
	Epoch   uint64      `json:"epoch"`
	Root    common.Hash `json:"root"`    // zero when the epoch paid nothing
	Total   string      `json:"total"`   // decimal wei
	Relayed bool        `json:"relayed"` // the store's report_relayed flag
}

// Claim is what a uid needs to claim an epoch's emission with
// chain.Client.Claim (and the file `ganglion chain claim --claim-file` reads).
type Claim struct {
	Epoch   uint64        `json:"epoch"`
	UID     uint16        `json:"uid"`
	Account string        `json:"account"`
	Amount  string        `json:"amount"` // decimal wei
	Proof   []common.Hash `json:"proof"`
	Root    common.Hash   `json:"root"` // the emissions root the proof leads to
}

// Sentinel errors of ClaimFor.
var (
	ErrNothingToClaim = errors.New("nothing to claim: the uid earned nothing in this epoch")
	ErrBadOutput      = errors.New("stored epoch output is inconsistent")
)

// ClaimFor rebuilds the Merkle tree of a stored epoch output and returns the
// claim of uid. The rebuilt root must equal the stored one.
func ClaimFor(o store.EpochOutput, uid uint16) (Claim, error) {
	if int(uid) >= len(o.Emissions) || o.Emissions[uid] == "0" {
		return Claim{}, ErrNothingToClaim
	}
	if len(o.Emissions) > 1<<16 {
		return Claim{}, fmt.Errorf("%w: %d emissions for at most 65536 uids", ErrBadOutput, len(o.Emissions))
	}
	if len(o.Hotkeys) != len(o.Emissions) {
		return Claim{}, fmt.Errorf("%w: %d hotkeys for %d emissions", ErrBadOutput, len(o.Hotkeys), len(o.Emissions))
	}
	var es []chain.Emission
	for i, s := range o.Emissions {
		amt, ok := new(big.Int).SetString(s, 10)
		if !ok || amt.Sign() < 0 {
			return Claim{}, fmt.Errorf("%w: emission %q of uid %d", ErrBadOutput, s, i)
		}
		if amt.Sign() == 0 {
			continue
		}
		es = append(es, chain.Emission{UID: uint16(i), Account: o.Hotkeys[i], Amount: amt})
	}
	t, err := chain.NewTree(o.Epoch, es)
	if err != nil {
		return Claim{}, fmt.Errorf("%w: %w", ErrBadOutput, err)
	}
	if t.Root() != o.Root {
		return Claim{}, fmt.Errorf("%w: rebuilt root %s, stored %s", ErrBadOutput, t.Root().Hex(), o.Root.Hex())
	}
	e, proof, err := t.Proof(uid)
	if err != nil {
		return Claim{}, fmt.Errorf("%w: %w", ErrBadOutput, err)
	}
	if proof == nil {
		proof = []common.Hash{}
	}
	return Claim{Epoch: o.Epoch, UID: uid, Account: e.Account.Hex(), Amount: e.Amount.String(), Proof: proof, Root: o.Root}, nil
}

// APIRoutes are the patterns NewAPI serves, for a process that mounts the
// API next to others (the gateway in `validator --api`).
var APIRoutes = []string{
	"GET /v1/scores", "GET /v1/scores/{uid}",
	"GET /v1/epochs", "GET /v1/epochs/{epoch}", "GET /v1/epochs/{epoch}/claims/{uid}",
}

// maxEpochList caps GET /v1/epochs?limit.
const maxEpochList = 1000

// NewAPI serves the validator's scores and epoch outputs read-only:
//
//	GET /v1/scores                         every miner's score (EMA, uid, latest terms)
//	GET /v1/scores/{uid}                   one miner's score and the terms behind it
//	GET /v1/epochs[?limit=N&before=E]      settled epochs, newest first: root, total, relayed
//	GET /v1/epochs/{epoch}                 one epoch's whole output (emissions, bonds, ...)
//	GET /v1/epochs/{epoch}/claims/{uid}    the uid's claim: account, amount and Merkle proof
func NewAPI(st *store.Store) http.Handler {
	mux := http.NewServeMux()
	write := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(w http.ResponseWriter, code int, msg string) {
		write(w, code, map[string]string{"error": msg})
	}
	mux.HandleFunc("GET /v1/scores", func(w http.ResponseWriter, _ *http.Request) {
		all, err := st.Scores()
		if err != nil {
			fail(w, http.StatusInternalServerError, "store unavailable")
			return
		}
		if all == nil {
			all = []store.MinerScore{}
		}
		write(w, http.StatusOK, all)
	})
	mux.HandleFunc("GET /v1/scores/{uid}", func(w http.ResponseWriter, r *http.Request) {
		uid, err := strconv.ParseUint(r.PathValue("uid"), 10, 16)
		if err != nil {
			fail(w, http.StatusBadRequest, "uid must be an integer in 0..65535")
			return
		}
		ms, err := ScoreByUID(st, uint16(uid))
		switch {
		case errors.Is(err, store.ErrNotFound):
			fail(w, http.StatusNotFound, "no score for this uid")
		case err != nil:
			fail(w, http.StatusInternalServerError, "store unavailable")
		default:
			write(w, http.StatusOK, ms)
		}
	})
	mux.HandleFunc("GET /v1/epochs", func(w http.ResponseWriter, r *http.Request) {
		limit, before := uint64(100), uint64(0)
		q := r.URL.Query()
		if v := q.Get("limit"); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil || n == 0 || n > maxEpochList {
				fail(w, http.StatusBadRequest, fmt.Sprintf("limit must be an integer in 1..%d", maxEpochList))
				return
			}
			limit = n
		}
		if v := q.Get("before"); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				fail(w, http.StatusBadRequest, "before must be an epoch number")
				return
			}
			before = n
		}
		list := []EpochSummary{}
		last, err := st.LastOutput()
		switch {
		case errors.Is(err, store.ErrNotFound):
			write(w, http.StatusOK, list)
			return
		case err != nil:
			fail(w, http.StatusInternalServerError, "store unavailable")
			return
		}
		top := last.Epoch
		if before != 0 && before-1 < top {
			top = before - 1
		}
		// Walk down at most limit epochs: outputs are stored for every
		// settled epoch, so gaps are rare and the walk stays bounded.
		for e, n := top, uint64(0); e > 0 && n < limit; e, n = e-1, n+1 {
			o, err := st.Output(e)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				fail(w, http.StatusInternalServerError, "store unavailable")
				return
			}
			list = append(list, EpochSummary{Epoch: o.Epoch, Root: o.Root, Total: o.Total, Relayed: o.ReportRelayed})
		}
		write(w, http.StatusOK, list)
	})
	epochOf := func(w http.ResponseWriter, r *http.Request) (store.EpochOutput, bool) {
		e, err := strconv.ParseUint(r.PathValue("epoch"), 10, 64)
		if err != nil {
			fail(w, http.StatusBadRequest, "epoch must be a non-negative integer")
			return store.EpochOutput{}, false
		}
		o, err := st.Output(e)
		switch {
		case errors.Is(err, store.ErrNotFound):
			fail(w, http.StatusNotFound, "this validator has not settled that epoch")
			return o, false
		case err != nil:
			fail(w, http.StatusInternalServerError, "store unavailable")
			return o, false
		}
		return o, true
	}
	mux.HandleFunc("GET /v1/epochs/{epoch}", func(w http.ResponseWriter, r *http.Request) {
		if o, ok := epochOf(w, r); ok {
			write(w, http.StatusOK, o)
		}
	})
	mux.HandleFunc("GET /v1/epochs/{epoch}/claims/{uid}", func(w http.ResponseWriter, r *http.Request) {
		uid, err := strconv.ParseUint(r.PathValue("uid"), 10, 16)
		if err != nil {
			fail(w, http.StatusBadRequest, "uid must be an integer in 0..65535")
			return
		}
		o, ok := epochOf(w, r)
		if !ok {
			return
		}
		c, err := ClaimFor(o, uint16(uid))
		switch {
		case errors.Is(err, ErrNothingToClaim):
			fail(w, http.StatusNotFound, err.Error())
		case err != nil:
			fail(w, http.StatusInternalServerError, err.Error())
		default:
			write(w, http.StatusOK, c)
		}
	})
	return mux
}
