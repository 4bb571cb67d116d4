package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
)

type minerFlags struct {
	key, pwFile, tokenizer string
	models                 []string
	register               bool
	maxConcurrency         int
	slots, threads, queue  int
	grace, announce        time.Duration
	seed                   uint64
	context                int
}

func (a *app) minerCmd() *cobra.Command {
	var f minerFlags
	cmd := &cobra.Command{
		Use:   "miner --key NAME --model PATH|NAME [--model ...]",
		Short: "Serve inference to the subnet: announce models, answer validators' queries with signed receipts",
		Long: "Serve inference to the subnet. The miner loads its models once, announces them on the announce topic,\n" +
			"answers queries from registered validators (and the gateways behind their --api) over\n" +
			"/ganglion/infer/1.0.0 with streamed tokens and a signed receipt, and exposes /healthz, /status\n" +
			"and /metrics on --metrics. With --rpc and --registry it checks its registration (--register pays\n" +
			"the deposit if needed) and accepts only registered validators; without a chain it accepts every\n" +
			"peer (development only).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runMiner(cmd, &f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.key, "key", "", "name of the hotkey (keyring) the miner signs with")
	fs.StringVar(&f.pwFile, "password-file", "", "read the key's password from the first line of this file")
	fs.StringArrayVar(&f.models, "model", nil, "model file, catalogue name (pulled into HOME/models) or \"random\"; repeatable")
	fs.StringVar(&f.tokenizer, "tokenizer", "", "tokenizer file for llama2.c models")
	fs.Uint64Var(&f.seed, "seed", 42, "seed of the random model")
	fs.IntVar(&f.context, "context", 0, "context length of every model (default: what the file declares)")
	fs.StringSlice("listen", nil, "multiaddrs to listen on (p2p.listen)")
	fs.StringSlice("bootstrap", nil, "bootstrap multiaddrs (p2p.bootstrap)")
	fs.String("rpc", "", "chain JSON-RPC endpoint (chain.rpc)")
	fs.String("registry", "", "SubnetRegistry address (chain.registry; default: the dev chain's)")
	fs.String("metrics", "", "address of /metrics, /healthz and /status (metrics.listen)")
	fs.BoolVar(&f.register, "register", false, "register the hotkey as a miner if it is not yet, paying the deposit")
	fs.IntVar(&f.maxConcurrency, "max-concurrency", 8, "sequences generated at once per model (batched)")
	fs.IntVar(&f.slots, "slots", 1, "workers per model")
	fs.IntVar(&f.threads, "threads", 1, "threads per worker")
	fs.IntVar(&f.queue, "queue", 32, "queries waiting per model before answering busy")
	fs.DurationVar(&f.grace, "grace", 10*time.Second, "on shutdown, time in-flight answers get to finish")
	fs.DurationVar(&f.announce, "announce-interval", 30*time.Second, "period of the capability announcements")
	bindFlag(fs, "listen", "p2p.listen")
	bindFlag(fs, "bootstrap", "p2p.bootstrap")
	bindFlag(fs, "rpc", "chain.rpc")
	bindFlag(fs, "registry", "chain.registry")
	bindFlag(fs, "metrics", "metrics.listen")
	_ = cmd.MarkFlagRequired("key")
	_ = cmd.MarkFlagRequired("model")
	cmd.AddCommand(a.minerStatusCmd())
	return cmd
}

// chainMembers backs the miner's and the p2p node's membership with the
// metagraph.
type chainMembers struct{ sync *chain.MetagraphSync }

func (c chainMembers) IsMember(addr common.Address, role p2p.Role) bool {
	n, ok := c.sync.Lookup(addr)
	if !ok {
		return false
	}
	switch role {
	case p2p.RoleValidator:
		return n.Role == chain.RoleValidator && n.ValidatorPermit
	case p2p.RoleMiner:
		return n.Role == chain.RoleMiner
	}
	return false
}

func (c chainMembers) stake(addr common.Address) float64 {
	n, ok := c.sync.Lookup(addr)
	if !ok || n.Stake == nil {
		return 0
	}
	f, _ := new(big.Float).SetInt(n.Stake).Float64()
	return f
}

func (a *app) runMiner(cmd *cobra.Command, f *minerFlags) error {
	cfg, log, key, err := a.startRole(cmd, f.key, f.pwFile)
	if err != nil {
		return fmt.Errorf("miner: %w", err)
	}
	defer func() { _ = log.Sync() }()
	out := cmd.OutOrStdout()
	var ms []miner.Model
	for _, name := range f.models {
		md, closeFn, err := a.minerModel(name, f.tokenizer, f.seed)
		if err != nil {
			return fmt.Errorf("miner: model %s failed to load: %w", name, err)
		}
		md.ContextLength = f.context
		defer func() { _ = closeFn() }()
		ms = append(ms, md)
		fmt.Fprintf(out, "model %s: %s\n", md.Name, hex.EncodeToString(md.ID))
	}
	ctx := cmd.Context()
	reg := newRegistry()

	var members p2p.Membership = p2p.AllowAll{}
	mopts := []miner.Option{miner.WithLogger(log.Named("miner")), miner.WithMetrics(miner.NewMetrics(reg))}
	var msync *chain.MetagraphSync
	pcfg := p2p.FromConfig(cfg.P2P, cfg.Chain)
	if cfg.Chain.RPC != "" {
		c, err := a.minerChain(ctx, cfg.Chain.RPC, cfg.Chain.Registry, key)
		if err != nil {
			return fmt.Errorf("miner: chain: %w", err)
		}
		msync = chain.NewMetagraphSync(c, 12*time.Second, log.Named("metagraph"))
		mg, err := msync.Refresh(ctx)
		if err != nil {
			return fmt.Errorf("miner: read metagraph: %w", err)
		}
		// Sign for the subnet the chain says we are on.
		id, err := c.ChainID(ctx)
		if err != nil {
			return fmt.Errorf("miner: chain id: %w", err)
		}
		if cfg.Chain.ChainID != 0 && cfg.Chain.ChainID != id.Uint64() {
			return fmt.Errorf("miner: chain.chain_id is %d but %s serves chain %d", cfg.Chain.ChainID, cfg.Chain.RPC, id)
		}
		pcfg.ChainID, pcfg.NetUID = id.Uint64(), uint32(mg.Netuid)
		fmt.Fprintf(out, "subnet: chain %d, netuid %d\n", pcfg.ChainID, pcfg.NetUID)
		me := c.Address()
		n, ok := mg.Lookup(me)
		switch {
		case ok && n.Role != chain.RoleMiner:
			return fmt.Errorf("miner: %s is registered as %s, not miner", me.Hex(), n.Role)
		case !ok && !f.register:
			return fmt.Errorf("miner: %s is not registered on the subnet: rerun with --register (deposit %s coins)", me.Hex(), formatCoins(mg.Deposit))
		case !ok:
			fmt.Fprintf(out, "registering %s as a miner: deposit %s coins\n", me.Hex(), formatCoins(mg.Deposit))
			uid, rcpt, err := c.Register(ctx, chain.RoleMiner)
			if err != nil {
				return fmt.Errorf("miner: %w", err)
			}
			printGas(out, "registered", rcpt.GasUsed, rcpt.TxHash)
			fmt.Fprintf(out, "uid: %d\n", uid)
			if _, err := msync.Refresh(ctx); err != nil {
				return fmt.Errorf("miner: read metagraph: %w", err)
			}
		default:
			fmt.Fprintf(out, "registered: uid %d\n", n.UID)
		}
		cm := chainMembers{msync}
		members = cm
		mopts = append(mopts, miner.WithMembership(cm), miner.WithStake(cm.stake), miner.WithUID(func() (uint32, bool) {
			n, ok := msync.Lookup(me)
			return uint32(n.UID), ok
		}))
	} else {
		log.Warn("no chain configured (--rpc): accepting queries from every peer; development only")
	}

	node, err := p2p.New(key, pcfg, p2p.WithLogger(log.Named("p2p")), p2p.WithMembership(members), p2p.WithMetrics(p2p.NewMetrics(reg)))
	if err != nil {
		return fmt.Errorf("miner: p2p: %w", err)
	}
	defer func() { _ = node.Close() }()
	registerPeers(reg, node)
	mcfg := miner.Config{MaxConcurrency: f.maxConcurrency, Slots: f.slots, Threads: f.threads, QueueSize: f.queue, Grace: f.grace, AnnounceInterval: f.announce}
	mn, err := miner.New(mcfg, node, ms, mopts...)
	if err != nil {
		return err
	}
	for _, ad := range node.Host().Addrs() {
		fmt.Fprintf(out, "listening: %s/p2p/%s\n", ad, node.ID())
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	stopMetrics, err := serveMetrics(out, cfg.Metrics.Listen, mn.Handler(reg), log)
	if err != nil {
		return fmt.Errorf("miner: %w", err)
	}
	defer stopMetrics()
	if msync != nil {
		wg.Add(1)
		go func() { defer wg.Done(); _ = msync.Run(runCtx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); _ = node.Run(runCtx) }()
	err = mn.Run(runCtx)
	stop()
	return err
}

// minerModel loads one --model.
func (a *app) minerModel(name, tokenizer string, seed uint64) (miner.Model, func() error, error) {
	path, tok := a.resolveModel(name, tokenizer)
	l, err := loadModel(path, tok, models.DefaultShape(), seed)
	if err != nil {
		return miner.Model{}, nil, err
	}
	readable := modelName(name, seed)
	id, err := models.ParseID(l.id)
	if err != nil {
		_ = l.close()
		return miner.Model{}, nil, err
	}
	return miner.Model{Name: readable, ID: id, Weights: l.w, Tokenizer: l.tok}, l.close, nil
}

// minerChain dials the chain with the registry from the flag/config or the
// dev chain's addresses file.
func (a *app) minerChain(ctx context.Context, rpc, registry string, key *ecdsa.PrivateKey) (*chain.Client, error) {
	var addrs chain.Addresses
	if registry == "" {
		var err error
		if addrs, err = a.devAddresses("give --registry or run chain dev"); err != nil {
			return nil, err
		}
	} else {
		if !common.IsHexAddress(registry) {
			return nil, fmt.Errorf("not an address: %q", registry)
		}
		addrs.Registry = common.HexToAddress(registry)
	}
	return chain.Dial(ctx, rpc, addrs, chain.WithRetry(3, 250*time.Millisecond), chain.WithKey(key))
}

func (a *app) minerStatusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [--metrics ADDR]",
		Short: "Show a running miner's registration, uid, peers, models, load and recent errors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			addr := cfg.Metrics.Listen
			if addr == "" {
				return errors.New("miner status: no address: give --metrics ADDR (metrics.listen)")
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/status", nil)
			if err != nil {
				return fmt.Errorf("miner status: %w", err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("miner status: is a miner running with --metrics %s? %w", addr, err)
			}
			defer func() { _ = resp.Body.Close() }()
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err != nil || resp.StatusCode != http.StatusOK {
				return fmt.Errorf("miner status: %s: %s %v", addr, resp.Status, err)
			}
			var st miner.Status
			if err := json.Unmarshal(body, &st); err != nil {
				return fmt.Errorf("miner status: %s: not a miner status: %w", addr, err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				_, err := w.Write(body)
				return err
			}
			printMinerStatus(w, st)
			return nil
		},
	}
	cmd.Flags().String("metrics", "", "address of the running miner's metrics endpoint (metrics.listen)")
	bindFlag(cmd.Flags(), "metrics", "metrics.listen")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the raw JSON status")
	return cmd
}

func printMinerStatus(w io.Writer, st miner.Status) {
	reg := "no (or no chain configured)"
	if st.UID != nil {
		reg = fmt.Sprintf("yes, uid %d", *st.UID)
	}
	fmt.Fprintf(w, "address: %s\npeer id: %s\nversion: %s\nregistered: %s\npeers: %d\n", st.Address, st.PeerID, st.Version, reg, st.Peers)
	for _, m := range st.Models {
		fmt.Fprintf(w, "model: %s %s (context %d, queued %d)\n", m.Name, m.ID, m.ContextLength, m.Queued)
	}
	fmt.Fprintf(w, "load: %d/%d active sequences, %d queued\ntokens: %d\nuptime: %s\nstopping: %v\n",
		st.Active, st.MaxConcurrency*max(1, len(st.Models)), st.QueueDepth, st.TokensTotal,
		time.Duration(st.UptimeSeconds*float64(time.Second)).Round(time.Second), st.Stopping)
	fmt.Fprintf(w, "recent errors: %d\n", len(st.RecentErrors))
	for _, e := range st.RecentErrors {
		fmt.Fprintf(w, "  %s %s: %s\n", e.Time.Format(time.RFC3339), e.Kind, e.Error)
	}
}
