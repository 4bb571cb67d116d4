package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/internal/config"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write and inspect the configuration (file < GANGLION_* environment < flags)",
	}
	cmd.AddCommand(a.configInitCmd(), a.configShowCmd())
	return cmd
}

func (a *app) configInitCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented default config.toml",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, _, err := a.configPath()
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return fmt.Errorf("config init: %w", err)
			}
			b, err := config.DefaultFile()
			if err != nil {
				return err
			}
			write := atomicfile.WriteNew
			if force {
				write = atomicfile.WriteFile
			}
			if err := write(path, b, 0o644); err != nil {
				if errors.Is(err, atomicfile.ErrExists) {
					return fmt.Errorf("config init: %s exists (use --force to overwrite)", path)
				}
				return fmt.Errorf("config init: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func (a *app) configShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration and the source of each value",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tVALUE\tSOURCE")
			for _, k := range config.Keys() {
				v, _ := cfg.Get(k)
				fmt.Fprintf(tw, "%s\t%q\t%s\n", k, v, cfg.Sources[k])
			}
			return tw.Flush()
		},
	}
}
