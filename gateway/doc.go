// Package gateway is Ganglion's OpenAI-compatible HTTP API for consumers:
// GET /v1/models, POST /v1/chat/completions and POST /v1/completions
// (streaming and not). It tokenizes prompts with the model files it was
// given, publishes each request as a signed Query through its p2p node (a
// validator's key, see docs/miner.md), routes it to one miner announcing
// the model, retries another miner on busy, timeout or an invalid receipt
// before any token reached the client, and streams the answer back.
//
// Only cmd/... may import this package.
package gateway
