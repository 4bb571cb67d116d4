#!/usr/bin/env bash
# gen-contracts.sh rebuilds the contract artifacts (chain/contracts/build) and
# their Go bindings (chain/bindings) from chain/contracts/*.sol with the solc
# pinned in chain/contracts/package.json and abigen v2 of the pinned
# go-ethereum.
#
#   scripts/gen-contracts.sh            regenerate in place
#   scripts/gen-contracts.sh --check    regenerate into a temp dir and fail if
#                                       the checked-in files differ (CI)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
contracts=$root/chain/contracts
abigen_version=v1.17.10

check=0
if [ "${1:-}" = "--check" ]; then check=1; fi

if [ ! -d "$contracts/node_modules/solc" ] || [ ! -d "$contracts/node_modules/ethers" ]; then
	(cd "$contracts" && npm ci --silent --no-audit --no-fund >/dev/null)
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/build" "$out/bindings"
node "$contracts/compile.js" "$out/build" 2>/dev/null

# abigen runs outside the module: inside it, go run needs abigen's whole
# dependency graph in go.sum. GOFLAGS is cleared so -mod settings do not leak.
for abi in "$out"/build/*.abi; do
	name=$(basename "$abi" .abi)
	lower=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
	(cd "$out" && GOFLAGS= go run "github.com/ethereum/go-ethereum/cmd/abigen@$abigen_version" --v2 \
		--abi "$abi" --bin "$out/build/$name.bin" --pkg bindings --type "$name" \
		--out "$out/bindings/$lower.go")
done

if [ "$check" = 1 ]; then
	fail=0
	diff -r "$out/build" "$contracts/build" || fail=1
	for f in "$out"/bindings/*.go; do
		diff "$f" "$root/chain/bindings/$(basename "$f")" || fail=1
	done
	if [ "$fail" = 1 ]; then
		echo "chain/contracts: artifacts or bindings are stale: run scripts/gen-contracts.sh" >&2
		exit 1
	fi
	exit 0
fi

mkdir -p "$contracts/build" "$root/chain/bindings"
rm -f "$contracts"/build/*.abi "$contracts"/build/*.bin
cp "$out"/build/* "$contracts/build/"
cp "$out"/bindings/*.go "$root/chain/bindings/"
echo "wrote chain/contracts/build and chain/bindings"
