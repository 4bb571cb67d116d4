package deptest

import (
	"fmt"
	"strings"
)

// Module is this module's path.
const Module = "github.com/ganglion-subnet/ganglion"

// Layer is a package's place in the dependency direction.
type Layer int

// Layers, outermost first.
const (
	LayerExternal Layer = iota
	LayerCmd
	LayerTestnet
	LayerRole
	LayerCore
	LayerUtil
	LayerLeaf
)

// Classify returns the layer and the top-level area (e.g. "miner",
// "scoring") of an import path.
func Classify(pkg string) (Layer, string) {
	if pkg != Module && !strings.HasPrefix(pkg, Module+"/") {
		return LayerExternal, ""
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, Module), "/")
	top, rest, _ := strings.Cut(rel, "/")
	switch top {
	case "cmd":
		return LayerCmd, top
	case "miner", "validator", "gateway":
		return LayerRole, top
	case "scoring", "models", "p2p", "chain":
		return LayerCore, top
	case "protocol":
		return LayerLeaf, top
	case "internal":
		sub, _, _ := strings.Cut(rest, "/")
		if sub == "testnet" {
			return LayerTestnet, "internal/testnet"
		}
		return LayerUtil, "internal/" + sub
	}
	return LayerUtil, top
}

// heavyDeps may only be linked by the packages listed with them: the
// simulated chain adds ≈40 MB to a binary.
var heavyDeps = map[string][]string{
	"github.com/ethereum/go-ethereum/ethclient/simulated": {"cmd", "internal/testnet", "chain/devchain"},
}

// Check returns the rule violations of pkg importing (directly or not) dep.
func Check(pkg, dep string) error {
	pl, pa := Classify(pkg)
	dl, da := Classify(dep)
	if allowed, ok := heavyDeps[dep]; ok {
		rel := strings.TrimPrefix(pkg, Module+"/")
		for _, a := range allowed {
			if rel == a || strings.HasPrefix(rel, a+"/") {
				return nil
			}
		}
		return fmt.Errorf("%s links %s (only %v may)", pkg, dep, allowed)
	}
	if dl == LayerExternal || pl == LayerExternal {
		return nil
	}
	switch {
	case dl == LayerCmd:
		return fmt.Errorf("%s imports a command (%s)", pkg, dep)
	case dl == LayerTestnet && pl != LayerTestnet && pl != LayerCmd:
		return fmt.Errorf("%s imports the test harness %s (tests only)", pkg, dep)
	}
	switch pl {
	case LayerCmd, LayerTestnet:
		return nil
	case LayerRole:
		if dl == LayerRole && da != pa {
			return fmt.Errorf("role %s imports role %s", pkg, dep)
		}
	case LayerCore:
		if dl == LayerRole {
			return fmt.Errorf("core package %s imports role %s", pkg, dep)
		}
		if dl == LayerCore && da != pa {
			return fmt.Errorf("core package %s imports another core package %s", pkg, dep)
		}
	case LayerUtil:
		if dl != LayerUtil {
			return fmt.Errorf("internal utility %s imports %s (utilities import only utilities)", pkg, dep)
		}
	case LayerLeaf:
		if da != pa {
			return fmt.Errorf("leaf package %s imports %s (protocol imports nothing internal)", pkg, dep)
		}
	}
	return nil
}
