// Package protocol defines Ganglion's wire protocol: the protobuf messages
// (generated from proto/ganglion.proto by scripts/gen-proto.sh), the
// canonical signing bytes, the signed envelope, topic names, stream protocol
// IDs, stream frames and size limits. docs/protocol.md is the specification.
//
// Seal signs a message into an Envelope; Opener.Open verifies one received
// from a peer (size, version, domain, type, timestamp window, signature,
// payload shape, sender field); ReplayCache catches reused nonces.
// WriteFrame/ReadFrame encode the frames of /ganglion/infer/1.0.0.
//
// Import rules: protocol is the leaf package. Everything may import it; it
// imports no other package of this module (internal ones included).
package protocol
