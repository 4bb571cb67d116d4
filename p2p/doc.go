// Package p2p builds the libp2p host from the operator's key, runs gossipsub
// with a validator on every topic and peer scoring, serves the direct stream
// protocol /ganglion/infer/1.0.0 and discovers peers.
//
// Import rules: p2p is a core package. Roles and cmd may import it. It imports
// the leaf package protocol and internal utilities; never a role, never
// another core package.
package p2p
