// Package validator implements the validator role: metagraph sync from the
// chain, unpredictable challenges, verification of miners' receipts by exact
// re-execution, score keeping, weight commit-reveal, the epoch driver and the
// relay of signed epoch reports.
//
// Import rules: validator is a role. Only cmd/ganglion and internal/testnet may
// import it. It may import the core packages (scoring, models, p2p, chain), the
// leaf package protocol and internal utilities, never another role.
package validator
