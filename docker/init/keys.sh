#!/bin/sh
# One-shot, before the chain starts (compose service "keys"): a random key
# password, the hotkeys of every node, the model, and HOME/config.toml that
# points every node's libp2p at the three validators. Safe to run again: it
# keeps what exists.
set -eu
PW=/ganglion/keys/password
MODEL="${GANGLION_MODEL:-stories260K}"

if [ ! -s "$PW" ]; then
  umask 077
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PW"
fi

for name in validator-0 validator-1 validator-2 miner-0 miner-1 miner-2 miner-3; do
  if ! ganglion keys show "$name" >/dev/null 2>&1; then
    ganglion keys new --name "$name" --password-file "$PW"
  fi
done

if [ "$MODEL" != random ]; then
  if [ -n "${GANGLION_MODELS_MIRROR:-}" ]; then
    ganglion models pull "$MODEL" --quiet --mirror "$GANGLION_MODELS_MIRROR"
  else
    ganglion models pull "$MODEL" --quiet
  fi
fi

# Bootstrap peers: /dns4/<service>/tcp/4001/p2p/<peer id of its key>.
boot=""
for v in validator-0 validator-1 validator-2; do
  id=$(ganglion keys show "$v" | sed -n 's/^peer id: *//p')
  boot="$boot${boot:+, }\"/dns4/$v/tcp/4001/p2p/$id\""
done
cat >/ganglion/config.toml <<TOML
# Written by docker/init/keys.sh; every ganglion command in the compose reads it.
[p2p]
bootstrap = [$boot]
TOML
cat /ganglion/config.toml
