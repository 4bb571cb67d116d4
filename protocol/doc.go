// Package protocol defines Ganglion's wire protocol: the protobuf messages,
// the canonical signing bytes, the signed envelope, topic names, stream
// protocol IDs and size limits.
//
// Import rules: protocol is the leaf package. Everything may import it; it
// imports no other package of this module (internal ones included).
package protocol
