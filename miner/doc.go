// Package miner implements the miner role: it loads models once, announces its
// capabilities on the announce topic, takes queries from registered validators
// and authorised gateways, runs them in a worker pool over the model engine,
// streams token chunks back over /ganglion/infer/1.0.0 and ends every answer
// with a signed Receipt.
//
// New(cfg, node, models, opts...) builds a Miner over a started p2p node;
// Run(ctx) serves until ctx ends and then shuts down gracefully (queued
// queries get Reject/shutting_down, running ones get Config.Grace to finish,
// then are cancelled the same way). Options: WithLogger, WithMetrics,
// WithMembership (who may query: permitted validators; their gateways publish
// with the validator's key), WithStake (queue priority), WithUID (targets by
// uid), WithClock.
//
// Intake drops (with a metric and a debug log) messages that are not queries,
// whose sender field is not the signer, or whose sender is not a validator;
// it rejects rate-limited senders (a token bucket each), passed deadlines,
// unknown models and bad requests, and answers busy at once when the
// model's bounded, stake-ordered queue is full.
//
// Each model has one Engine and Config.Slots Workers; a worker batches up to
// MaxConcurrency/Slots sequences into every Forward step (prefills split into
// pieces of at most Config.PrefillRows rows), which the engine keeps
// bit-identical to generating each sequence alone. Handler serves /healthz,
// /status and /metrics. docs/miner.md is the operator's guide.
//
// Import rules: miner is a role. Only cmd/ganglion and internal/testnet may
// import it. It may import the core packages (scoring, models, p2p, chain), the
// leaf package protocol and internal utilities, never another role.
package miner
