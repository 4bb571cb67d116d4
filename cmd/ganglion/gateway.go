package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
)

type gatewayFlags struct {
	key, pwFile, tokenizer, listen, keysFile string
	models                                   []string
	seed                                     uint64
	noAuth                                   bool
	attempts                                 int
	verify                                   float64
	firstFrame                               time.Duration
}

func (a *app) gatewayCmd() *cobra.Command {
	var f gatewayFlags
	cmd := &cobra.Command{
		Use:   "gateway --key NAME --model PATH [--model ...] [--listen 127.0.0.1:8080]",
		Short: "Serve an OpenAI-compatible HTTP API that routes requests to the subnet's miners",
		Long: "Serve /v1/models, /v1/chat/completions and /v1/completions (streaming and not) plus /v1/usage and\n" +
			"/metrics (--metrics ADDR serves /metrics and /healthz on a port of their own). The gateway is a\n" +
			"validator's API: it publishes queries signed with --key, which must be a registered validator with\n" +
			"a permit for miners to answer (see docs/miner.md). Most operators run it inside their validator\n" +
			"instead (`ganglion validator --api ADDR`), where it routes by the validator's scores; this\n" +
			"stand-alone process needs a validator key of its own and routes uniformly. It tokenizes prompts\n" +
			"with the --model files, so it serves exactly the models it was given that miners announce.\n" +
			"API keys (`ganglion gateway keys create`) are required unless --no-auth (development only).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runGateway(cmd, &f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.key, "key", "", "name of the validator hotkey (keyring) queries are signed with")
	fs.StringVar(&f.pwFile, "password-file", "", "read the key's password from the first line of this file")
	fs.StringArrayVar(&f.models, "model", nil, "model file, catalogue name or \"random\" (its tokenizer is used); repeatable")
	fs.StringVar(&f.tokenizer, "tokenizer", "", "tokenizer file for llama2.c models")
	fs.Uint64Var(&f.seed, "seed", 42, "seed of the random model")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "HTTP address of the API")
	fs.StringVar(&f.keysFile, "keys-file", "", "API key store (default HOME/gateway/keys.json)")
	fs.BoolVar(&f.noAuth, "no-auth", false, "serve without API keys (development only)")
	fs.Float64Var(&f.verify, "verify-fraction", 0.05, "fraction of receipts re-executed with the local model (0..1)")
	fs.IntVar(&f.attempts, "attempts", 3, "miners one request may try before 503")
	fs.DurationVar(&f.firstFrame, "first-token-timeout", 10*time.Second, "wait for a miner's first frame before trying another")
	fs.StringSlice("p2p-listen", nil, "multiaddrs the p2p node listens on (p2p.listen)")
	fs.StringSlice("bootstrap", nil, "bootstrap multiaddrs (p2p.bootstrap)")
	fs.String("rpc", "", "chain JSON-RPC endpoint (chain.rpc)")
	fs.String("registry", "", "SubnetRegistry address (chain.registry; default: the dev chain's)")
	fs.String("metrics", "", "address of /metrics and /healthz (metrics.listen)")
	bindFlag(fs, "metrics", "metrics.listen")
	bindFlag(fs, "p2p-listen", "p2p.listen")
	bindFlag(fs, "bootstrap", "p2p.bootstrap")
	bindFlag(fs, "rpc", "chain.rpc")
	bindFlag(fs, "registry", "chain.registry")
	_ = cmd.MarkFlagRequired("key")
	_ = cmd.MarkFlagRequired("model")
	cmd.AddCommand(a.gatewayKeysCmd(&f.keysFile))
	return cmd
}

func (a *app) gatewayKeysPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	home, err := a.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "gateway", "keys.json"), nil
}

func (a *app) openGatewayKeys(flag string) (*gateway.Keys, error) {
	p, err := a.gatewayKeysPath(flag)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, fmt.Errorf("gateway keys: %w", err)
	}
	return gateway.OpenKeys(p)
}

func (a *app) gatewayKeysCmd(file *string) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage the gateway's API keys (stored as sha256 hashes)"}
	var rate int
	create := &cobra.Command{
		Use:   "create NAME [--rate N]",
		Short: "Create an API key; its secret is printed once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.openGatewayKeys(*file)
			if err != nil {
				return err
			}
			s, err := k.Create(args[0], rate)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "name: %s\nkey: %s\n(store it now: only its hash is kept)\n", args[0], s)
			return nil
		},
	}
	create.Flags().IntVar(&rate, "rate", 60, "requests per minute")
	list := &cobra.Command{
		Use:   "list",
		Short: "List API keys with their usage",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := a.openGatewayKeys(*file)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tPREFIX\tSTATUS\tRATE/MIN\tREQUESTS\tTOKENS IN\tTOKENS OUT\tCREATED")
			for _, x := range k.List() {
				st := "active"
				if x.Revoked {
					st = "revoked"
				}
				fmt.Fprintf(tw, "%s\t%s…\t%s\t%d\t%d\t%d\t%d\t%s\n", x.Name, x.Prefix, st, x.RatePerMin, x.Requests,
					x.TokensIn, x.TokensOut, x.Created.Format(time.RFC3339))
			}
			return tw.Flush()
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke an API key (a running gateway stops accepting it within 2 s)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.openGatewayKeys(*file)
			if err != nil {
				return err
			}
			if err := k.Revoke(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked: %s\n", args[0])
			return nil
		},
	}
	cmd.PersistentFlags().StringVar(file, "keys-file", "", "API key store (default HOME/gateway/keys.json)")
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// gatewayModel loads one --model for tokenizing.
func (a *app) gatewayModel(name, tokenizer string, seed uint64) (gateway.Model, func() error, error) {
	if path, tok := a.resolveModel(name, tokenizer); path != "random" {
		l, err := loadModel(path, tok, models.DefaultShape(), seed)
		if err != nil {
			return gateway.Model{}, nil, err
		}
		gm, err := gatewayFromLoaded(modelName(name, seed), l)
		if err != nil {
			_ = l.close()
			return gateway.Model{}, nil, err
		}
		return gm, l.close, nil
	}
	md, closeFn, err := a.minerModel(name, tokenizer, seed)
	if err != nil {
		return gateway.Model{}, nil, err
	}
	if md.Tokenizer == nil {
		_ = closeFn()
		return gateway.Model{}, nil, fmt.Errorf("model %s has no tokenizer: give --tokenizer", name)
	}
	return gateway.Model{Name: md.Name, ID: md.ID, Tokenizer: md.Tokenizer, EOS: md.Tokenizer.EOS(), Weights: md.Weights,
		ContextLength: md.Weights.Config.SeqLen}, closeFn, nil
}

func gatewayFromLoaded(name string, l *loaded) (gateway.Model, error) {
	if l.tok == nil {
		return gateway.Model{}, fmt.Errorf("model %s has no tokenizer: give --tokenizer", name)
	}
	id, err := models.ParseID(l.id)
	if err != nil {
		return gateway.Model{}, err
	}
	return gateway.Model{Name: name, ID: id, Tokenizer: l.tok, EOS: l.eos, Weights: l.w, ChatTemplate: l.tmpl,
		ContextLength: l.w.Config.SeqLen}, nil
}

func (a *app) runGateway(cmd *cobra.Command, f *gatewayFlags) error {
	cfg, log, key, err := a.startRole(cmd, f.key, f.pwFile)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer func() { _ = log.Sync() }()
	out := cmd.OutOrStdout()
	var ms []gateway.Model
	for _, name := range f.models {
		gm, closeFn, err := a.gatewayModel(name, f.tokenizer, f.seed)
		if err != nil {
			return fmt.Errorf("gateway: model %s failed to load: %w", name, err)
		}
		defer func() { _ = closeFn() }()
		ms = append(ms, gm)
		fmt.Fprintf(out, "model %s: %x\n", gm.Name, gm.ID)
	}
	ctx := cmd.Context()
	reg := newRegistry()
	opts := []gateway.Option{gateway.WithLogger(log.Named("gateway")), gateway.WithMetrics(gateway.NewMetrics(reg)),
		gateway.WithRegistry(reg), gateway.WithVerify(f.verify)}
	var members p2p.Membership = p2p.AllowAll{}
	pcfg := p2p.FromConfig(cfg.P2P, cfg.Chain)
	var msync *chain.MetagraphSync
	if cfg.Chain.RPC != "" {
		c, err := a.minerChain(ctx, cfg.Chain.RPC, cfg.Chain.Registry, key)
		if err != nil {
			return fmt.Errorf("gateway: chain: %w", err)
		}
		msync = chain.NewMetagraphSync(c, 12*time.Second, log.Named("metagraph"))
		mg, err := msync.Refresh(ctx)
		if err != nil {
			return fmt.Errorf("gateway: read metagraph: %w", err)
		}
		id, err := c.ChainID(ctx)
		if err != nil {
			return fmt.Errorf("gateway: chain id: %w", err)
		}
		pcfg.ChainID, pcfg.NetUID = id.Uint64(), uint32(mg.Netuid)
		fmt.Fprintf(out, "subnet: chain %d, netuid %d\n", pcfg.ChainID, pcfg.NetUID)
		n, ok := mg.Lookup(c.Address())
		if !ok || n.Role != chain.RoleValidator || !n.ValidatorPermit {
			fmt.Fprintf(out, "warning: %s is not a registered validator with a permit: miners will not answer\n", c.Address().Hex())
		}
		members = chainMembers{msync}
		opts = append(opts, gateway.WithUIDs(func(a [20]byte) (uint32, bool) {
			n, ok := msync.Lookup(a)
			return uint32(n.UID), ok
		}))
	} else {
		fmt.Fprintln(out, "warning: no chain configured (--rpc): accepting every peer; development only")
	}
	opts = append(opts, gateway.WithDashboard(dashboardFor(msync, nil, log.Named("dashboard"))))
	if !f.noAuth {
		k, err := a.openGatewayKeys(f.keysFile)
		if err != nil {
			return err
		}
		opts = append(opts, gateway.WithKeys(k))
	} else {
		fmt.Fprintln(out, "warning: --no-auth: the API is open to anyone who can reach it")
	}
	node, err := p2p.New(key, pcfg, p2p.WithLogger(log.Named("p2p")), p2p.WithMembership(members), p2p.WithMetrics(p2p.NewMetrics(reg)))
	if err != nil {
		return fmt.Errorf("gateway: p2p: %w", err)
	}
	defer func() { _ = node.Close() }()
	registerPeers(reg, node)
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("gateway: listen: %w", err)
	}
	gw, err := gateway.New(gateway.Config{Listen: f.listen, Attempts: f.attempts, FirstFrameTimeout: f.firstFrame}, node, ms,
		append(opts, gateway.WithListener(ln))...)
	if err != nil {
		_ = ln.Close()
		return err
	}
	for _, ad := range node.Host().Addrs() {
		fmt.Fprintf(out, "p2p: %s/p2p/%s\n", ad, node.ID())
	}
	fmt.Fprintf(out, "api: http://%s/v1\n", ln.Addr())
	fmt.Fprintf(out, "dashboard: http://%s/\n", ln.Addr())
	stopMetrics, err := serveMetrics(out, cfg.Metrics.Listen, metricsHandler(reg, func() error {
		select {
		case <-gw.Ready():
			return nil
		default:
			return errors.New("starting")
		}
	}), log)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer stopMetrics()
	var wg sync.WaitGroup
	defer wg.Wait()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if msync != nil {
		wg.Add(1)
		go func() { defer wg.Done(); _ = msync.Run(runCtx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); _ = node.Run(runCtx) }()
	err = gw.Run(runCtx)
	stop()
	return err
}
