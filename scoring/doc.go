// Package scoring holds the pure functions that turn verified responses into
// weights: per-response scores (correctness, latency, throughput,
// availability), per-miner exponential moving averages, normalised weight rows
// and their u16 quantisation. Its sub-package yuma computes the Yuma Consensus
// epoch bit for bit as Subtensor does.
//
// Import rules: scoring is a core package. Roles and cmd may import it. It
// imports only the leaf package protocol and the standard library; never a
// role, never another core package.
package scoring
