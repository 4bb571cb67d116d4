// Package miner implements the miner role: it loads models once, announces its
// capabilities on the announce topic, takes queries from registered validators
// and authorised gateways, runs them in a worker pool over the model engine,
// streams token chunks back over /ganglion/infer/1.0.0 and ends every answer
// with a signed Receipt.
//
// Import rules: miner is a role. Only cmd/ganglion and internal/testnet may
// import it. It may import the core packages (scoring, models, p2p, chain), the
// leaf package protocol and internal utilities, never another role.
package miner
