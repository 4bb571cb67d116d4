#!/bin/sh
# One-shot, once the dev chain is healthy (compose service "init"): registers
# the three validators with unequal stakes (50, 30, 20 coins) and the four
# miners. The dev chain keeps its state in memory, so this runs after every
# chain start; a key already on the metagraph is left alone.
set -eu
RPC=http://chain:8545
PW=/ganglion/keys/password

registered() {
  addr=$(ganglion keys show "$1" | sed -n 's/^address: *//p')
  ganglion chain metagraph --rpc "$RPC" --json | grep -qi "$addr"
}

for v in validator-0:50 validator-1:30 validator-2:20; do
  name=${v%%:*}
  stake=${v#*:}
  if registered "$name"; then
    echo "$name: already registered"
    continue
  fi
  ganglion chain register --rpc "$RPC" --role validator --key "$name" --password-file "$PW"
  ganglion chain stake --rpc "$RPC" --amount "$stake" --key "$name" --password-file "$PW"
done

for m in miner-0 miner-1 miner-2 miner-3; do
  if registered "$m"; then
    echo "$m: already registered"
    continue
  fi
  ganglion chain register --rpc "$RPC" --role miner --key "$m" --password-file "$PW"
done

ganglion chain metagraph --rpc "$RPC"
