package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/internal/keyring"
)

// keyringFor opens HOME/keys.
func (a *app) keyring(light bool) (*keyring.Keyring, error) {
	h, err := a.home()
	if err != nil {
		return nil, err
	}
	var opts []keyring.Option
	if light {
		opts = append(opts, keyring.WithLightKDF())
	}
	return keyring.Open(filepath.Join(h, "keys"), opts...)
}

func (a *app) keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage operator keys (Ethereum keystore v3 files; one key gives an address and a peer ID)",
	}
	cmd.AddCommand(a.keysNewCmd(), a.keysListCmd(), a.keysShowCmd(), a.keysImportCmd(), a.keysExportCmd())
	return cmd
}

func printInfo(w io.Writer, in keyring.Info, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(in)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "name:\t%s\n", in.Name)
	fmt.Fprintf(tw, "address:\t%s\n", in.Address.Hex())
	fmt.Fprintf(tw, "peer id:\t%s\n", in.PeerID)
	fmt.Fprintf(tw, "file:\t%s\n", in.File)
	return tw.Flush()
}

func (a *app) keysNewCmd() *cobra.Command {
	var name, pwFile string
	var light, asJSON bool
	cmd := &cobra.Command{
		Use:   "new --name NAME [--password-file F]",
		Short: "Create a new secp256k1 key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kr, err := a.keyring(light)
			if err != nil {
				return err
			}
			if _, err := kr.Show(name); err == nil {
				return fmt.Errorf("keys new: %w: %q", keyring.ErrExists, name)
			}
			pw, err := a.password(pwFile, "New password", true)
			if err != nil {
				return fmt.Errorf("keys new: %w", err)
			}
			in, err := kr.New(name, pw)
			if err != nil {
				return fmt.Errorf("keys new: %w", err)
			}
			return printInfo(cmd.OutOrStdout(), in, asJSON)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name of the key")
	cmd.Flags().StringVar(&pwFile, "password-file", "", "read the password from the first line of this file")
	cmd.Flags().BoolVar(&light, "light-kdf", false, "use light scrypt parameters (fast but weak: dev keys only)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (a *app) keysListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kr, err := a.keyring(false)
			if err != nil {
				return err
			}
			list, err := kr.List()
			if err != nil {
				return fmt.Errorf("keys list: %w", err)
			}
			if asJSON {
				if list == nil {
					list = []keyring.Info{}
				}
				return json.NewEncoder(cmd.OutOrStdout()).Encode(list)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tADDRESS\tPEER ID")
			for _, in := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", in.Name, in.Address.Hex(), in.PeerID)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) keysShowCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a key's address, peer ID and file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := a.keyring(false)
			if err != nil {
				return err
			}
			in, err := kr.Show(args[0])
			if err != nil {
				return fmt.Errorf("keys show: %w", err)
			}
			return printInfo(cmd.OutOrStdout(), in, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) keysImportCmd() *cobra.Command {
	var name, ksFile, pkFile, pwFile string
	var light, asJSON bool
	cmd := &cobra.Command{
		Use:   "import --name NAME (--keystore F | --private-key-file F)",
		Short: "Import a keystore v3 file (geth, other wallets) or a raw hex private key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (ksFile == "") == (pkFile == "") {
				return errors.New("keys import: give exactly one of --keystore and --private-key-file")
			}
			kr, err := a.keyring(light)
			if err != nil {
				return err
			}
			if _, err := kr.Show(name); err == nil {
				return fmt.Errorf("keys import: %w: %q", keyring.ErrExists, name)
			}
			var in keyring.Info
			if ksFile != "" {
				blob, err := os.ReadFile(ksFile)
				if err != nil {
					return fmt.Errorf("keys import: %w", err)
				}
				pw, err := a.password(pwFile, "Keystore password", false)
				if err != nil {
					return fmt.Errorf("keys import: %w", err)
				}
				if in, err = kr.ImportKeystore(name, blob, pw); err != nil {
					return fmt.Errorf("keys import %s: %w", ksFile, err)
				}
			} else {
				raw, err := os.ReadFile(pkFile)
				if err != nil {
					return fmt.Errorf("keys import: %w", err)
				}
				pw, err := a.password(pwFile, "New password", true)
				if err != nil {
					return fmt.Errorf("keys import: %w", err)
				}
				if in, err = kr.ImportPrivateKey(name, raw, pw); err != nil {
					return fmt.Errorf("keys import %s: %w", pkFile, err)
				}
			}
			return printInfo(cmd.OutOrStdout(), in, asJSON)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name for the imported key")
	cmd.Flags().StringVar(&ksFile, "keystore", "", "keystore v3 JSON file to import (kept as is)")
	cmd.Flags().StringVar(&pkFile, "private-key-file", "", "file holding a hex private key to import")
	cmd.Flags().StringVar(&pwFile, "password-file", "", "read the password from the first line of this file")
	cmd.Flags().BoolVar(&light, "light-kdf", false, "with --private-key-file: light scrypt parameters (dev keys only)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (a *app) keysExportCmd() *cobra.Command {
	var out, pwFile string
	var unsafePrint bool
	cmd := &cobra.Command{
		Use:   "export NAME (--out F | --unsafe-print-private-key)",
		Short: "Write a key's keystore file, or print its raw private key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (out == "") == !unsafePrint {
				return errors.New("keys export: give exactly one of --out and --unsafe-print-private-key")
			}
			kr, err := a.keyring(false)
			if err != nil {
				return err
			}
			if unsafePrint {
				if _, err := kr.Show(args[0]); err != nil {
					return fmt.Errorf("keys export: %w", err)
				}
				pw, err := a.password(pwFile, "Password", false)
				if err != nil {
					return fmt.Errorf("keys export: %w", err)
				}
				k, err := kr.Unlock(args[0], pw)
				if err != nil {
					return fmt.Errorf("keys export: %w", err)
				}
				_, err = fmt.Fprintln(cmd.OutOrStdout(), "0x"+hex.EncodeToString(ethcrypto.FromECDSA(k)))
				return err
			}
			blob, err := kr.KeystoreJSON(args[0])
			if err != nil {
				return fmt.Errorf("keys export: %w", err)
			}
			if err := atomicfile.WriteNew(out, blob, 0o600); err != nil {
				return fmt.Errorf("keys export: %w", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the keystore v3 file here (must not exist)")
	cmd.Flags().BoolVar(&unsafePrint, "unsafe-print-private-key", false, "print the raw private key in hex (anyone who sees it owns the key)")
	cmd.Flags().StringVar(&pwFile, "password-file", "", "with --unsafe-print-private-key: read the password from this file")
	return cmd
}
