package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/p2p"
)

type queryFlags struct {
	gateway, apiKey, model string
	direct, raw            bool
	maxTokens              int
	temperature            float64
	seed                   int64
	key, pwFile, tokenizer string
	wait                   time.Duration
}

func (a *app) queryCmd() *cobra.Command {
	var f queryFlags
	cmd := &cobra.Command{
		Use:   "query [--gateway URL | --direct --key NAME --model PATH] [--model M] \"prompt\"",
		Short: "Ask the subnet a question and stream the answer to the terminal",
		Long: "Send a chat completion to a gateway (--gateway, default http://127.0.0.1:8080, API key from --api-key or\n" +
			"GANGLION_API_KEY) and stream the answer. --direct queries the subnet over libp2p without a gateway:\n" +
			"it signs with --key (a registered validator), tokenizes with the --model file and dials --bootstrap.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runQuery(cmd, &f, args[0]) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.gateway, "gateway", "http://127.0.0.1:8080", "gateway base URL")
	fs.StringVar(&f.apiKey, "api-key", "", "API key (default $GANGLION_API_KEY)")
	fs.StringVar(&f.model, "model", "", "model id (gateway; default: the first served) or model file (--direct)")
	fs.BoolVar(&f.direct, "direct", false, "query over libp2p without a gateway")
	fs.BoolVar(&f.raw, "raw", false, "plain completion of the prompt (no chat template)")
	fs.IntVar(&f.maxTokens, "max-tokens", 128, "tokens to generate at most")
	fs.Float64Var(&f.temperature, "temperature", 0, "sampling temperature (0: greedy)")
	fs.Int64Var(&f.seed, "seed", 0, "sampling seed (0: random)")
	fs.StringVar(&f.key, "key", "", "--direct: validator hotkey name")
	fs.StringVar(&f.pwFile, "password-file", "", "--direct: read the key's password from this file")
	fs.StringVar(&f.tokenizer, "tokenizer", "", "--direct: tokenizer file for llama2.c models")
	fs.DurationVar(&f.wait, "wait", 30*time.Second, "--direct: how long to wait for a miner announcing the model")
	fs.StringSlice("bootstrap", nil, "--direct: bootstrap multiaddrs (p2p.bootstrap)")
	fs.StringSlice("p2p-listen", nil, "--direct: multiaddrs to listen on (p2p.listen)")
	bindFlag(fs, "bootstrap", "p2p.bootstrap")
	bindFlag(fs, "p2p-listen", "p2p.listen")
	return cmd
}

func (a *app) runQuery(cmd *cobra.Command, f *queryFlags, prompt string) error {
	ctx := cmd.Context()
	base := strings.TrimSuffix(f.gateway, "/")
	key := f.apiKey
	if key == "" {
		key = a.getenv("GANGLION_API_KEY")
	}
	model := f.model
	if f.direct {
		stop, url, name, err := a.directGateway(cmd, f)
		if err != nil {
			return err
		}
		defer stop()
		base, key, model = url, "", name
	}
	if model == "" {
		m, err := firstModel(ctx, base, key)
		if err != nil {
			return err
		}
		model = m
	}
	body := map[string]any{"model": model, "max_tokens": f.maxTokens, "temperature": f.temperature, "stream": true,
		"stream_options": map[string]any{"include_usage": true}}
	if f.seed != 0 {
		body["seed"] = f.seed
	}
	path := "/v1/chat/completions"
	if f.raw {
		path = "/v1/completions"
		body["prompt"] = prompt
	} else {
		body["messages"] = []map[string]string{{"role": "user", "content": prompt}}
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("query: is a gateway running at %s? %w", base, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return apiFailure(resp)
	}
	return streamAnswer(cmd.OutOrStdout(), cmd.ErrOrStderr(), resp)
}

func apiFailure(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var e struct {
		Error struct{ Message string } `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
		return fmt.Errorf("query: %s: %s", resp.Status, e.Error.Message)
	}
	return fmt.Errorf("query: %s: %.200s", resp.Status, raw)
}

func firstModel(ctx context.Context, base, key string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/models", nil)
	if err != nil {
		return "", err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("query: is a gateway running at %s? %w", base, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return "", apiFailure(resp)
	}
	var list struct {
		Data []struct{ ID string } `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return "", fmt.Errorf("query: models: %w", err)
	}
	if len(list.Data) == 0 {
		return "", errors.New("query: no model is served right now")
	}
	return list.Data[0].ID, nil
}

// streamAnswer prints an SSE completion stream's text as it arrives, then
// the usage and the serving miner on stderr.
func streamAnswer(out, errw io.Writer, resp *http.Response) error {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var miner, receipt string
	var usage map[string]any
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if data == "[DONE]" {
			fmt.Fprintln(out)
			if usage != nil {
				fmt.Fprintf(errw, "usage: %v prompt + %v completion tokens\n", usage["prompt_tokens"], usage["completion_tokens"])
			}
			if miner != "" {
				fmt.Fprintf(errw, "miner: %s receipt: %s\n", miner, receipt)
			}
			return nil
		}
		var c struct {
			Choices []struct {
				Delta struct{ Content string } `json:"delta"`
				Text  string                   `json:"text"`
			} `json:"choices"`
			Usage    map[string]any `json:"usage"`
			Ganglion *struct {
				Miner, Receipt string
			} `json:"ganglion"`
			Error *struct{ Message string } `json:"error"`
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return fmt.Errorf("query: bad event %q: %w", data, err)
		}
		if c.Error != nil {
			return fmt.Errorf("query: %s", c.Error.Message)
		}
		for _, ch := range c.Choices {
			fmt.Fprint(out, ch.Delta.Content+ch.Text)
		}
		if c.Usage != nil {
			usage = c.Usage
		}
		if c.Ganglion != nil {
			miner, receipt = c.Ganglion.Miner, c.Ganglion.Receipt
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("query: stream: %w", err)
	}
	return errors.New("query: the stream ended without [DONE]")
}

// directGateway runs an in-process gateway on loopback over a fresh p2p
// node and waits until a miner announces the model.
func (a *app) directGateway(cmd *cobra.Command, f *queryFlags) (stop func(), url, model string, err error) {
	if f.key == "" || f.model == "" {
		return nil, "", "", errors.New("query --direct needs --key (a registered validator) and --model (the model file)")
	}
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return nil, "", "", err
	}
	key, err := a.unlockKey(f.key, f.pwFile)
	if err != nil {
		return nil, "", "", fmt.Errorf("query: %w", err)
	}
	gm, closeModel, err := a.gatewayModel(f.model, f.tokenizer, 42)
	if err != nil {
		return nil, "", "", fmt.Errorf("query: model %s: %w", f.model, err)
	}
	pcfg := p2p.FromConfig(cfg.P2P, cfg.Chain)
	if len(pcfg.ListenAddrs) == 0 {
		pcfg.ListenAddrs = []string{"/ip4/0.0.0.0/tcp/0"}
	}
	node, err := p2p.New(key, pcfg)
	if err != nil {
		_ = closeModel()
		return nil, "", "", fmt.Errorf("query: p2p: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = node.Close()
		_ = closeModel()
		return nil, "", "", err
	}
	gw, err := gateway.New(gateway.Config{}, node, []gateway.Model{gm}, gateway.WithListener(ln))
	if err != nil {
		_ = ln.Close()
		_ = node.Close()
		_ = closeModel()
		return nil, "", "", err
	}
	ctx, cancel := context.WithCancel(cmd.Context())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = node.Run(ctx) }()
	go func() { defer wg.Done(); _ = gw.Run(ctx) }()
	stop = func() {
		cancel()
		wg.Wait()
		_ = node.Close()
		_ = closeModel()
	}
	<-gw.Ready()
	url = "http://" + gw.Addr()
	deadline := time.Now().Add(f.wait)
	for {
		if m, err := firstModel(ctx, url, ""); err == nil {
			return stop, url, m, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, "", "", fmt.Errorf("query: no miner announced %s within %v", gm.Name, f.wait)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
