package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/internal/config"
	"github.com/ganglion-subnet/ganglion/internal/subtensor"
)

const defaultRPC = "http://127.0.0.1:8545"

func (a *app) chainCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "chain",
		Short: "Run a dev chain and use the subnet's contracts (registry, emissions ledger) or Subtensor",
	}
	cmd.AddCommand(a.chainDevCmd(), a.chainRegisterCmd(),
		a.chainAmountCmd("stake", "Add coins to the key's validator stake", "staked", (*chain.Client).Stake),
		a.chainAmountCmd("unstake", "Take coins back from the key's validator stake", "unstaked", (*chain.Client).Unstake),
		a.chainAmountCmd("fund", "Pay coins into the emission pool", "funded", (*chain.Client).Fund),
		a.chainMetagraphCmd(), a.chainClaimCmd(), a.chainReportStatusCmd(), a.subtensorCmd(), a.chainDeployCmd())
	return cmd
}

// devAddressesPath is where chain dev writes its addresses.
func (a *app) devAddressesPath() (string, error) {
	h, err := a.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, "devchain", "addresses.json"), nil
}

// unlockKey opens key name from the keyring with a password.
func (a *app) unlockKey(name, pwFile string) (*ecdsa.PrivateKey, error) {
	kr, err := a.keyring(false)
	if err != nil {
		return nil, err
	}
	if _, err := kr.Show(name); err != nil {
		return nil, err
	}
	pw, err := a.password(pwFile, "Password for key "+name, false)
	if err != nil {
		return nil, err
	}
	return kr.Unlock(name, pw)
}

// parseCoins reads a decimal amount of coins (18 decimals) into wei.
func parseCoins(s string) (*big.Int, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || strings.HasPrefix(s, "-") || len(frac) > 18 {
		return nil, fmt.Errorf("amount %q: want a non-negative decimal with at most 18 decimals", s)
	}
	digits := whole + frac + strings.Repeat("0", 18-len(frac))
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, fmt.Errorf("amount %q: not a decimal number", s)
	}
	return v, nil
}

// formatCoins prints wei as coins.
func formatCoins(wei *big.Int) string {
	if wei == nil {
		return "0"
	}
	q, r := new(big.Int).QuoRem(wei, big.NewInt(1e18), new(big.Int))
	if r.Sign() == 0 {
		return q.String()
	}
	return strings.TrimRight(fmt.Sprintf("%s.%018s", q, r), "0")
}

// ---- chain dev ----

func (a *app) chainDevCmd() *cobra.Command {
	cfg := devchain.DefaultConfig()
	var fund []string
	var owner, pwFile, pool, metricsAddr string
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run a development chain (Prague rules) with the subnet's contracts deployed",
		Long: "Run go-ethereum's simulated chain in this process with Prague-era rules, serving JSON-RPC on\n" +
			"--host:--port (default 127.0.0.1:8545) and committing a block every --block-time. Accounts of the\n" +
			"named keys are funded at genesis; the SubnetRegistry and EmissionsLedger are deployed and their\n" +
			"addresses printed and written to HOME/devchain/addresses.json, where the other chain commands\n" +
			"find them. --metrics ADDR serves /metrics and /healthz (ok once the contracts are deployed).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lc, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			log, err := a.logger(lc)
			if err != nil {
				return err
			}
			defer func() { _ = log.Sync() }()
			kr, err := a.keyring(false)
			if err != nil {
				return err
			}
			for _, name := range fund {
				in, err := kr.Show(name)
				if err != nil {
					return fmt.Errorf("chain dev: fund %q: %w", name, err)
				}
				cfg.Fund = append(cfg.Fund, in.Address)
			}
			if owner != "" {
				if cfg.Owner, err = a.unlockKey(owner, pwFile); err != nil {
					return fmt.Errorf("chain dev: owner: %w", err)
				}
			}
			if cfg.Pool, err = parseCoins(pool); err != nil {
				return fmt.Errorf("chain dev: --pool: %w", err)
			}
			if cfg.AddressesFile, err = a.devAddressesPath(); err != nil {
				return err
			}
			dev, err := devchain.New(cfg, devchain.WithLogger(log))
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			stopMetrics, err := serveMetrics(cmd.OutOrStdout(), metricsAddr, devChainMetrics(dev), log)
			if err != nil {
				return fmt.Errorf("chain dev: %w", err)
			}
			defer stopMetrics()
			done := make(chan error, 1)
			go func() { done <- dev.Run(ctx) }()
			select {
			case err := <-done:
				return err
			case <-dev.Ready():
			}
			info := dev.Info()
			w := cmd.OutOrStdout()
			tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
			fmt.Fprintf(tw, "rpc:\t%s\n", info.RPC)
			fmt.Fprintf(tw, "chain id:\t%d\n", info.ChainID)
			fmt.Fprintf(tw, "netuid:\t%d\n", info.Netuid)
			fmt.Fprintf(tw, "registry:\t%s\n", info.Registry.Hex())
			fmt.Fprintf(tw, "ledger:\t%s\n", info.Ledger.Hex())
			fmt.Fprintf(tw, "owner:\t%s\n", info.Owner.Hex())
			for i, addr := range info.Funded {
				fmt.Fprintf(tw, "funded:\t%s (%s)\n", addr.Hex(), fund[i])
			}
			fmt.Fprintf(tw, "addresses:\t%s\n", cfg.AddressesFile)
			if err := tw.Flush(); err != nil {
				return err
			}
			return <-done
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Port, "port", cfg.Port, "JSON-RPC port (0 picks a free port)")
	f.StringVar(&cfg.Host, "host", "127.0.0.1", "JSON-RPC interface (0.0.0.0 opens the chain to other hosts and containers)")
	f.StringVar(&metricsAddr, "metrics", "", "serve /metrics and /healthz here (default: off)")
	f.DurationVar(&cfg.BlockTime, "block-time", cfg.BlockTime, "time between blocks")
	f.Int64Var(&cfg.ChainID, "chain-id", cfg.ChainID, "chain id")
	f.Uint16Var(&cfg.Netuid, "netuid", cfg.Netuid, "netuid of the deployed subnet")
	f.Uint64Var(&cfg.Params.EpochLength, "epoch-length", cfg.Params.EpochLength, "subnet epoch length in blocks")
	f.Uint16Var(&cfg.Params.MaxUIDs, "max-uids", cfg.Params.MaxUIDs, "subnet uid slots")
	f.Uint16Var(&cfg.Params.MaxValidators, "max-validators", cfg.Params.MaxValidators, "validator permits (top-k by stake)")
	f.Uint64Var(&cfg.Params.ImmunityPeriod, "immunity", cfg.Params.ImmunityPeriod, "blocks a new uid cannot be replaced")
	f.StringSliceVar(&fund, "fund", nil, "names of keys to fund at genesis (comma-separated)")
	f.StringVar(&owner, "owner", "", "key that deploys and owns the contracts (default: a throwaway key)")
	f.StringVar(&pwFile, "password-file", "", "password of --owner (first line)")
	f.StringVar(&pool, "pool", "1000", "coins paid into the emission pool at start")
	f.StringVar(&cfg.Journal, "journal", "", "record the chain's blocks here and replay them at the next start, so the chain\n"+
		"survives a restart (needs the same --owner, --fund and --chain-id every time)")
	return cmd
}

// ---- contract commands ----

// clientFlags are the flags every contract command shares.
type clientFlags struct {
	rpc, registry, ledger, key, pwFile string
	timeout                            time.Duration
}

func (f *clientFlags) register(cmd *cobra.Command, needKey bool) {
	fs := cmd.Flags()
	fs.StringVar(&f.rpc, "rpc", defaultRPC, "JSON-RPC endpoint")
	fs.StringVar(&f.registry, "registry", "", "SubnetRegistry address (default: from HOME/devchain/addresses.json)")
	fs.StringVar(&f.ledger, "ledger", "", "EmissionsLedger address (default: from HOME/devchain/addresses.json)")
	fs.DurationVar(&f.timeout, "timeout", 2*time.Minute, "give up after this long")
	if needKey {
		fs.StringVar(&f.key, "key", "", "name of the key that signs")
		fs.StringVar(&f.pwFile, "password-file", "", "read the key's password from the first line of this file")
		_ = cmd.MarkFlagRequired("key")
	}
}

// useConfig fills the flags the command line left unset from the [chain]
// section of the configuration (file or GANGLION_CHAIN_* environment).
func (f *clientFlags) useConfig(cmd *cobra.Command, c config.Chain) {
	fs := cmd.Flags()
	for _, x := range []struct {
		flag string
		dst  *string
		val  string
	}{{"rpc", &f.rpc, c.RPC}, {"registry", &f.registry, c.Registry}, {"ledger", &f.ledger, c.Ledger}} {
		if !fs.Changed(x.flag) && x.val != "" {
			*x.dst = x.val
		}
	}
}

// devAddresses reads the contract addresses the dev chain wrote
// (HOME/devchain/addresses.json); hint says what to do without them.
func (a *app) devAddresses(hint string) (chain.Addresses, error) {
	p, err := a.devAddressesPath()
	if err != nil {
		return chain.Addresses{}, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return chain.Addresses{}, fmt.Errorf("contract addresses: %s (%w)", hint, err)
	}
	var info devchain.Info
	if err := json.Unmarshal(b, &info); err != nil {
		return chain.Addresses{}, fmt.Errorf("contract addresses %s: %w", p, err)
	}
	return info.Addresses(), nil
}

// client dials the endpoint with the addresses from flags or the dev chain's file.
func (a *app) client(ctx context.Context, f *clientFlags) (*chain.Client, error) {
	var addrs chain.Addresses
	if f.registry == "" || f.ledger == "" {
		var err error
		if addrs, err = a.devAddresses("give --registry and --ledger, or run chain dev"); err != nil {
			return nil, err
		}
	}
	for flag, dst := range map[string]*common.Address{f.registry: &addrs.Registry, f.ledger: &addrs.Ledger} {
		if flag == "" {
			continue
		}
		if !common.IsHexAddress(flag) {
			return nil, fmt.Errorf("not an address: %q", flag)
		}
		*dst = common.HexToAddress(flag)
	}
	opts := []chain.Option{chain.WithRetry(3, 250*time.Millisecond)}
	if f.key != "" {
		k, err := a.unlockKey(f.key, f.pwFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, chain.WithKey(k))
	}
	return chain.Dial(ctx, f.rpc, addrs, opts...)
}

func withTimeout(cmd *cobra.Command, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), d)
}

func printGas(w io.Writer, what string, gas uint64, tx common.Hash) {
	fmt.Fprintf(w, "%s: tx %s (gas %d)\n", what, tx.Hex(), gas)
}

func (a *app) chainRegisterCmd() *cobra.Command {
	var f clientFlags
	var role string
	cmd := &cobra.Command{
		Use:   "register --role miner|validator --key NAME",
		Short: "Register the key's address on the subnet, paying the deposit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r := map[string]chain.Role{"miner": chain.RoleMiner, "validator": chain.RoleValidator}[role]
			if r == 0 {
				return fmt.Errorf("chain register: --role %q: want miner or validator", role)
			}
			ctx, cancel := withTimeout(cmd, f.timeout)
			defer cancel()
			c, err := a.client(ctx, &f)
			if err != nil {
				return fmt.Errorf("chain register: %w", err)
			}
			uid, rcpt, err := c.Register(ctx, r)
			if err != nil {
				return fmt.Errorf("chain register: %w", err)
			}
			printGas(cmd.OutOrStdout(), "registered", rcpt.GasUsed, rcpt.TxHash)
			fmt.Fprintf(cmd.OutOrStdout(), "uid: %d\n", uid)
			return nil
		},
	}
	f.register(cmd, true)
	cmd.Flags().StringVar(&role, "role", "miner", "miner or validator")
	return cmd
}

// chainAmountCmd builds a command that sends one amount of coins through a
// client call: stake, unstake or fund.
func (a *app) chainAmountCmd(name, short, done string, op func(*chain.Client, context.Context, *big.Int) (*types.Receipt, error)) *cobra.Command {
	var f clientFlags
	var amount string
	cmd := &cobra.Command{
		Use:   name + " --amount COINS --key NAME",
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, err := parseCoins(amount)
			if err != nil {
				return fmt.Errorf("chain %s: %w", name, err)
			}
			ctx, cancel := withTimeout(cmd, f.timeout)
			defer cancel()
			c, err := a.client(ctx, &f)
			if err != nil {
				return fmt.Errorf("chain %s: %w", name, err)
			}
			rcpt, err := op(c, ctx, v)
			if err != nil {
				return fmt.Errorf("chain %s: %w", name, err)
			}
			printGas(cmd.OutOrStdout(), done+" "+formatCoins(v), rcpt.GasUsed, rcpt.TxHash)
			return nil
		},
	}
	f.register(cmd, true)
	cmd.Flags().StringVar(&amount, "amount", "", "coins (decimal, 18 decimals)")
	_ = cmd.MarkFlagRequired("amount")
	return cmd
}

func (a *app) chainMetagraphCmd() *cobra.Command {
	var f clientFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "metagraph",
		Short: "Print the subnet's registered hotkeys, stake and permits",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := withTimeout(cmd, f.timeout)
			defer cancel()
			c, err := a.client(ctx, &f)
			if err != nil {
				return fmt.Errorf("chain metagraph: %w", err)
			}
			mg, err := c.Metagraph(ctx)
			if err != nil {
				return fmt.Errorf("chain metagraph: %w", err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(w).Encode(mg)
			}
			fmt.Fprintf(w, "netuid %d  block %d  validator set v%d  permitted stake %s  uids %d/%d\n",
				mg.Netuid, mg.Block, mg.Version, formatCoins(mg.PermittedStake), len(mg.Neurons), mg.MaxUIDs)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "UID\tHOTKEY\tROLE\tPERMIT\tSTAKE\tEMISSION\tREGISTERED")
			for _, n := range mg.Neurons {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%s\t%s\t%d\n", n.UID, n.Hotkey.Hex(), n.Role, n.ValidatorPermit,
					formatCoins(n.Stake), formatCoins(n.Emission), n.RegisteredAt)
			}
			return tw.Flush()
		},
	}
	f.register(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// ClaimFile is the JSON a validator hands out for one claim.
type claimFile struct {
	Epoch   uint64        `json:"epoch"`
	UID     uint16        `json:"uid"`
	Account string        `json:"account"`
	Amount  string        `json:"amount"` // wei, decimal
	Proof   []common.Hash `json:"proof"`
}

func (a *app) chainClaimCmd() *cobra.Command {
	var f clientFlags
	var file, from, apiKey string
	var cl claimFile
	var proof []string
	cmd := &cobra.Command{
		Use:   "claim (--from URL --epoch E --uid U | --claim-file F | --epoch E --uid U --account A --amount WEI --proof H,...) --key NAME",
		Short: "Claim an epoch's emission for a uid with its Merkle proof (paid to the account, whoever sends)",
		Long: "Claim an epoch's emission for a uid. With --from the claim (account, amount, proof) is fetched from a\n" +
			"validator's API (GET URL/v1/epochs/E/claims/U) and its proof is checked against the emissions root\n" +
			"finalized on chain before anything is sent. --claim-file reads the same JSON from a file. The amount\n" +
			"is paid to the claim's account; any key may send the transaction (and pays its gas).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fs := cmd.Flags()
			switch {
			case from != "":
				if file != "" || fs.Changed("account") || fs.Changed("amount") || fs.Changed("proof") {
					return errors.New("chain claim: --from takes only --epoch and --uid")
				}
				if !fs.Changed("epoch") || !fs.Changed("uid") {
					return errors.New("chain claim: --from needs --epoch and --uid")
				}
				if apiKey == "" {
					apiKey = a.getenv("GANGLION_API_KEY")
				}
				got, err := fetchClaim(cmd.Context(), from, apiKey, cl.Epoch, cl.UID, f.timeout)
				if err != nil {
					return fmt.Errorf("chain claim: %w", err)
				}
				cl = got
			case file != "":
				b, err := os.ReadFile(file)
				if err != nil {
					return fmt.Errorf("chain claim: %w", err)
				}
				if err := json.Unmarshal(b, &cl); err != nil {
					return fmt.Errorf("chain claim: %s: %w", file, err)
				}
			default:
				for _, p := range proof {
					b, err := hexutil.Decode(p)
					if err != nil || len(b) != 32 {
						return fmt.Errorf("chain claim: proof element %q is not 32 hex bytes", p)
					}
					cl.Proof = append(cl.Proof, common.BytesToHash(b))
				}
			}
			if !common.IsHexAddress(cl.Account) {
				return fmt.Errorf("chain claim: account %q is not an address", cl.Account)
			}
			amount, ok := new(big.Int).SetString(cl.Amount, 10)
			if !ok || amount.Sign() < 0 {
				return fmt.Errorf("chain claim: amount %q is not a decimal number of wei", cl.Amount)
			}
			e := chain.Emission{UID: cl.UID, Account: common.HexToAddress(cl.Account), Amount: amount}
			ctx, cancel := withTimeout(cmd, f.timeout)
			defer cancel()
			c, err := a.client(ctx, &f)
			if err != nil {
				return fmt.Errorf("chain claim: %w", err)
			}
			if from != "" {
				st, err := c.EpochStatus(ctx, cl.Epoch)
				if err != nil {
					return fmt.Errorf("chain claim: %w", err)
				}
				if !st.Finalized {
					return fmt.Errorf("chain claim: epoch %d is not final on chain yet (latest final epoch %d): %w", cl.Epoch, st.LatestEpoch, errNotFinal)
				}
				if !chain.VerifyProof(st.EmissionsRoot, chain.Leaf(cl.Epoch, e), cl.Proof) {
					return fmt.Errorf("chain claim: the claim from %s does not lead to epoch %d's root %s on chain: %w", from, cl.Epoch, st.EmissionsRoot.Hex(), errBadClaim)
				}
			}
			rcpt, err := c.Claim(ctx, cl.Epoch, e, cl.Proof)
			if err != nil {
				return fmt.Errorf("chain claim: %w", err)
			}
			w := cmd.OutOrStdout()
			printGas(w, fmt.Sprintf("claimed %s for uid %d", formatCoins(amount), cl.UID), rcpt.GasUsed, rcpt.TxHash)
			fmt.Fprintf(w, "paid to: %s\n", e.Account.Hex())
			return nil
		},
	}
	f.register(cmd, true)
	fs := cmd.Flags()
	fs.StringVar(&from, "from", "", "validator API base URL to fetch the claim from (e.g. http://127.0.0.1:8080)")
	fs.StringVar(&apiKey, "api-key", "", "bearer key for --from (default $GANGLION_API_KEY)")
	fs.StringVar(&file, "claim-file", "", `JSON {"epoch","uid","account","amount","proof"}`)
	fs.Uint64Var(&cl.Epoch, "epoch", 0, "epoch")
	fs.Uint16Var(&cl.UID, "uid", 0, "uid")
	fs.StringVar(&cl.Account, "account", "", "account paid")
	fs.StringVar(&cl.Amount, "amount", "", "amount in wei")
	fs.StringSliceVar(&proof, "proof", nil, "Merkle proof, comma-separated 0x hashes")
	return cmd
}

var (
	errNotFinal = errors.New("not final")
	errBadClaim = errors.New("claim does not match the chain")
	errNoClaim  = errors.New("no claim")
)

// fetchClaim reads one claim from a validator's API.
func fetchClaim(ctx context.Context, base, apiKey string, epoch uint64, uid uint16, timeout time.Duration) (claimFile, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := fmt.Sprintf("%s/v1/epochs/%d/claims/%d", strings.TrimSuffix(base, "/"), epoch, uid)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return claimFile{}, fmt.Errorf("--from %q: %w", base, err)
	}
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return claimFile{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return claimFile{}, fmt.Errorf("%s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error json.RawMessage `json:"error"`
		}
		msg := strings.TrimSpace(string(body))
		if json.Unmarshal(body, &e) == nil && len(e.Error) > 0 {
			var s string
			if json.Unmarshal(e.Error, &s) == nil {
				msg = s
			}
		}
		if resp.StatusCode == http.StatusNotFound {
			return claimFile{}, fmt.Errorf("%s: %s: %s: %w", u, resp.Status, msg, errNoClaim)
		}
		return claimFile{}, fmt.Errorf("%s: %s: %s", u, resp.Status, msg)
	}
	var cl claimFile
	if err := json.Unmarshal(body, &cl); err != nil {
		return claimFile{}, fmt.Errorf("%s: not a claim: %w", u, err)
	}
	if cl.Epoch != epoch || cl.UID != uid {
		return claimFile{}, fmt.Errorf("%s: answered the claim of epoch %d uid %d: %w", u, cl.Epoch, cl.UID, errBadClaim)
	}
	return cl, nil
}

func (a *app) chainReportStatusCmd() *cobra.Command {
	var f clientFlags
	var epoch uint64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "report-status --epoch E",
		Short: "Show whether an epoch's report is final, its root, total and unclaimed rest",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := withTimeout(cmd, f.timeout)
			defer cancel()
			c, err := a.client(ctx, &f)
			if err != nil {
				return fmt.Errorf("chain report-status: %w", err)
			}
			st, err := c.EpochStatus(ctx, epoch)
			if err != nil {
				return fmt.Errorf("chain report-status: %w", err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(w).Encode(st)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
			fmt.Fprintf(tw, "epoch:\t%d\n", st.Epoch)
			fmt.Fprintf(tw, "finalized:\t%v\n", st.Finalized)
			if st.Finalized {
				fmt.Fprintf(tw, "emissions root:\t%s\n", st.EmissionsRoot.Hex())
				fmt.Fprintf(tw, "total emission:\t%s\n", formatCoins(st.TotalEmission))
				fmt.Fprintf(tw, "unclaimed:\t%s\n", formatCoins(st.Remaining))
			}
			fmt.Fprintf(tw, "latest epoch:\t%d\n", st.LatestEpoch)
			fmt.Fprintf(tw, "pool:\t%s\n", formatCoins(st.Pool))
			return tw.Flush()
		},
	}
	f.register(cmd, false)
	cmd.Flags().Uint64Var(&epoch, "epoch", 0, "epoch")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("epoch")
	return cmd
}

// ---- Subtensor ----

func (a *app) subtensorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subtensor",
		Short: "Set, commit or reveal weights on a Bittensor subnet through Subtensor's neuron precompile",
	}
	cmd.AddCommand(a.subtensorWeightsCmd("set-weights"), a.subtensorWeightsCmd("commit-weights"), a.subtensorWeightsCmd("reveal-weights"))
	return cmd
}

func parseU16s(list []string) ([]uint16, error) {
	out := make([]uint16, 0, len(list))
	for _, s := range list {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
		if err != nil {
			return nil, fmt.Errorf("%q is not a u16", s)
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

func (a *app) subtensorWeightsCmd(op string) *cobra.Command {
	var (
		rpcURL, key, pwFile, hotkeyHex  string
		netuid                          uint16
		uidsFlag, saltFlag              []string
		weights                         []float64
		versionKey, nonce, gas, chainID uint64
		tipGwei, feeCapGwei             float64
		dryRun, haveNonce               bool
		timeout                         time.Duration
	)
	short := map[string]string{
		"set-weights":    "Set a weight row (fails on subnets with commit-reveal)",
		"commit-weights": "Commit the v2 hash of a weight row; prints the salt to reveal with",
		"reveal-weights": "Reveal a committed weight row with its salt",
	}[op]
	cmd := &cobra.Command{
		Use:   op + " --netuid N --uids 0,1,... --weights w0,w1,... --key NAME [--rpc URL | --dry-run ...]",
		Short: short,
		Long: short + ".\n\nWeights are non-negative numbers scaled so the largest becomes 65535. The transaction is an\n" +
			"EIP-1559 call to the neuron precompile 0x…0804 signed with --key; the EVM address acts on Subtensor as\n" +
			"the mirror account blake2b_256(\"evm:\" ‖ address), which must be the registered hotkey. With --dry-run\n" +
			"the signed raw transaction is printed instead of sent; with --chain-id, --nonce and --gas given no\n" +
			"endpoint is needed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			haveNonce = cmd.Flags().Changed("nonce")
			uids, err := parseU16s(uidsFlag)
			if err != nil {
				return fmt.Errorf("subtensor %s: --uids: %w", op, err)
			}
			if len(uids) != len(weights) {
				return fmt.Errorf("subtensor %s: %d uids but %d weights", op, len(uids), len(weights))
			}
			values, err := subtensor.Quantize(weights)
			if err != nil {
				return fmt.Errorf("subtensor %s: %w", op, err)
			}
			k, err := a.unlockKey(key, pwFile)
			if err != nil {
				return fmt.Errorf("subtensor %s: %w", op, err)
			}
			w := cmd.OutOrStdout()
			var data []byte
			switch op {
			case "set-weights":
				data, err = subtensor.PackSetWeights(netuid, uids, values, versionKey)
			default:
				salt, serr := parseU16s(saltFlag)
				if serr != nil {
					return fmt.Errorf("subtensor %s: --salt: %w", op, serr)
				}
				if op == "reveal-weights" {
					if len(salt) == 0 {
						return fmt.Errorf("subtensor %s: --salt is required (printed by commit-weights)", op)
					}
					data, err = subtensor.PackRevealWeights(netuid, uids, values, salt, versionKey)
					break
				}
				if len(salt) == 0 {
					var b [16]byte
					if _, err := rand.Read(b[:]); err != nil {
						return err
					}
					for i := 0; i < len(b); i += 2 {
						salt = append(salt, binary.LittleEndian.Uint16(b[i:]))
					}
				}
				hotkey := subtensor.MirrorAccount(addressOf(k))
				if hotkeyHex != "" {
					b, herr := hexutil.Decode(hotkeyHex)
					if herr != nil || len(b) != 32 {
						return fmt.Errorf("subtensor %s: --hotkey must be 32 hex bytes", op)
					}
					copy(hotkey[:], b)
				}
				hash := subtensor.CommitHash(hotkey, netuid, uids, values, salt, versionKey)
				fmt.Fprintf(w, "commit hash: %s\n", hash.Hex())
				fmt.Fprintf(w, "hotkey: %s\n", hexutil.Encode(hotkey[:]))
				fmt.Fprintf(w, "salt: %s\n", joinU16s(salt))
				fmt.Fprintf(w, "values: %s\n", joinU16s(values))
				data, err = subtensor.PackCommitWeights(netuid, hash)
			}
			if err != nil {
				return fmt.Errorf("subtensor %s: %w", op, err)
			}
			ctx, cancel := withTimeout(cmd, timeout)
			defer cancel()
			p := subtensor.TxParams{Nonce: nonce, Gas: gas,
				GasTipCap: gweiToWei(tipGwei), GasFeeCap: gweiToWei(feeCapGwei)}
			if chainID != 0 {
				p.ChainID = new(big.Int).SetUint64(chainID)
			}
			offline := dryRun && p.ChainID != nil && haveNonce && gas != 0 && feeCapGwei > 0
			var ec *ethclient.Client
			if !offline {
				if ec, err = ethclient.DialContext(ctx, rpcURL); err != nil {
					return fmt.Errorf("subtensor %s: %w", op, err)
				}
				defer ec.Close()
				if err := fillTxParams(ctx, ec, &p, addressOf(k), data, haveNonce, feeCapGwei > 0, cmd.Flags().Changed("tip")); err != nil {
					return fmt.Errorf("subtensor %s: %w", op, err)
				}
			}
			tx, err := subtensor.SignNeuronCall(k, p, data)
			if err != nil {
				return fmt.Errorf("subtensor %s: %w", op, err)
			}
			if dryRun {
				raw, err := tx.MarshalBinary()
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "raw transaction: %s\n", hexutil.Encode(raw))
				fmt.Fprintf(w, "tx hash: %s\n", tx.Hash().Hex())
				return nil
			}
			if err := ec.SendTransaction(ctx, tx); err != nil {
				return fmt.Errorf("subtensor %s: send: %w", op, err)
			}
			fmt.Fprintf(w, "sent: %s\n", tx.Hash().Hex())
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&rpcURL, "rpc", "", "Subtensor EVM JSON-RPC endpoint")
	fs.StringVar(&key, "key", "", "name of the key that signs")
	fs.StringVar(&pwFile, "password-file", "", "read the key's password from the first line of this file")
	fs.Uint16Var(&netuid, "netuid", 0, "subnet")
	fs.StringSliceVar(&uidsFlag, "uids", nil, "uids (comma-separated)")
	fs.Float64SliceVar(&weights, "weights", nil, "weights, one per uid (scaled so the largest is 65535)")
	fs.Uint64Var(&versionKey, "version-key", 0, "weights version key")
	fs.Uint64Var(&chainID, "chain-id", 0, "chain id (default: ask the endpoint; 964 mainnet, 945 testnet, 42 localnet)")
	fs.Uint64Var(&nonce, "nonce", 0, "nonce (default: the endpoint's pending nonce)")
	fs.Uint64Var(&gas, "gas", 0, "gas limit (default: estimated)")
	fs.Float64Var(&tipGwei, "tip", 0, "priority fee in gwei (default: suggested)")
	fs.Float64Var(&feeCapGwei, "fee-cap", 0, "max fee per gas in gwei (default: 2·base fee + tip)")
	fs.BoolVar(&dryRun, "dry-run", false, "print the signed raw transaction instead of sending it")
	fs.DurationVar(&timeout, "timeout", time.Minute, "give up after this long")
	if op != "set-weights" {
		fs.StringSliceVar(&saltFlag, "salt", nil, "salt u16 values (commit: default random)")
		if op == "commit-weights" {
			fs.StringVar(&hotkeyHex, "hotkey", "", "32-byte hotkey in the hash (default: the key's mirror account)")
		}
	}
	_ = cmd.MarkFlagRequired("key")
	_ = cmd.MarkFlagRequired("netuid")
	return cmd
}

func joinU16s(v []uint16) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	return strings.Join(s, ",")
}

func gweiToWei(g float64) *big.Int {
	v, _ := new(big.Float).Mul(big.NewFloat(g), big.NewFloat(1e9)).Int(nil)
	return v
}

func addressOf(k *ecdsa.PrivateKey) common.Address {
	return ethcrypto.PubkeyToAddress(k.PublicKey)
}

// fillTxParams completes p from the endpoint: chain id, nonce, gas estimate
// and fees, keeping what the user gave.
func fillTxParams(ctx context.Context, ec *ethclient.Client, p *subtensor.TxParams, from common.Address, data []byte, haveNonce, haveFeeCap, haveTip bool) error {
	var err error
	if p.ChainID == nil {
		if p.ChainID, err = ec.ChainID(ctx); err != nil {
			return fmt.Errorf("chain id: %w", err)
		}
	}
	if !haveNonce {
		if p.Nonce, err = ec.PendingNonceAt(ctx, from); err != nil {
			return fmt.Errorf("nonce: %w", err)
		}
	}
	if !haveTip {
		if p.GasTipCap, err = ec.SuggestGasTipCap(ctx); err != nil {
			return fmt.Errorf("gas tip: %w", err)
		}
	}
	if !haveFeeCap {
		head, err := ec.HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("head: %w", err)
		}
		base := head.BaseFee
		if base == nil {
			base = new(big.Int)
		}
		p.GasFeeCap = new(big.Int).Add(p.GasTipCap, new(big.Int).Mul(base, big.NewInt(2)))
	}
	if p.Gas == 0 {
		to := subtensor.NeuronPrecompile
		g, err := ec.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Data: data})
		if err != nil {
			return fmt.Errorf("estimate gas: %w", err)
		}
		p.Gas = g + g/5
	}
	return nil
}
