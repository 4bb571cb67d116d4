//go:build race

package p2p_test

// raceEnabled: the race detector slows the pure-Go secp256k1 of libp2p
// ≈20×, so load tests scale their bursts down under -race.
const raceEnabled = true
