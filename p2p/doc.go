// Package p2p builds the libp2p host from the operator's key, runs gossipsub
// with a validator on every topic and peer scoring, serves the direct stream
// protocol /ganglion/infer/1.0.0 and discovers peers. docs/protocol.md is the
// wire specification; this package is its Go implementation.
//
// # Node
//
// New(key, cfg, opts...) starts a host whose peer ID and Ethereum address come
// from the same secp256k1 key (TCP + QUIC, noise, yamux, resource and
// connection managers) and joins the subnet's four topics with validators.
// Run(ctx) dials bootstrap peers (and redials them), runs mDNS and the DHT
// rendezvous when enabled; Close stops everything. Options: WithLogger,
// WithMetrics, WithMembership (who may publish; AllowAll by default),
// WithClock, WithLibp2pOptions.
//
// # Gossip
//
// Publish(ctx, msg) seals a *protocol.Query, *protocol.Announce,
// *protocol.WeightCommit, *protocol.WeightReveal or *protocol.ReportSignature
// in a signed envelope and publishes it on the topic for its type. It is
// safe for concurrent callers and waits while a peer's outbound queue is
// over PublishQueueLimit instead of letting gossipsub drop the message
// (backpressure.go; docs/protocol.md, "Queues and publishing under load").
// Subscribe(kind).Next(ctx) returns validated messages: every one passed the
// signature, author-binding, timestamp, size, type, membership and replay
// checks; anything else was rejected and its forwarder's score dropped.
//
// # Infer streams
//
// The querier calls Await(queryID, n) before publishing the query and reads
// each miner's *InferStream from Responses.Streams() with Next or Collect:
// chunks, then a verified Receipt or Reject. The miner calls
// OpenInferStream(ctx, querierPeer, queryID), then Chunk… and Receipt or
// Reject (or Abort). Every failure (reset, peer killed, stall past
// Config.StreamTimeout, protocol violation) is an error wrapping
// ErrStreamBroken, never a hang.
//
// Import rules: p2p is a core package. Roles and cmd may import it. It imports
// the leaf package protocol and internal utilities; never a role, never
// another core package.
package p2p
