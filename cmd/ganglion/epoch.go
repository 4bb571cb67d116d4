package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/scoring/yuma"
)

func (a *app) epochCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "epoch",
		Short: "Yuma Consensus epoch tools (bit-exact with Subtensor)",
	}
	cmd.AddCommand(a.epochRunCmd())
	return cmd
}

func (a *app) epochRunCmd() *cobra.Command {
	var inPath, outPath string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Compute one epoch from a JSON input and print the JSON result",
		Long: `Compute one Yuma Consensus epoch exactly as Subtensor's epoch_mechanism does
(fixed-point arithmetic included) from a JSON document and write the result
as JSON. Input keys: stake, weights, bonds, kappa_u16 | kappa,
bonds_moving_average | bond_alpha, bonds_penalty_u16, yuma3, liquid_alpha,
alpha_low_u16, alpha_high_u16, alpha_sigmoid_steepness, max_allowed_validators,
owner_uid, stake_threshold, rao_emission, validator_permits, active.
See docs/yuma.md for the format.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var r io.Reader = a.stdin
			if inPath != "-" {
				f, err := os.Open(inPath)
				if err != nil {
					return fmt.Errorf("epoch input: %w", err)
				}
				defer f.Close()
				r = f
			}
			in, err := yuma.DecodeJSON(r)
			if err != nil {
				return fmt.Errorf("epoch input: %w", err)
			}
			out, err := yuma.Run(in)
			if err != nil {
				return fmt.Errorf("epoch: %w", err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			if err := enc.Encode(out.ToJSON()); err != nil {
				return fmt.Errorf("encode epoch output: %w", err)
			}
			if outPath == "-" {
				_, err = a.stdout.Write(buf.Bytes())
				return err
			}
			if err := atomicfile.WriteFile(outPath, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("write epoch output: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&inPath, "in", "-", "input JSON file, - for stdin")
	cmd.Flags().StringVar(&outPath, "out", "-", "output JSON file (written atomically), - for stdout")
	return cmd
}
