package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// explainOutput is `validator explain --json`.
type explainOutput struct {
	store.MinerScore
}

func (a *app) validatorExplainCmd() *cobra.Command {
	var (
		dataDir string
		apiURL  string
		uid     int
		asJSON  bool
		wait    time.Duration
	)
	cmd := &cobra.Command{
		Use:   "explain --uid N [--data DIR] [--api URL] [--json]",
		Short: "Show why a miner has its score: EMA and the terms of its latest responses",
		Long: "Print the miner at --uid as the validator scored it: its score EMA and every term of its latest\n" +
			"responses (outcome, availability, correctness, first divergence, latency, throughput, score).\n" +
			"It reads the validator's state file (DATA/state.db). A running validator holds that file locked:\n" +
			"then explain asks the running validator instead, at the address of its --api flag\n" +
			"(--api http://127.0.0.1:9200 reads GET /v1/scores/{uid}).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if uid < 0 || uid > 65535 {
				return fmt.Errorf("--uid %d: must be in 0..65535", uid)
			}
			dir, err := a.validatorDataDir(dataDir)
			if err != nil {
				return err
			}
			path := filepath.Join(dir, "state.db")
			ms, err := explainFromFile(path, uint16(uid), wait)
			if errors.Is(err, store.ErrLocked) {
				if apiURL == "" {
					return fmt.Errorf("%s is locked by a running validator: pass its API address (--api http://HOST:PORT, "+
						"what it was started with as --api) to ask it, or stop it to read the file", path)
				}
				ms, err = explainFromAPI(cmd.Context(), apiURL, uint16(uid))
			} else if err != nil && !errors.Is(err, errNotScored) && apiURL != "" {
				// No readable state file here (another machine, another
				// --data): the API is all there is.
				ms, err = explainFromAPI(cmd.Context(), apiURL, uint16(uid))
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(explainOutput{ms})
			}
			fmt.Fprintf(out, "uid: %d\nminer: %s\nscore: %.6f\nresponses: %d\nupdated: %s\n", ms.UID, ms.Miner, ms.EMA.Value, ms.EMA.N, ms.Updated.Format(time.RFC3339))
			fmt.Fprintf(out, "latest %d responses (oldest first):\n", len(ms.Recent))
			fmt.Fprintf(out, "  %-12s %6s %6s %6s %7s %7s %7s\n", "outcome", "avail", "exact", "diverge", "latency", "tput", "score")
			for _, t := range ms.Recent {
				fmt.Fprintf(out, "  %-12s %6.3f %6.3f %6d %7.3f %7.3f %7.3f\n", t.Outcome, t.Availability, t.Correctness, t.FirstDivergence, t.Latency, t.Throughput, t.Score)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataDir, "data", "", "state directory (default HOME/validator)")
	f.StringVar(&apiURL, "api", "", "the running validator's API (its --api address, e.g. http://127.0.0.1:9200), asked when the state file is locked or absent")
	f.IntVar(&uid, "uid", -1, "the miner's uid")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.DurationVar(&wait, "lock-timeout", 500*time.Millisecond, "how long to wait for the state file's lock")
	_ = cmd.MarkFlagRequired("uid")
	return cmd
}

func explainFromFile(path string, uid uint16, wait time.Duration) (store.MinerScore, error) {
	st, err := store.OpenReadOnly(path, wait)
	if err != nil {
		return store.MinerScore{}, fmt.Errorf("validator state: %w", err)
	}
	defer st.Close()
	ms, err := validator.ScoreByUID(st, uid)
	if errors.Is(err, store.ErrNotFound) {
		return ms, fmt.Errorf("no score for uid %d: %w", uid, errNotScored)
	}
	return ms, err
}

// explainFromAPI reads GET /v1/scores/{uid} of a running validator.
func explainFromAPI(ctx context.Context, base string, uid uint16) (store.MinerScore, error) {
	var ms store.MinerScore
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	u, err := url.Parse(base)
	if err != nil {
		return ms, fmt.Errorf("--api %q: %w", base, err)
	}
	u = u.JoinPath("v1", "scores", fmt.Sprint(uid))
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return ms, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ms, fmt.Errorf("ask the running validator at %s: %w", base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return ms, fmt.Errorf("ask the running validator at %s: %w", base, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return ms, fmt.Errorf("no score for uid %d at %s: %w", uid, base, errNotScored)
	default:
		return ms, fmt.Errorf("ask the running validator at %s: %s: %s", base, resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, &ms); err != nil {
		return ms, fmt.Errorf("ask the running validator at %s: %w", base, err)
	}
	return ms, nil
}
