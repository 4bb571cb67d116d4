package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/ganglion-subnet/ganglion/internal/identity"
)

// TestMain lets the test binary act as the ganglion binary, so tests can
// check real exit codes and stderr without a separate go build.
func TestMain(m *testing.M) {
	if os.Getenv("GANGLION_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type result struct {
	stdout, stderr string
	err            error
}

// run executes ganglion in-process with the given environment.
func run(t *testing.T, environ []string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{environ: environ, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		userDir: func() (string, error) { return "", errors.New("no user dir in tests") }}
	cmd := newApp(e).root()
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return result{out.String(), errb.String(), err}
}

func field(t *testing.T, out, name string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %q in output:\n%s", name, out)
	return ""
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeysNewDecryptsToPrintedAddress(t *testing.T) {
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "s3cret\n")
	r := run(t, []string{"GANGLION_HOME=" + home}, "keys", "new", "--name", "op", "--password-file", pw, "--light-kdf")
	if r.err != nil {
		t.Fatal(r.err)
	}
	addr := common.HexToAddress(field(t, r.stdout, "address"))
	pid, err := peer.Decode(field(t, r.stdout, "peer id"))
	if err != nil {
		t.Fatal(err)
	}
	file := field(t, r.stdout, "file")
	if !strings.HasPrefix(file, home) {
		t.Fatalf("key written to %s, outside home %s", file, home)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("keystore mode %v (%v)", st.Mode().Perm(), err)
	}
	blob, _ := os.ReadFile(file)
	key, err := keystore.DecryptKey(blob, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if key.Address != addr {
		t.Fatalf("keystore holds %s, printed %s", key.Address, addr)
	}
	fromPeer, err := identity.Address(pid)
	if err != nil || fromPeer != addr {
		t.Fatalf("peer id holds %s (%v), printed address %s", fromPeer, err, addr)
	}

	// list and show need no password
	r = run(t, []string{"GANGLION_HOME=" + home}, "keys", "list")
	if r.err != nil || !strings.Contains(r.stdout, addr.Hex()) || !strings.Contains(r.stdout, pid.String()) {
		t.Fatalf("list: %v\n%s", r.err, r.stdout)
	}
	r = run(t, nil, "--home", home, "keys", "show", "op")
	if r.err != nil || field(t, r.stdout, "address") != addr.Hex() {
		t.Fatalf("show: %v\n%s", r.err, r.stdout)
	}

	// the password comes from the environment too
	r = run(t, []string{"GANGLION_HOME=" + home, "GANGLION_PASSWORD=s3cret"}, "keys", "export", "op", "--unsafe-print-private-key")
	if r.err != nil {
		t.Fatal(r.err)
	}
	raw, _ := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(r.stdout), "0x"))
	if !bytes.Equal(raw, ethcrypto.FromECDSA(key.PrivateKey)) {
		t.Fatal("printed private key differs from the keystore's")
	}
	out := filepath.Join(t.TempDir(), "exported.json")
	if r = run(t, []string{"GANGLION_HOME=" + home}, "keys", "export", "op", "--out", out); r.err != nil {
		t.Fatal(r.err)
	}
	exp, _ := os.ReadFile(out)
	if !bytes.Equal(exp, blob) {
		t.Fatal("exported keystore differs from the stored one")
	}
}

func TestKeysImport(t *testing.T) {
	home := t.TempDir()
	tmp := t.TempDir()
	ks := keystore.NewKeyStore(filepath.Join(tmp, "geth"), keystore.LightScryptN, keystore.LightScryptP)
	acct, err := ks.NewAccount("geth-pw")
	if err != nil {
		t.Fatal(err)
	}
	pw := writeFile(t, tmp, "pw", "geth-pw")
	r := run(t, []string{"GANGLION_HOME=" + home}, "keys", "import", "--name", "g", "--keystore", acct.URL.Path, "--password-file", pw)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := field(t, r.stdout, "address"); got != acct.Address.Hex() {
		t.Fatalf("imported address %s, want %s", got, acct.Address.Hex())
	}

	priv, _ := ethcrypto.GenerateKey()
	pk := writeFile(t, tmp, "pk", hex.EncodeToString(ethcrypto.FromECDSA(priv)))
	r = run(t, []string{"GANGLION_HOME=" + home, "GANGLION_PASSWORD=x"}, "keys", "import", "--name", "p", "--private-key-file", pk, "--light-kdf")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := field(t, r.stdout, "address"); got != ethcrypto.PubkeyToAddress(priv.PublicKey).Hex() {
		t.Fatalf("imported %s", got)
	}
}

func TestBadInputErrors(t *testing.T) {
	home := t.TempDir()
	tmp := t.TempDir()
	env := []string{"GANGLION_HOME=" + home, "GANGLION_PASSWORD=right"}
	if r := run(t, env, "keys", "new", "--name", "k", "--light-kdf"); r.err != nil {
		t.Fatal(r.err)
	}
	corrupt := writeFile(t, tmp, "corrupt.json", `{"address":"00","crypto":{"cipher":`)
	wrongShape := writeFile(t, tmp, "shape.json", `{"address":"00","crypto":{"cipher":"aes-128-ctr","kdf":"scrypt"},"version":3}`)
	cfgBad := writeFile(t, tmp, "bad.toml", "[p2p]\nlistne = []\n")
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"wrong password", []string{"GANGLION_HOME=" + home, "GANGLION_PASSWORD=wrong"}, []string{"keys", "export", "k", "--unsafe-print-private-key"}, "wrong password"},
		{"name taken", env, []string{"keys", "new", "--name", "k", "--light-kdf"}, "already taken"},
		{"malformed keystore", env, []string{"keys", "import", "--name", "c", "--keystore", corrupt}, "not a valid keystore"},
		{"keystore missing fields", env, []string{"keys", "import", "--name", "c", "--keystore", wrongShape}, "not a valid keystore"},
		{"unreadable file", env, []string{"keys", "import", "--name", "c", "--keystore", filepath.Join(tmp, "nope.json")}, "no such file"},
		{"unknown key", env, []string{"keys", "show", "ghost"}, "no such key"},
		{"no password source", []string{"GANGLION_HOME=" + home}, []string{"keys", "new", "--name", "z"}, "no password"},
		{"unknown config key", env, []string{"--config", cfgBad, "config", "show"}, `unknown config key "p2p.listne"`},
		{"bad log level flag", env, []string{"--log-level", "loud", "config", "show"}, "log.level"},
		{"export target exists", env, []string{"keys", "export", "k", "--out", corrupt}, "file exists"},
	}
	for _, c := range cases {
		r := run(t, c.env, c.args...)
		if r.err == nil || !strings.Contains(r.err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, r.err, c.want)
			continue
		}
		if strings.Contains(r.err.Error(), "\n") {
			t.Errorf("%s: error spans several lines: %q", c.name, r.err)
		}
	}
	// the failed import left nothing behind
	if r := run(t, env, "keys", "list", "--json"); strings.Contains(r.stdout, `"c"`) {
		t.Fatalf("a failed import left a key: %s", r.stdout)
	}
}

func TestConfigInitAndShow(t *testing.T) {
	home := t.TempDir()
	r := run(t, []string{"GANGLION_HOME=" + home}, "config", "init")
	if r.err != nil {
		t.Fatal(r.err)
	}
	path := filepath.Join(home, "config.toml")
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "# ") {
		t.Fatalf("config.toml: %v\n%s", err, b)
	}
	if r = run(t, []string{"GANGLION_HOME=" + home}, "config", "init"); r.err == nil {
		t.Fatal("config init overwrote an existing file")
	}
	// file says json; env says debug; flag says warn for the level.
	os.WriteFile(path, []byte(strings.Replace(string(b), `format = 'console'`, `format = 'json'`, 1)), 0o644)
	r = run(t, []string{"GANGLION_HOME=" + home, "GANGLION_LOG_LEVEL=debug", "GANGLION_CHAIN_NETUID=9"},
		"config", "show", "--log-level", "warn")
	if r.err != nil {
		t.Fatal(r.err)
	}
	for key, want := range map[string][2]string{
		"log.level":    {`"warn"`, "flag --log-level"},
		"log.format":   {`"json"`, "file " + path},
		"chain.netuid": {`"9"`, "env GANGLION_CHAIN_NETUID"},
		"p2p.announce": {`""`, "file " + path},
	} {
		if f := strings.Fields(field(t, strings.ReplaceAll(r.stdout, key+" ", key+":"), key)); len(f) < 2 || f[0] != want[0] ||
			strings.Join(f[1:], " ") != want[1] {
			t.Errorf("config show: %s is %q, want %q from %q:\n%s", key, f, want[0], want[1], r.stdout)
		}
	}
}

// TestBinaryExitCodes runs the real main: one error line, exit status 1.
func TestBinaryExitCodes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "keys", "show", "ghost", "--home", t.TempDir())
	cmd.Env = append(os.Environ(), "GANGLION_TEST_AS_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("want exit status 1, got %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "ganglion: ") {
		t.Fatalf("want one error line, got %q", stderr.String())
	}

	cmd = exec.Command(exe, "version")
	cmd.Env = append(os.Environ(), "GANGLION_TEST_AS_MAIN=1")
	out, err := cmd.Output()
	if err != nil || !strings.HasPrefix(string(out), "ganglion v") {
		t.Fatalf("version: %q %v", out, err)
	}
}
