#!/usr/bin/env bash
# Regenerates protocol/*.pb.go from protocol/proto/*.proto.
#   scripts/gen-proto.sh            write into protocol/
#   scripts/gen-proto.sh OUTDIR     write into OUTDIR (the staleness check)
# Needs protoc (apt-get install protobuf-compiler) and protoc-gen-go at the
# google.golang.org/protobuf version in go.mod; both are installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-protocol}"

if ! command -v protoc >/dev/null 2>&1; then
	(apt-get update -qq && apt-get install -y -qq protobuf-compiler) >/dev/null
fi
want=$(go list -m -f '{{.Version}}' google.golang.org/protobuf)
gen="$(go env GOPATH)/bin/protoc-gen-go"
if [ ! -x "$gen" ] || [ "$("$gen" --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
	go install "google.golang.org/protobuf/cmd/protoc-gen-go@$want"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc --plugin=protoc-gen-go="$gen" -I protocol/proto --go_out="$tmp" \
	--go_opt=paths=source_relative protocol/proto/*.proto
mkdir -p "$out"
cp "$tmp"/*.pb.go "$out"/
