#!/usr/bin/env bash
# Cross-architecture determinism check for the models engine: builds the
# models tests for arm64 and runs the determinism tests under qemu-user. They
# compare every logits digest with testdata/determinism.golden.json, written
# on amd64, so a pass means arm64 computes the same bits as amd64.
# Usage: scripts/cross-arch.sh   (installs Debian's qemu-user when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v qemu-aarch64 >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null && apt-get install -y -qq qemu-user >/dev/null
	else
		echo "cross-arch: qemu-aarch64 missing: apt-get install qemu-user" >&2
		exit 1
	fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOARCH=arm64 CGO_ENABLED=0 go test -c -o "$tmp/models.arm64.test" ./models
# Run from the package directory so testdata/ resolves.
cd models
if ! qemu-aarch64 "$tmp/models.arm64.test" -test.run 'Determinism|DotKernels|MathMatches|Random|Stories260KGreedyGolden|Rand64h192' -test.v -test.count=1 >"$tmp/out" 2>&1; then
	cat "$tmp/out"
	echo "cross-arch: FAILED on arm64" >&2
	exit 1
fi
grep -E '^(--- |ok)' "$tmp/out"
echo "cross-arch: arm64 (qemu) reproduces the amd64 digests"
