package deptest

import (
	"os"
	"strings"
	"testing"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"go.uber.org/zap"
	"golang.org/x/mod/modfile"
	"gorgonia.org/gorgonia"
)

// TestMandatedVersions checks go.mod against ../shared/design/STACK.md.
func TestMandatedVersions(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"github.com/ethereum/go-ethereum":    "v1.17.10",
		"github.com/libp2p/go-libp2p":        "v0.51.0",
		"github.com/libp2p/go-libp2p-pubsub": "v0.19.0",
		"go.uber.org/zap":                    "v1.28.0",
		"gorgonia.org/gorgonia":              "v0.9.18",
		"gorgonia.org/tensor":                "v0.9.24",
		"gonum.org/v1/gonum":                 "v0.17.0",
		"go4.org/unsafe/assume-no-moving-gc": "v0.0.0-20231121144256-b99613f794b6",
	}
	got := map[string]string{}
	for _, r := range f.Require {
		got[r.Mod.Path] = r.Mod.Version
	}
	for p, v := range want {
		if got[p] != v {
			t.Errorf("go.mod requires %s %q, want %s", p, got[p], v)
		}
	}
	if f.Module.Mod.Path != Module || !strings.HasPrefix(f.Go.Version, "1.26") {
		t.Errorf("module %s go %s", f.Module.Mod.Path, f.Go.Version)
	}
}

// TestMandatedPackagesLink links the four mandated packages into one binary.
// Reaching this test at all proves the assume-no-moving-gc pin works: without
// it gorgonia's dependency panics at init on Go 1.26.
func TestMandatedPackagesLink(t *testing.T) {
	g := gorgonia.NewGraph()
	x := gorgonia.NewScalar(g, gorgonia.Float32, gorgonia.WithName("x"), gorgonia.WithValue(float32(3)))
	y := gorgonia.Must(gorgonia.Mul(x, x))
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	if y.Value().Data().(float32) != 9 {
		t.Fatalf("3*3 = %v", y.Value())
	}
	if p := pubsub.DefaultGossipSubParams(); p.D == 0 {
		t.Fatal("gossipsub params empty")
	}
	k, err := ethcrypto.GenerateKey()
	if err != nil || k == nil {
		t.Fatal(err)
	}
	zap.NewNop().Info("linked")
}
