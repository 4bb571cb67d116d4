// Package testnet is an in-process harness for tests: it starts several
// Ganglion nodes on loopback and offers helpers to connect, partition,
// disconnect, kill and restart them, run real miners on them (StartMiner)
// and turn a real miner into a cheating one on the wire (Options.Twist).
//
// Import rules: tests only. It may import every package of the module; only
// _test.go files may import it.
package testnet
