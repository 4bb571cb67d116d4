// Package gateway implements the consumer API: an OpenAI-compatible HTTP
// server that routes requests to miners by validator score, streams answers
// as server-sent events, checks receipts and enforces API keys and rate limits.
//
// Import rules: gateway is a role. Only cmd/ganglion and internal/testnet may
// import it. It may import the core packages (scoring, models, p2p, chain), the
// leaf package protocol and internal utilities, never another role.
package gateway
