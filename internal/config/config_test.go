package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(file, []byte("[log]\nlevel = \"warn\"\nformat = \"json\"\n[chain]\nnetuid = 7\n"), 0o600)
	l, err := Load(Sources{
		File:  file,
		Env:   []string{"GANGLION_LOG_LEVEL=debug", "GANGLION_HOME=/x", "PATH=/bin", "GANGLION_P2P_BOOTSTRAP=/ip4/127.0.0.1/tcp/1, /ip4/127.0.0.1/tcp/2"},
		Flags: map[string]FlagValue{"log.format": {Flag: "log-format", Value: "console"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.Log.Level != "debug" || l.Sources["log.level"].String() != "env GANGLION_LOG_LEVEL" {
		t.Errorf("log.level = %q from %v", l.Log.Level, l.Sources["log.level"])
	}
	if l.Log.Format != "console" || l.Sources["log.format"].String() != "flag --log-format" {
		t.Errorf("log.format = %q from %v", l.Log.Format, l.Sources["log.format"])
	}
	if l.Chain.Netuid != 7 || l.Sources["chain.netuid"].Kind != "file" {
		t.Errorf("chain.netuid = %d from %v", l.Chain.Netuid, l.Sources["chain.netuid"])
	}
	if len(l.P2P.Bootstrap) != 2 || l.P2P.Bootstrap[1] != "/ip4/127.0.0.1/tcp/2" {
		t.Errorf("bootstrap = %q", l.P2P.Bootstrap)
	}
	if l.Sources["metrics.listen"].Kind != "default" {
		t.Errorf("metrics.listen source %v", l.Sources["metrics.listen"])
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	n := 0
	write := func(s string) string {
		n++
		p := filepath.Join(dir, fmt.Sprintf("c%d.toml", n))
		os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	cases := []struct {
		src  Sources
		want string
	}{
		{Sources{File: write("[p2p]\nlisten = []\nfoo = 1\n")}, `unknown config key "p2p.foo"`},
		{Sources{File: write("[nosuch]\na = 1\n")}, `unknown config key "nosuch.a"`},
		{Sources{File: write("[log\n")}, "config file"},
		{Sources{File: write("[chain]\nnetuid = \"x\"\n")}, "config file"},
		{Sources{Env: []string{"GANGLION_CHAIN_NETUID=70000"}}, "GANGLION_CHAIN_NETUID"},
		{Sources{Flags: map[string]FlagValue{"log.level": {"log-level", "loud"}}}, "log.level"},
		{Sources{File: filepath.Join(dir, "missing.toml"), FileRequired: true}, "no such file"},
	}
	for _, c := range cases {
		_, err := Load(c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want error containing %q", c.src, err, c.want)
		}
	}
	_, err := Load(Sources{File: write("[p2p]\nfoo = 1\n")})
	if !errors.Is(err, ErrUnknownKey) {
		t.Errorf("want ErrUnknownKey, got %v", err)
	}
}

func TestDefaultFileRoundTrips(t *testing.T) {
	b, err := DefaultFile()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "# debug, info, warn or error") {
		t.Fatalf("default file has no comments:\n%s", b)
	}
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, b, 0o600)
	l, err := Load(Sources{File: p, FileRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		if l.Sources[k].Kind != "file" {
			t.Errorf("key %s missing from the default file", k)
		}
		want, _ := (&Loaded{Config: Default()}).Get(k)
		if got, _ := l.Get(k); got != want {
			t.Errorf("%s: file gives %q, default %q", k, got, want)
		}
	}
}
