package main

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/ganglion-subnet/ganglion/internal/config"
	"github.com/ganglion-subnet/ganglion/internal/logging"
)

// env is the outside world a command sees. Tests replace it.
type env struct {
	environ []string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	userDir func() (string, error)
}

func osEnv() env {
	return env{environ: os.Environ(), stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, userDir: os.UserHomeDir}
}

func (e env) getenv(name string) string {
	v, _ := e.lookupEnv(name)
	return v
}

// app carries what every subcommand shares: the environment, the home
// directory, the configuration and the logger.
type app struct {
	env
	homeFlag   string
	configFlag string
}

func newApp(e env) *app { return &app{env: e} }

// configKey is the pflag annotation that binds a flag to a config key.
const configKey = "ganglion/config-key"

// bindFlag makes flag name on fs override config key.
func bindFlag(fs *pflag.FlagSet, name, key string) {
	if err := fs.SetAnnotation(name, configKey, []string{key}); err != nil {
		panic(err) // programming error: the flag must exist
	}
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "ganglion",
		Short:         "Ganglion: a decentralized, verifiable AI inference subnet",
		Long:          "Ganglion is a decentralized AI inference subnet. Miners serve Llama-family models, validators\nverify their answers by exact re-execution and score them, and emissions settle on chain.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&a.homeFlag, "home", "", "home directory for keys, config and data (default $GANGLION_HOME or ~/.ganglion)")
	pf.StringVar(&a.configFlag, "config", "", "config file (default HOME/config.toml)")
	pf.String("log-format", "", "log format: console or json (overrides log.format)")
	pf.String("log-level", "", "log level: debug, info, warn or error (overrides log.level)")
	bindFlag(pf, "log-format", "log.format")
	bindFlag(pf, "log-level", "log.level")
	root.AddCommand(a.versionCmd(), a.keysCmd(), a.configCmd(), a.epochCmd(), a.chainCmd(), a.modelsCmd(), a.minerCmd(), a.validatorCmd(), a.gatewayCmd(), a.queryCmd(), a.healthCmd(), a.devnetCmd())
	return root
}

// home resolves the home directory: --home, then GANGLION_HOME, then ~/.ganglion.
func (a *app) home() (string, error) {
	if a.homeFlag != "" {
		return filepath.Abs(a.homeFlag)
	}
	if h := a.getenv("GANGLION_HOME"); h != "" {
		return filepath.Abs(h)
	}
	u, err := a.userDir()
	if err != nil {
		return "", fmt.Errorf("no home directory: set --home or GANGLION_HOME (%v)", err)
	}
	return filepath.Join(u, ".ganglion"), nil
}

func (a *app) configPath() (path string, explicit bool, err error) {
	if a.configFlag != "" {
		return a.configFlag, true, nil
	}
	h, err := a.home()
	if err != nil {
		return "", false, err
	}
	return filepath.Join(h, "config.toml"), false, nil
}

// loadConfig reads the effective configuration for cmd.
func (a *app) loadConfig(cmd *cobra.Command) (*config.Loaded, error) {
	path, explicit, err := a.configPath()
	if err != nil {
		return nil, err
	}
	flags := map[string]config.FlagValue{}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		keys := f.Annotations[configKey]
		if len(keys) == 0 {
			return
		}
		v := f.Value.String()
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			v = strings.Join(sv.GetSlice(), ",")
		}
		flags[keys[0]] = config.FlagValue{Flag: f.Name, Value: v}
	})
	return config.Load(config.Sources{File: path, FileRequired: explicit, Env: a.environ, Flags: flags})
}

// startRole is the start of every long-running role command: the effective
// configuration, the logger built from it (the caller syncs it) and the
// operator's unlocked key.
func (a *app) startRole(cmd *cobra.Command, keyName, pwFile string) (*config.Loaded, *zap.Logger, *ecdsa.PrivateKey, error) {
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return nil, nil, nil, err
	}
	log, err := a.logger(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := a.unlockKey(keyName, pwFile)
	if err != nil {
		_ = log.Sync()
		return nil, nil, nil, err
	}
	return cfg, log, key, nil
}

// logger builds the process logger from the effective configuration.
func (a *app) logger(cfg *config.Loaded) (*zap.Logger, error) {
	return logging.New(a.stderr, cfg.Log.Format, cfg.Log.Level)
}

// errNoPassword is returned when no password source is available.
var errNoPassword = errors.New("no password: use --password-file FILE, set GANGLION_PASSWORD, or run in a terminal to be prompted")

// password reads a password from --password-file, GANGLION_PASSWORD or a
// no-echo prompt, in that order. With confirm the prompt asks twice.
func (a *app) password(file, prompt string, confirm bool) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSuffix(line, "\r"), nil
	}
	if p, ok := a.lookupEnv("GANGLION_PASSWORD"); ok {
		return p, nil
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errNoPassword
	}
	read := func(p string) (string, error) {
		fmt.Fprint(a.stderr, p)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		return string(b), err
	}
	p, err := read(prompt + ": ")
	if err != nil {
		return "", err
	}
	if confirm {
		again, err := read("Repeat " + strings.ToLower(prompt[:1]) + prompt[1:] + ": ")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New("passwords do not match")
		}
	}
	return p, nil
}

func (e env) lookupEnv(name string) (string, bool) {
	for i := len(e.environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(e.environ[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}
