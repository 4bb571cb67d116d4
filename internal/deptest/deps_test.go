package deptest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	m := Module + "/"
	cases := []struct {
		pkg, dep string
		ok       bool
	}{
		{m + "cmd/ganglion", m + "miner", true},
		{m + "miner", m + "models", true},
		{m + "miner", m + "protocol", true},
		{m + "miner", m + "internal/keyring", true},
		{m + "miner", m + "validator", false},
		{m + "gateway", m + "miner", false},
		{m + "validator/store", m + "validator", true},
		{m + "models", m + "miner", false},
		{m + "p2p", m + "protocol", true},
		{m + "p2p", m + "chain", false},
		{m + "scoring", m + "scoring/yuma", true},
		{m + "scoring/yuma", m + "models", false},
		{m + "protocol", m + "internal/identity", false},
		{m + "protocol", m + "protocol/pb", true},
		{m + "protocol", "google.golang.org/protobuf/proto", true},
		{m + "internal/keyring", m + "internal/identity", true},
		{m + "internal/keyring", m + "p2p", false},
		{m + "miner", m + "internal/testnet", false},
		{m + "internal/testnet", m + "miner", true},
		{m + "miner", "github.com/ethereum/go-ethereum/ethclient/simulated", false},
		{m + "chain", "github.com/ethereum/go-ethereum/ethclient/simulated", false},
		{m + "chain/devchain", "github.com/ethereum/go-ethereum/ethclient/simulated", true},
		{m + "cmd/ganglion", "github.com/ethereum/go-ethereum/ethclient/simulated", true},
	}
	for _, c := range cases {
		err := Check(c.pkg, c.dep)
		if (err == nil) != c.ok {
			t.Errorf("%s → %s: got %v, want allowed=%v", c.pkg, c.dep, err, c.ok)
		}
	}
}

// TestDependencyDirection applies the rules to every package of the module
// (non-test dependencies, direct and transitive).
func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, Module+"/...").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		n++
		for _, dep := range f[1:] {
			if err := Check(f[0], dep); err != nil {
				t.Error(err)
			}
		}
	}
	if n < 10 {
		t.Fatalf("go list saw only %d packages", n)
	}
}
