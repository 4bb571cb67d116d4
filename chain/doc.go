// Package chain holds Ganglion's on-chain side: EIP-712 epoch reports, Merkle
// trees and proofs, the contracts' bindings, a JSON-RPC client, the report
// relayer and the Subtensor adapter.
//
// Import rules: chain is a core package. Roles and cmd may import it. It
// imports the leaf package protocol and internal utilities; never a role,
// never another core package.
package chain
