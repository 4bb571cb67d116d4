package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/internal/devnet"
	"github.com/ganglion-subnet/ganglion/internal/keyring"
	"github.com/ganglion-subnet/ganglion/models"
)

type devnetFlags struct {
	miners, validators int
	model, tokenizer   string
	mirror             string
	epochBlocks        uint64
	blockTime          time.Duration
	datadir, api       string
	chainPort          int
	grace              time.Duration
	readyTimeout       time.Duration
	nodeLogLevel       string
	autoClaim          bool
}

// The devnet's fixed choices.
const (
	devnetDefaultModel = "stories260K"
	devnetKeyName      = "devnet" // the gateway API key
	devnetPullTimeout  = 30 * time.Second
	// Miners announce often, so the API lists the model soon after start
	// (the default 30 s would make a newcomer wait for the second round).
	devnetAnnounce = 5 * time.Second
)

func (a *app) devnetCmd() *cobra.Command {
	var f devnetFlags
	cmd := &cobra.Command{
		Use:   "devnet [--miners 4] [--validators 3] [--model NAME|PATH] [--epoch-blocks 60] [--datadir D] [--api 127.0.0.1:8080]",
		Short: "Run a whole subnet on this machine: dev chain, validators, miners and the OpenAI API",
		Long: "Run a whole subnet on loopback. The dev chain runs in this process; every validator and miner runs as\n" +
			"a child process of this binary (`ganglion validator` / `ganglion miner` with --home DATADIR), logging\n" +
			"to DATADIR/logs/NAME.log, restarted with backoff if it exits. Keys are created once in DATADIR/keys\n" +
			"(password in DATADIR/password) and funded at genesis; validators register with unequal stakes, miners\n" +
			"register, and validator-0 serves the OpenAI-compatible API and the dashboard on --api. By default\n" +
			"the stories260K model is pulled (sha256-checked) into DATADIR/models; without network the built-in\n" +
			"random model is used. Ctrl-C stops the children (SIGTERM, then SIGKILL after --grace) and the chain.\n" +
			"Restarting with the same --datadir resumes: keys, model and API key are kept, the dev chain replays its\n" +
			"journal (DATADIR/devchain/journal.jsonl) to the block where it stopped, and the nodes keep their state.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runDevnet(cmd, &f) },
	}
	fs := cmd.Flags()
	fs.IntVar(&f.miners, "miners", 4, "miners to run")
	fs.IntVar(&f.validators, "validators", 3, "validators to run (validator-0 serves the API)")
	fs.StringVar(&f.model, "model", "", "model file, catalogue name or \"random\" (default: pull stories260K, else random)")
	fs.StringVar(&f.tokenizer, "tokenizer", "", "tokenizer file for a llama2.c --model PATH")
	fs.StringVar(&f.mirror, "mirror", "", "fetch catalogue models from this base URL instead of their hosts")
	fs.Uint64Var(&f.epochBlocks, "epoch-blocks", 60, "blocks per epoch (with --block-time 1s: an epoch a minute)")
	fs.DurationVar(&f.blockTime, "block-time", time.Second, "time between blocks of the dev chain")
	fs.StringVar(&f.datadir, "datadir", "", "keys, models, logs and node state (default HOME/devnet)")
	fs.StringVar(&f.api, "api", "127.0.0.1:8080", "address of the OpenAI-compatible API and dashboard (port 0 picks one)")
	fs.IntVar(&f.chainPort, "chain-port", 8545, "JSON-RPC port of the dev chain on 127.0.0.1 (0 picks one)")
	fs.DurationVar(&f.grace, "grace", 10*time.Second, "at shutdown, time a node gets between SIGTERM and SIGKILL")
	fs.DurationVar(&f.readyTimeout, "ready-timeout", 3*time.Minute, "how long to wait for the first answer before giving up")
	fs.StringVar(&f.nodeLogLevel, "node-log-level", "info", "log level of the nodes (their logs are in DATADIR/logs)")
	fs.BoolVar(&f.autoClaim, "auto-claim", false, "claim every final epoch's emission for each miner, sent (and paid for) by the miner's key")
	return cmd
}

// devnetNode is one child process's identity and ports.
type devnetNode struct {
	name        string
	role        chain.Role
	info        keyring.Info
	key         *ecdsa.PrivateKey
	p2pPort     int
	metricsPort int
	stake       *big.Int
	uid         uint16
}

func (n *devnetNode) multiaddr() string {
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", n.p2pPort, n.info.PeerID)
}

func (n *devnetNode) metrics() string { return fmt.Sprintf("127.0.0.1:%d", n.metricsPort) }

func (f *devnetFlags) validate() error {
	switch {
	case f.miners < 1 || f.miners > 64:
		return fmt.Errorf("devnet: --miners %d: want 1..64", f.miners)
	case f.validators < 1 || f.validators > 16:
		return fmt.Errorf("devnet: --validators %d: want 1..16", f.validators)
	case f.epochBlocks < 10:
		return fmt.Errorf("devnet: --epoch-blocks %d: want at least 10", f.epochBlocks)
	case f.blockTime < 10*time.Millisecond:
		return fmt.Errorf("devnet: --block-time %v: want at least 10ms", f.blockTime)
	case f.grace <= 0:
		return fmt.Errorf("devnet: --grace %v must be positive", f.grace)
	}
	switch f.nodeLogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("devnet: --node-log-level %q: want debug, info, warn or error", f.nodeLogLevel)
	}
	return nil
}

func (a *app) runDevnet(cmd *cobra.Command, f *devnetFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	started := time.Now()
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return err
	}
	log, err := a.logger(cfg)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	out := cmd.OutOrStdout()
	ctx := cmd.Context()

	dir, err := a.devnetDir(f.datadir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("devnet: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("devnet: own executable: %w", err)
	}
	// The default ports give way to free ones when taken (a newcomer's
	// first command should just work); ports asked for explicitly do not.
	apiAddr, err := resolveListen(f.api)
	if err != nil && !cmd.Flags().Changed("api") {
		if apiAddr, err = resolveListen("127.0.0.1:0"); err == nil {
			fmt.Fprintf(out, "notice: %s is taken; the API listens on %s instead\n", f.api, apiAddr)
		}
	}
	if err != nil {
		return fmt.Errorf("devnet: --api %s: %w", f.api, err)
	}
	if f.chainPort > 0 && !cmd.Flags().Changed("chain-port") {
		if _, err := resolveListen(fmt.Sprintf("127.0.0.1:%d", f.chainPort)); err != nil {
			fmt.Fprintf(out, "notice: port %d is taken; the dev chain listens on a free port instead\n", f.chainPort)
			f.chainPort = 0
		}
	}
	unlock, err := devnet.Lock(filepath.Join(dir, "devnet.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	journal := filepath.Join(dir, "devchain", "journal.jsonl")
	archived, err := archiveRun(dir, journal)
	if err != nil {
		return err
	}
	switch {
	case archived:
		fmt.Fprintf(out, "resuming %s: same keys, model and API key; its chain has no journal, so a new chain starts and the previous run's node state moved to %s\n",
			dir, filepath.Join(dir, "previous-run"))
	case fileExists(journal):
		fmt.Fprintf(out, "resuming %s: same keys, model and API key; the dev chain replays its journal to where it stopped\n", dir)
	}
	pwFile := filepath.Join(dir, "password")
	pw, err := devnetPassword(pwFile)
	if err != nil {
		return err
	}
	nodes, err := devnetKeys(filepath.Join(dir, "keys"), pw, f.validators, f.miners)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if n.p2pPort, err = freeLoopbackPort(); err != nil {
			return err
		}
		if n.metricsPort, err = freeLoopbackPort(); err != nil {
			return err
		}
	}
	modelPath, tokPath, err := a.devnetModel(ctx, dir, f, out)
	if err != nil {
		if ctx.Err() != nil {
			return nil // Ctrl-C during the download
		}
		return err
	}
	apiKey, err := devnetAPIKey(dir)
	if err != nil {
		return err
	}

	// The chain is the root of everything: it runs in this process and
	// stops last.
	ccfg := devchain.DefaultConfig()
	ccfg.Port, ccfg.BlockTime = f.chainPort, f.blockTime
	ccfg.Params.EpochLength = f.epochBlocks
	ccfg.AddressesFile = filepath.Join(dir, "devchain", "addresses.json")
	ccfg.Journal = journal
	if ccfg.Owner, err = devnetOwner(filepath.Join(dir, "keys"), pw); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(journal), 0o700); err != nil {
		return fmt.Errorf("devnet: %w", err)
	}
	for _, n := range nodes {
		ccfg.Fund = append(ccfg.Fund, n.info.Address)
	}
	dev, err := devchain.New(ccfg, devchain.WithLogger(log))
	if err != nil {
		return err
	}
	chainCtx, stopChain := context.WithCancel(context.Background())
	defer stopChain()
	chainExited := make(chan struct{})
	var chainErr error
	go func() {
		defer close(chainExited)
		if chainErr = dev.Run(chainCtx); chainErr == nil && chainCtx.Err() == nil {
			chainErr = errors.New("the dev chain stopped")
		}
	}()
	stopTheChain := func() error {
		stopChain()
		<-chainExited
		return chainErr
	}
	select {
	case <-chainExited:
		return fmt.Errorf("devnet: %w", chainErr)
	case <-ctx.Done():
		return stopTheChain()
	case <-dev.Ready():
	}
	info := dev.Info()
	if err := devnetRegister(ctx, info, nodes, f.blockTime); err != nil {
		cerr := stopTheChain()
		if ctx.Err() != nil {
			return cerr // Ctrl-C during registration
		}
		return err
	}

	procs := devnetProcs(exe, dir, pwFile, modelPath, tokPath, apiAddr, info, nodes, f)
	sup, err := devnet.New(procs, devnet.WithLogger(log.Named("devnet")), devnet.WithGrace(f.grace))
	if err != nil {
		_ = stopTheChain()
		return err
	}
	supCtx, stopNodes := context.WithCancel(context.Background())
	defer stopNodes()
	supDone := make(chan error, 1)
	go func() { supDone <- sup.Run(supCtx) }()
	// shutdown stops the nodes first (SIGTERM, SIGKILL after the grace
	// period), then the chain they depend on.
	shutdown := func() error {
		fmt.Fprintln(out, "stopping the nodes…")
		stopNodes()
		err := <-supDone
		if cerr := stopTheChain(); err == nil {
			err = cerr
		}
		fmt.Fprintln(out, "devnet stopped")
		return err
	}

	apiURL := "http://" + apiAddr
	fmt.Fprintf(out, "chain %s up, %d nodes starting (logs in %s); waiting for the first answer through %s…\n",
		info.RPC, len(nodes), filepath.Join(dir, "logs"), apiURL)
	rctx, rcancel := context.WithTimeout(ctx, f.readyTimeout)
	go func() { // a chain that dies makes waiting pointless
		select {
		case <-chainExited:
			rcancel()
		case <-rctx.Done():
		}
	}()
	modelName, err := waitFirstAnswer(rctx, apiURL, apiKey)
	rcancel()
	if err != nil {
		serr := shutdown()
		switch {
		case ctx.Err() != nil:
			return serr
		case serr != nil:
			return fmt.Errorf("devnet: %w", serr)
		}
		return fmt.Errorf("devnet: no answer through %s within %v (logs in %s): %w", apiURL, f.readyTimeout, filepath.Join(dir, "logs"), err)
	}
	printDevnetBanner(out, devnetBanner{dir: dir, apiURL: apiURL, apiKey: apiKey, model: modelName, info: info, nodes: nodes,
		blockTime: f.blockTime, epochBlocks: f.epochBlocks, took: time.Since(started), pwFile: pwFile})

	// Report epochs as they finalise until Ctrl-C (or the chain dies).
	wctx, wcancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		watchEpochs(wctx, info, apiURL, nodes, f.blockTime, f.autoClaim, started, out, log)
	}()
	select {
	case <-ctx.Done():
	case <-chainExited:
		log.Error("the dev chain stopped; stopping the devnet", zap.Error(chainErr))
	}
	wcancel()
	wg.Wait()
	err = shutdown()
	if ctx.Err() == nil && err == nil {
		err = errors.New("devnet: the dev chain stopped")
	}
	return err
}

func (a *app) devnetDir(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	h, err := a.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, "devnet"), nil
}

// resolveListen checks that addr is free now; port 0 becomes a free port.
func resolveListen(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("%w (is another devnet running? pick another address with --api)", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("devnet: pick a port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// archiveRun moves a previous run's node state (validator stores and relayer
// outboxes) to DATADIR/previous-run when its chain cannot be resumed (no
// journal: a data directory from before the journal): that state belongs to
// a chain that is gone.
func archiveRun(dir, journal string) (bool, error) {
	run := filepath.Join(dir, "run")
	if _, err := os.Stat(run); errors.Is(err, os.ErrNotExist) || fileExists(journal) {
		return false, nil
	}
	prev := filepath.Join(dir, "previous-run")
	if err := os.RemoveAll(prev); err != nil {
		return false, fmt.Errorf("devnet: %w", err)
	}
	if err := os.Rename(run, prev); err != nil {
		return false, fmt.Errorf("devnet: %w", err)
	}
	return true, nil
}

// devnetOwner is the dev chain's owner key ("chain-owner" in the devnet's
// keyring): the same key every run, so the chain's journal replays.
func devnetOwner(dir, pw string) (*ecdsa.PrivateKey, error) {
	kr, err := keyring.Open(dir, keyring.WithLightKDF())
	if err != nil {
		return nil, fmt.Errorf("devnet: keyring: %w", err)
	}
	const name = "chain-owner"
	if _, err := kr.Show(name); errors.Is(err, keyring.ErrNotFound) {
		if _, err := kr.New(name, pw); err != nil {
			return nil, fmt.Errorf("devnet: key %s: %w", name, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("devnet: key %s: %w", name, err)
	}
	k, err := kr.Unlock(name, pw)
	if err != nil {
		return nil, fmt.Errorf("devnet: key %s: %w", name, err)
	}
	return k, nil
}

// devnetPassword reads the keys' password file or creates it (mode 0600).
func devnetPassword(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		pw, _, _ := strings.Cut(string(b), "\n")
		if pw = strings.TrimSpace(pw); pw == "" {
			return "", fmt.Errorf("devnet: %s is empty", path)
		}
		return pw, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("devnet: %w", err)
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	pw := hex.EncodeToString(b[:])
	if err := atomicfile.WriteNew(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("devnet: write %s: %w", path, err)
	}
	return pw, nil
}

// devnetKeys opens or creates validator-0.. and miner-0.. in the keyring
// and unlocks them.
func devnetKeys(dir, pw string, validators, miners int) ([]*devnetNode, error) {
	kr, err := keyring.Open(dir, keyring.WithLightKDF())
	if err != nil {
		return nil, fmt.Errorf("devnet: keyring: %w", err)
	}
	var nodes []*devnetNode
	add := func(name string, role chain.Role) error {
		in, err := kr.Show(name)
		if errors.Is(err, keyring.ErrNotFound) {
			in, err = kr.New(name, pw)
		}
		if err != nil {
			return fmt.Errorf("devnet: key %s: %w", name, err)
		}
		k, err := kr.Unlock(name, pw)
		if err != nil {
			return fmt.Errorf("devnet: key %s: %w", name, err)
		}
		nodes = append(nodes, &devnetNode{name: name, role: role, info: in, key: k})
		return nil
	}
	for i := range validators {
		if err := add(fmt.Sprintf("validator-%d", i), chain.RoleValidator); err != nil {
			return nil, err
		}
	}
	for i := range miners {
		if err := add(fmt.Sprintf("miner-%d", i), chain.RoleMiner); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// devnetAPIKey returns the gateway API key of the devnet, creating it in
// DATADIR/gateway/keys.json (where validator-0's API looks, its home being
// DATADIR) and keeping the secret in DATADIR/api-key (mode 0600).
func devnetAPIKey(dir string) (string, error) {
	keysPath := filepath.Join(dir, "gateway", "keys.json")
	secretPath := filepath.Join(dir, "api-key")
	if err := os.MkdirAll(filepath.Dir(keysPath), 0o700); err != nil {
		return "", fmt.Errorf("devnet: %w", err)
	}
	ks, err := gateway.OpenKeys(keysPath)
	if err != nil {
		return "", fmt.Errorf("devnet: %w", err)
	}
	if b, err := os.ReadFile(secretPath); err == nil {
		s := strings.TrimSpace(string(b))
		if in, ok := ks.Lookup(s); ok && !in.Revoked {
			return s, nil
		}
	}
	for _, in := range ks.List() {
		if in.Name == devnetKeyName && !in.Revoked {
			if err := ks.Revoke(devnetKeyName); err != nil {
				return "", fmt.Errorf("devnet: %w", err)
			}
		}
	}
	s, err := ks.Create(devnetKeyName, 600)
	if err != nil {
		return "", fmt.Errorf("devnet: API key: %w", err)
	}
	if err := atomicfile.WriteFile(secretPath, []byte(s+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("devnet: %w", err)
	}
	return s, nil
}

// devnetModel returns the model path (or "random") and tokenizer the nodes
// load. The default pulls stories260K into DATADIR/models and falls back to
// the random model when that fails.
func (a *app) devnetModel(ctx context.Context, dir string, f *devnetFlags, out io.Writer) (string, string, error) {
	name := f.model
	mdir := filepath.Join(dir, "models")
	random := func() (string, string, error) {
		if f.tokenizer != "" {
			tok, err := filepath.Abs(f.tokenizer)
			return "random", tok, err
		}
		tok, err := writeRandomTokenizer(mdir)
		return "random", tok, err
	}
	if name == "random" {
		return random()
	}
	if name != "" && fileExists(name) {
		p, err := filepath.Abs(name)
		if err != nil {
			return "", "", err
		}
		tok := f.tokenizer
		if tok != "" {
			if tok, err = filepath.Abs(tok); err != nil {
				return "", "", err
			}
		}
		return p, tok, nil
	}
	explicit := name != ""
	if !explicit {
		name = devnetDefaultModel
	}
	e, ok := models.LookupCatalogue(name)
	if !ok || e.Kind != "model" {
		return "", "", fmt.Errorf("devnet: --model %q is neither a file nor a catalogue model (see `ganglion models pull --list`)", name)
	}
	pctx, cancel := context.WithTimeout(ctx, devnetPullTimeout)
	defer cancel()
	var opts []models.PullOption
	if f.mirror != "" {
		opts = append(opts, models.WithMirror(f.mirror))
	}
	res, err := models.Pull(pctx, name, mdir, opts...)
	tok := f.tokenizer
	if err == nil && e.Tokenizer != "" && tok == "" {
		var tr models.PullResult
		if tr, err = models.Pull(pctx, e.Tokenizer, mdir, opts...); err == nil {
			tok = tr.Path
		}
	}
	if err != nil {
		if explicit || ctx.Err() != nil {
			return "", "", fmt.Errorf("devnet: pull %s: %w", name, err)
		}
		fmt.Fprintf(out, "notice: could not download %s (%v); using the built-in random model instead\n", name, oneLine(err))
		return random()
	}
	state := "downloaded"
	if res.Cached {
		state = "already present"
	}
	fmt.Fprintf(out, "model %s: %s, sha256 %s\n", name, state, res.SHA256)
	return res.Path, tok, nil
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// devnetProbeTimeout scales the validators' probe timeout to the epoch:
// probes run one at a time, so a probe lost early (before the gossip mesh
// formed) must not stall the schedule for several short epochs.
func devnetProbeTimeout(f *devnetFlags) time.Duration {
	epoch := time.Duration(f.epochBlocks) * f.blockTime
	return min(30*time.Second, max(3*time.Second, epoch/4))
}

// devnetStake is validator i's stake: 10·(V−i) coins, so no two are equal
// and no single validator but a lone one holds more than 2/3.
func devnetStake(i, validators int) *big.Int {
	coin := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	return new(big.Int).Mul(coin, big.NewInt(int64(10*(validators-i))))
}

// devnetRegister registers every node (validators with their stake) on the
// fresh chain, all at once.
func devnetRegister(ctx context.Context, info devchain.Info, nodes []*devnetNode, blockTime time.Duration) error {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute+60*blockTime)
	defer cancel()
	errs := make(chan error, len(nodes))
	vi := 0
	for _, n := range nodes {
		if n.role == chain.RoleValidator {
			n.stake = devnetStake(vi, countRole(nodes, chain.RoleValidator))
			vi++
		}
		go func() {
			errs <- func() error {
				c, err := chain.Dial(rctx, info.RPC, info.Addresses(), chain.WithKey(n.key),
					chain.WithReceiptPoll(max(blockTime/4, 5*time.Millisecond)), chain.WithRetry(5, 250*time.Millisecond))
				if err != nil {
					return err
				}
				mg, err := c.Metagraph(rctx)
				if err != nil {
					return err
				}
				if nn, ok := mg.Lookup(c.Address()); ok && nn.Role == n.role { // a resumed chain
					n.uid = nn.UID
					return nil
				}
				uid, _, err := c.Register(rctx, n.role)
				if err != nil {
					return err
				}
				n.uid = uid
				if n.stake != nil {
					if _, err := c.Stake(rctx, n.stake); err != nil {
						return err
					}
				}
				return nil
			}()
		}()
	}
	var all []error
	for range nodes {
		if err := <-errs; err != nil {
			all = append(all, err)
		}
	}
	if err := errors.Join(all...); err != nil {
		return fmt.Errorf("devnet: register: %w", err)
	}
	return nil
}

func countRole(nodes []*devnetNode, r chain.Role) int {
	n := 0
	for _, x := range nodes {
		if x.role == r {
			n++
		}
	}
	return n
}

// devnetProcs builds the command line of every node.
func devnetProcs(exe, dir, pwFile, model, tok, apiAddr string, info devchain.Info, nodes []*devnetNode, f *devnetFlags) []devnet.Proc {
	var procs []devnet.Proc
	for _, n := range nodes {
		var boot []string
		for _, o := range nodes {
			if o != n {
				boot = append(boot, o.multiaddr())
			}
		}
		listen := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.p2pPort)
		args := []string{"--home", dir, "--log-level", f.nodeLogLevel}
		switch n.role {
		case chain.RoleValidator:
			args = append(args, "validator", "--key", n.name, "--password-file", pwFile, "--model", model,
				"--rpc", info.RPC, "--registry", info.Registry.Hex(), "--ledger", info.Ledger.Hex(),
				"--data", filepath.Join(dir, "run", n.name), "--listen", listen, "--bootstrap", strings.Join(boot, ","),
				"--metrics", n.metrics(), "--block-time", f.blockTime.String(), "--probe-timeout", devnetProbeTimeout(f).String())
			if n.name == "validator-0" {
				args = append(args, "--api", apiAddr)
			}
		default:
			args = append(args, "miner", "--key", n.name, "--password-file", pwFile, "--model", model,
				"--rpc", info.RPC, "--registry", info.Registry.Hex(), "--listen", listen, "--bootstrap", strings.Join(boot, ","),
				"--metrics", n.metrics(), "--grace", "2s", "--announce-interval", devnetAnnounce.String())
		}
		if tok != "" {
			args = append(args, "--tokenizer", tok)
		}
		procs = append(procs, devnet.Proc{Name: n.name, Path: exe, Args: args, LogPath: filepath.Join(dir, "logs", n.name+".log")})
	}
	return procs
}

// waitFirstAnswer polls the API until a model is listed and a chat
// completion answers; it returns the model's name.
func waitFirstAnswer(ctx context.Context, apiURL, apiKey string) (string, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	do := func(method, path string, body string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, method, apiURL+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+apiKey)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return resp.StatusCode, b, err
	}
	var last error
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if last == nil {
				last = ctx.Err()
			}
			return "", last
		case <-tick.C:
		}
		code, b, err := do(http.MethodGet, "/v1/models", "")
		if err != nil {
			if ctx.Err() == nil {
				last = err
			}
			continue
		}
		var list struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if code != http.StatusOK || json.Unmarshal(b, &list) != nil || len(list.Data) == 0 {
			last = fmt.Errorf("GET /v1/models: %d %s", code, strings.TrimSpace(string(b)))
			continue
		}
		model := list.Data[0].ID
		req, _ := json.Marshal(map[string]any{"model": model, "max_tokens": 8,
			"messages": []map[string]string{{"role": "user", "content": "Hello"}}})
		code, b, err = do(http.MethodPost, "/v1/chat/completions", string(req))
		if err != nil {
			if ctx.Err() == nil {
				last = err
			}
			continue
		}
		if code != http.StatusOK {
			last = fmt.Errorf("POST /v1/chat/completions: %d %s", code, strings.TrimSpace(string(b)))
			continue
		}
		return model, nil
	}
}

type devnetBanner struct {
	dir, apiURL, apiKey, model, pwFile string
	info                               devchain.Info
	nodes                              []*devnetNode
	blockTime                          time.Duration
	epochBlocks                        uint64
	took                               time.Duration
}

func printDevnetBanner(w io.Writer, b devnetBanner) {
	nv := countRole(b.nodes, chain.RoleValidator)
	fmt.Fprintf(w, "\nGanglion devnet is up: %s, %s, model %s (first answer after %s)\n\n",
		plural(nv, "validator"), plural(len(b.nodes)-nv, "miner"), b.model, b.took.Round(100*time.Millisecond))
	fmt.Fprintf(w, "  API (OpenAI-compatible)  %s/v1\n", b.apiURL)
	fmt.Fprintf(w, "  dashboard                %s/#key=%s\n", b.apiURL, b.apiKey)
	fmt.Fprintf(w, "  API key                  %s  (also in %s)\n\n", b.apiKey, filepath.Join(b.dir, "api-key"))
	fmt.Fprintf(w, "  curl -s %s/v1/chat/completions -H 'Authorization: Bearer %s' \\\n", b.apiURL, b.apiKey)
	fmt.Fprintf(w, "    -H 'Content-Type: application/json' \\\n")
	fmt.Fprintf(w, "    -d '{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}],\"max_tokens\":64}'\n\n", b.model)
	fmt.Fprintf(w, "  chain      %s (chain id %d, netuid %d): a block every %s, an epoch every %d blocks (%s)\n",
		b.info.RPC, b.info.ChainID, b.info.Netuid, b.blockTime, b.epochBlocks, (time.Duration(b.epochBlocks) * b.blockTime).Round(time.Second))
	fmt.Fprintf(w, "  data       %s (keys in keys/, password in password, node state in run/)\n", b.dir)
	fmt.Fprintf(w, "  logs       %s\n\n", filepath.Join(b.dir, "logs", "NAME.log"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tUID\tADDRESS\tSTAKE\tP2P\tMETRICS")
	for _, n := range b.nodes {
		stake := "-"
		if n.stake != nil {
			stake = formatCoins(n.stake)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\thttp://%s/metrics\n", n.name, n.uid, n.info.Address.Hex(), stake, n.multiaddr(), n.metrics())
	}
	_ = tw.Flush()
	var m *devnetNode
	for _, n := range b.nodes {
		if n.role == chain.RoleMiner {
			m = n
			break
		}
	}
	fmt.Fprintf(w, "\n  epochs     curl -s %s/v1/epochs -H 'Authorization: Bearer %s'\n", b.apiURL, b.apiKey)
	if m != nil {
		fmt.Fprintf(w, "  claim      ganglion --home %s chain claim --from %s --epoch E --uid %d --key %s --password-file %s --rpc %s\n",
			b.dir, b.apiURL, m.uid, m.name, b.pwFile, b.info.RPC)
	}
	fmt.Fprintf(w, "  metagraph  ganglion --home %s chain metagraph --rpc %s\n\n", b.dir, b.info.RPC)
	fmt.Fprintln(w, "Ctrl-C stops everything; run the same command again to resume (same keys, the chain replays its journal).")
}

// watchEpochs prints each epoch as it is finalised on chain, with what the
// miners earned in it (from validator-0's stored output).
func watchEpochs(ctx context.Context, info devchain.Info, apiURL string, nodes []*devnetNode, blockTime time.Duration, autoClaim bool, started time.Time, out io.Writer, log *zap.Logger) {
	c, err := chain.Dial(ctx, info.RPC, info.Addresses())
	if err != nil {
		log.Warn("epoch watcher", zap.Error(err))
		return
	}
	seen := uint64(0)
	if st, err := c.EpochStatus(ctx, 1); err == nil && st.LatestEpoch > 0 { // a resumed chain: report only new epochs
		seen = st.LatestEpoch
		fmt.Fprintf(out, "the chain resumed with epochs 1–%d final\n", seen)
	}
	t := time.NewTicker(max(blockTime, 100*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st, err := c.EpochStatus(ctx, seen+1)
		if err != nil || st.LatestEpoch <= seen {
			continue
		}
		for e := seen + 1; e <= st.LatestEpoch; e++ {
			es, err := c.EpochStatus(ctx, e)
			if err != nil {
				break
			}
			seen = e
			if es.Finalized {
				fmt.Fprintf(out, "epoch %d final on chain after %s: %s coins%s\n", e,
					time.Since(started).Round(time.Second), formatCoins(es.TotalEmission), minerShares(ctx, apiURL, e, es.EmissionsRoot, nodes))
				if autoClaim {
					claimForMiners(ctx, info, apiURL, e, es.EmissionsRoot, nodes, out, log)
				}
			}
		}
	}
}

// minerShares describes what the miners earned in epoch, from the API's
// stored output when its root matches the chain's ("" otherwise).
func minerShares(ctx context.Context, apiURL string, epoch uint64, root common.Hash, nodes []*devnetNode) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/epochs/%d", apiURL, epoch), nil)
	if err != nil {
		return ""
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer func() { _ = resp.Body.Close() }()
	var o struct {
		Root      common.Hash `json:"root"`
		Emissions []string    `json:"emissions"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&o) != nil || o.Root != root {
		return ""
	}
	var parts []string
	total := new(big.Int)
	for _, n := range nodes {
		if n.role != chain.RoleMiner || int(n.uid) >= len(o.Emissions) {
			continue
		}
		v, ok := new(big.Int).SetString(o.Emissions[n.uid], 10)
		if !ok || v.Sign() == 0 {
			continue
		}
		total.Add(total, v)
		parts = append(parts, fmt.Sprintf("%s (uid %d) %s", n.name, n.uid, formatCoins(v)))
	}
	if len(parts) == 0 {
		return ", all to the validators (miners earn once their scores are committed and revealed)"
	}
	return fmt.Sprintf(", %s to miners: %s", formatCoins(total), strings.Join(parts, ", "))
}

// claimForMiners claims epoch for every miner that earned in it, each
// transaction sent and paid for by the miner's own key, after checking the
// claim from the API against the root on chain.
func claimForMiners(ctx context.Context, info devchain.Info, apiURL string, epoch uint64, root common.Hash, nodes []*devnetNode, out io.Writer, log *zap.Logger) {
	for _, n := range nodes {
		if n.role != chain.RoleMiner {
			continue
		}
		cl, err := fetchClaim(ctx, apiURL, "", epoch, n.uid, 10*time.Second)
		if errors.Is(err, errNoClaim) {
			continue // earned nothing
		}
		if err != nil {
			log.Warn("auto-claim: fetch", zap.String("miner", n.name), zap.Uint64("epoch", epoch), zap.Error(err))
			continue
		}
		amount, ok := new(big.Int).SetString(cl.Amount, 10)
		if !ok || common.HexToAddress(cl.Account) != n.info.Address {
			log.Warn("auto-claim: the API's claim is not this miner's", zap.String("miner", n.name), zap.Uint64("epoch", epoch))
			continue
		}
		e := chain.Emission{UID: n.uid, Account: n.info.Address, Amount: amount}
		if !chain.VerifyProof(root, chain.Leaf(epoch, e), cl.Proof) {
			log.Warn("auto-claim: proof does not lead to the root on chain", zap.String("miner", n.name), zap.Uint64("epoch", epoch))
			continue
		}
		c, err := chain.Dial(ctx, info.RPC, info.Addresses(), chain.WithKey(n.key), chain.WithRetry(3, 250*time.Millisecond))
		if err != nil {
			log.Warn("auto-claim", zap.Error(err))
			return
		}
		rcpt, err := c.Claim(ctx, epoch, e, cl.Proof)
		if chain.IsContractError(err, "AlreadyClaimed") {
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("auto-claim", zap.String("miner", n.name), zap.Uint64("epoch", epoch), zap.Error(err))
			}
			continue
		}
		fee := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
		fmt.Fprintf(out, "  %s claimed %s coins of epoch %d (gas %d, fee %s coins)\n", n.name, formatCoins(amount), epoch, rcpt.GasUsed, formatCoins(fee))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
