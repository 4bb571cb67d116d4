// Package config is Ganglion's configuration: a TOML file, overridden by
// GANGLION_* environment variables, overridden by command-line flags. Every
// value remembers where it came from, so `ganglion config show` can say.
//
// Each section is a struct with toml and comment tags; a key is addressed as
// "section.key" (for example "p2p.listen"), its environment variable is
// GANGLION_SECTION_KEY (GANGLION_P2P_LISTEN). Lists are comma-separated in the
// environment and in flags.
//
// Import rules: an internal utility; it imports nothing of this module. Roles
// own the meaning of their sections; this package only loads and validates.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Config is the whole configuration of a Ganglion process.
type Config struct {
	Log     Log     `toml:"log" comment:"Logging (zap)."`
	P2P     P2P     `toml:"p2p" comment:"libp2p networking."`
	Chain   Chain   `toml:"chain" comment:"The EVM chain that holds the SubnetRegistry and EmissionsLedger contracts."`
	Metrics Metrics `toml:"metrics" comment:"Prometheus metrics and health endpoint."`
}

// Log configures logging.
type Log struct {
	Level  string `toml:"level" comment:"debug, info, warn or error"`
	Format string `toml:"format" comment:"console (for people) or json (for log collectors)"`
}

// P2P configures the libp2p host.
type P2P struct {
	Listen     []string `toml:"listen" comment:"multiaddrs to listen on (TCP and QUIC)"`
	Bootstrap  []string `toml:"bootstrap" comment:"multiaddrs (with /p2p/ID) of peers to dial at start"`
	MDNS       bool     `toml:"mdns" comment:"discover peers on the local network with mDNS"`
	DHT        bool     `toml:"dht" comment:"discover peers through a Kademlia DHT"`
	Announce   []string `toml:"announce" comment:"addresses to advertise instead of the listen addresses (public address behind NAT)"`
	NATPortMap bool     `toml:"nat_portmap" comment:"ask the router to forward the listen ports (UPnP / NAT-PMP)"`
}

// Chain configures the chain client.
type Chain struct {
	RPC      string `toml:"rpc" comment:"JSON-RPC endpoint, e.g. http://127.0.0.1:8545"`
	ChainID  uint64 `toml:"chain_id" comment:"expected chain id; 0 asks the endpoint"`
	Netuid   uint16 `toml:"netuid" comment:"the subnet's id"`
	Registry string `toml:"registry" comment:"SubnetRegistry contract address"`
	Ledger   string `toml:"ledger" comment:"EmissionsLedger contract address"`
}

// Metrics configures the metrics endpoint.
type Metrics struct {
	Listen string `toml:"listen" comment:"address of /metrics and /healthz; empty turns them off"`
}

// Default returns the default configuration.
func Default() Config {
	return Config{
		Log: Log{Level: "info", Format: "console"},
		P2P: P2P{
			Listen:    []string{"/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"},
			Bootstrap: []string{},
		},
		Chain:   Chain{Netuid: 1},
		Metrics: Metrics{Listen: "127.0.0.1:9100"},
	}
}

// Validate checks values that have a fixed set of meanings.
func (c *Config) Validate() error {
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: %q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "json", "console":
	default:
		return fmt.Errorf("log.format: %q is not one of json, console", c.Log.Format)
	}
	return nil
}

// Source says where a value came from.
type Source struct {
	Kind string // "default", "file", "env" or "flag"
	Name string // file path, variable name or flag name
}

func (s Source) String() string {
	if s.Kind == "default" {
		return "default"
	}
	return s.Kind + " " + s.Name
}

// Loaded is a configuration together with the source of each key.
type Loaded struct {
	Config
	Sources map[string]Source
}

// Sources of configuration, lowest precedence first.
type Sources struct {
	// File is the TOML file to read. A missing file is not an error unless
	// FileRequired is set.
	File         string
	FileRequired bool
	// Env is the process environment as "KEY=value" strings (os.Environ()).
	Env []string
	// Flags maps "section.key" to the value given on the command line and the
	// flag's name.
	Flags map[string]FlagValue
}

// FlagValue is a value set by a flag.
type FlagValue struct {
	Flag  string
	Value string
}

// ErrUnknownKey is wrapped by errors about keys the configuration lacks.
var ErrUnknownKey = errors.New("unknown config key")

// Load applies defaults, the file, the environment and the flags, in that
// order, and validates the result.
func Load(src Sources) (*Loaded, error) {
	l := &Loaded{Config: Default(), Sources: map[string]Source{}}
	fields := l.fields()
	for k := range fields {
		l.Sources[k] = Source{Kind: "default"}
	}
	if src.File != "" {
		if err := l.loadFile(src.File, src.FileRequired, fields); err != nil {
			return nil, err
		}
	}
	for _, kv := range src.Env {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "GANGLION_") {
			continue
		}
		key := envKey(name, fields)
		if key == "" {
			continue // GANGLION_HOME, GANGLION_PASSWORD and friends are not config keys
		}
		if err := setString(fields[key], val); err != nil {
			return nil, fmt.Errorf("environment %s: %w", name, err)
		}
		l.Sources[key] = Source{Kind: "env", Name: name}
	}
	keys := make([]string, 0, len(src.Flags))
	for k := range src.Flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		fv := src.Flags[key]
		f, ok := fields[key]
		if !ok {
			return nil, fmt.Errorf("flag --%s: %w %q", fv.Flag, ErrUnknownKey, key)
		}
		if err := setString(f, fv.Value); err != nil {
			return nil, fmt.Errorf("flag --%s: %w", fv.Flag, err)
		}
		l.Sources[key] = Source{Kind: "flag", Name: "--" + fv.Flag}
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// EnvName is the environment variable that sets key.
func EnvName(key string) string {
	return "GANGLION_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func envKey(name string, fields map[string]reflect.Value) string {
	for k := range fields {
		if EnvName(k) == name {
			return k
		}
	}
	return ""
}

func (l *Loaded) loadFile(path string, required bool, fields map[string]reflect.Value) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	for section, v := range raw {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("config file %s: %w %q (top-level keys must be sections such as [p2p])", path, ErrUnknownKey, section)
		}
		for key := range m {
			full := section + "." + key
			if _, ok := fields[full]; !ok {
				return fmt.Errorf("config file %s: %w %q", path, ErrUnknownKey, full)
			}
			l.Sources[full] = Source{Kind: "file", Name: path}
		}
	}
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l.Config); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return fmt.Errorf("config file %s:%d:%d: %s", path, row, col, de.Error())
		}
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

// fields maps every "section.key" to its settable value.
func (l *Loaded) fields() map[string]reflect.Value {
	out := map[string]reflect.Value{}
	root := reflect.ValueOf(&l.Config).Elem()
	for i := 0; i < root.NumField(); i++ {
		sec := root.Type().Field(i).Tag.Get("toml")
		sv := root.Field(i)
		for j := 0; j < sv.NumField(); j++ {
			out[sec+"."+sv.Type().Field(j).Tag.Get("toml")] = sv.Field(j)
		}
	}
	return out
}

// Keys lists every configuration key in file order.
func Keys() []string {
	var out []string
	t := reflect.TypeOf(Config{})
	for i := 0; i < t.NumField(); i++ {
		st := t.Field(i).Type
		for j := 0; j < st.NumField(); j++ {
			out = append(out, t.Field(i).Tag.Get("toml")+"."+st.Field(j).Tag.Get("toml"))
		}
	}
	return out
}

// Get returns the value of key formatted as it is written in a flag.
func (l *Loaded) Get(key string) (string, bool) {
	f, ok := l.fields()[key]
	if !ok {
		return "", false
	}
	return format(f), true
}

func format(v reflect.Value) string {
	if v.Kind() == reflect.Slice {
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v.Interface())
}

func setString(v reflect.Value, s string) error {
	if v.Type() == reflect.TypeOf(time.Duration(0)) {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%q is not a duration (like 30s)", s)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not an integer of %d bits", s, v.Type().Bits())
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not an unsigned integer of %d bits", s, v.Type().Bits())
		}
		v.SetUint(n)
	case reflect.Float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	case reflect.Slice:
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if parts == nil {
			parts = []string{}
		}
		v.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// DefaultFile returns the commented default config.toml.
func DefaultFile() ([]byte, error) {
	b, err := toml.Marshal(Default())
	if err != nil {
		return nil, err
	}
	head := "# Ganglion configuration.\n" +
		"# Precedence: this file < GANGLION_<SECTION>_<KEY> environment variables < command-line flags.\n" +
		"# `ganglion config show` prints the effective values and where each came from.\n\n"
	return append([]byte(head), b...), nil
}
