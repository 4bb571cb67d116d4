package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
)

// chainDeployCmd deploys the subnet's contracts on any EVM chain (chain dev
// deploys them on its own): what a subnet owner runs once on a public chain.
func (a *app) chainDeployCmd() *cobra.Command {
	p := chain.DefaultParams()
	var (
		rpc, key, pwFile, out string
		minStake, deposit     string
		netuid                uint16
		timeout               time.Duration
	)
	cmd := &cobra.Command{
		Use:   "deploy --rpc URL --key NAME --netuid N [--epoch-length BLOCKS] [--out FILE]",
		Short: "Deploy a SubnetRegistry and an EmissionsLedger on an EVM chain; --key becomes the registry's owner",
		Long: "Deploy the subnet's two contracts on the chain at --rpc (three transactions: registry, ledger, link),\n" +
			"signed and owned by --key, and print their addresses. Miners, validators and the chain commands then\n" +
			"take --rpc, --registry and --ledger (or chain.rpc, chain.registry, chain.ledger in config.toml).\n" +
			"--out writes the addresses as JSON (the format of the dev chain's addresses.json). Fund the\n" +
			"emission pool afterwards with `ganglion chain fund`.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if p.MinStake, err = parseCoins(minStake); err != nil {
				return fmt.Errorf("chain deploy: --min-stake: %w", err)
			}
			if p.Deposit, err = parseCoins(deposit); err != nil {
				return fmt.Errorf("chain deploy: --deposit: %w", err)
			}
			k, err := a.unlockKey(key, pwFile)
			if err != nil {
				return fmt.Errorf("chain deploy: %w", err)
			}
			ctx, cancel := withTimeout(cmd, timeout)
			defer cancel()
			ec, err := ethclient.DialContext(ctx, rpc)
			if err != nil {
				return fmt.Errorf("chain deploy: dial %s: %w", rpc, err)
			}
			defer ec.Close()
			id, err := ec.ChainID(ctx)
			if err != nil {
				return fmt.Errorf("chain deploy: chain id of %s: %w", rpc, err)
			}
			c, rcpts, err := chain.Deploy(ctx, ec, k, netuid, p, chain.WithRetry(3, 250*time.Millisecond))
			for i, r := range rcpts {
				printGas(cmd.OutOrStdout(), []string{"deployed SubnetRegistry", "deployed EmissionsLedger", "linked ledger"}[i], r.GasUsed, r.TxHash)
			}
			if err != nil {
				return fmt.Errorf("chain deploy: %w", err)
			}
			addrs := c.Addresses()
			info := devchain.Info{ChainID: id.Int64(), Netuid: netuid, RPC: rpc, Registry: addrs.Registry, Ledger: addrs.Ledger, Owner: c.Address()}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 1, ' ', 0)
			fmt.Fprintf(tw, "chain id:\t%d\nnetuid:\t%d\nregistry:\t%s\nledger:\t%s\nowner:\t%s\n", info.ChainID, netuid,
				addrs.Registry.Hex(), addrs.Ledger.Hex(), info.Owner.Hex())
			if out != "" {
				b, _ := json.MarshalIndent(info, "", "  ")
				if err := atomicfile.WriteFile(out, append(b, '\n'), 0o644); err != nil {
					return fmt.Errorf("chain deploy: %w", err)
				}
				fmt.Fprintf(tw, "addresses:\t%s\n", out)
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&rpc, "rpc", "", "JSON-RPC endpoint of the chain")
	f.StringVar(&key, "key", "", "name of the key that deploys and owns the contracts")
	f.StringVar(&pwFile, "password-file", "", "read the key's password from the first line of this file")
	f.Uint16Var(&netuid, "netuid", 1, "the subnet's id (it scopes every signature)")
	f.Uint64Var(&p.EpochLength, "epoch-length", p.EpochLength, "subnet epoch length in blocks")
	f.Uint16Var(&p.MaxUIDs, "max-uids", p.MaxUIDs, "subnet uid slots")
	f.Uint16Var(&p.MaxValidators, "max-validators", p.MaxValidators, "validator permits (top-k by stake)")
	f.Uint64Var(&p.ImmunityPeriod, "immunity", p.ImmunityPeriod, "blocks a new uid cannot be replaced")
	f.StringVar(&minStake, "min-stake", formatCoins(p.MinStake), "coins of stake a validator permit needs")
	f.StringVar(&deposit, "deposit", formatCoins(p.Deposit), "coins a registration burns")
	f.StringVar(&out, "out", "", "also write the addresses to this JSON file")
	f.DurationVar(&timeout, "timeout", 5*time.Minute, "give up after this long")
	_ = cmd.MarkFlagRequired("rpc")
	_ = cmd.MarkFlagRequired("key")
	return cmd
}
