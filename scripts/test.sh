#!/usr/bin/env bash
# Ganglion's test command (README.md, Quickstart). It installs what the tests
# need, checks formatting, vets, and runs every test; the concurrent packages
# also run under the race detector. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

export GANGLION_TESTDATA="${GANGLION_TESTDATA:-$(cd .. && pwd)/shared/testdata/models}"
# In CI a missing fixture is a failure, never a skip.
if [ "${CI:-}" = "true" ]; then export GANGLION_REQUIRE_TESTDATA=1; fi

step() { printf '\n== %s\n' "$*"; }

step "go modules"
go mod download
go mod verify >/dev/null

step "generated protobuf code is current"
gen_tmp=$(mktemp -d)
scripts/gen-proto.sh "$gen_tmp" >/dev/null
for f in "$gen_tmp"/*.pb.go; do
	if ! cmp -s "$f" "protocol/$(basename "$f")"; then
		echo "protocol/$(basename "$f") is stale: run scripts/gen-proto.sh"
		rm -rf "$gen_tmp"
		exit 1
	fi
done
rm -rf "$gen_tmp"

step "node packages (js-libp2p interop peer, solc, ethers, openai)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	apt-get update -qq >/dev/null && apt-get install -y -qq nodejs npm >/dev/null
fi
(cd p2p/interop/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) ||
	(cd p2p/interop/js && npm ci --no-audit --no-fund --loglevel=error)
(cd chain/contracts && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) ||
	(cd chain/contracts && npm ci --no-audit --no-fund --loglevel=error)
(cd gateway/testdata/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) ||
	(cd gateway/testdata/js && npm ci --no-audit --no-fund --loglevel=error)
# Node and the packages are present: tests that talk to js-libp2p or check
# signatures with ethers must run, not skip.
export GANGLION_REQUIRE_INTEROP=1

step "chromium (the dashboard's browser test)"
if ! command -v chromium >/dev/null; then
	apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# Chromium is present: the browser test must run, not skip.
export GANGLION_REQUIRE_BROWSER=1

step "gofmt"
bad=$(gofmt -l $(git ls-files '*.go') 2>&1 || true)
if [ -n "$bad" ]; then printf 'gofmt would change:\n%s\n' "$bad"; exit 1; fi

step "contracts"
# The Solidity artifacts and Go bindings must match chain/contracts/*.sol:
# rebuild them into a temp dir (pinned solc from npm, abigen of the pinned
# go-ethereum) and diff.
scripts/gen-contracts.sh --check

step "go vet"
go vet ./...

step "go test"
go test -count=1 -timeout 20m ./...

# Packages with goroutines of their own run again under the race detector.
race_pkgs=$(go list ./... | grep -E '/(p2p|miner|validator|gateway|chain|internal/testnet)(/|$)' || true)
if [ -n "$race_pkgs" ]; then
	step "go test -race"
	go test -race -count=1 -timeout 20m $race_pkgs
fi
