package validator

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

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

// NewAPI serves the validator's scores read-only:
//
//	GET /v1/scores        every miner's score (EMA, uid, latest terms)
//	GET /v1/scores/{uid}  one miner's score and the terms behind it
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
	return mux
}
