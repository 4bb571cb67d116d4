// Package devchain runs a development EVM chain in the process: go-ethereum's
// simulated backend with Prague-era rules (not the simulated default, which
// enables Osaka and an Amsterdam-era state-gas schedule), a block committed
// every BlockTime, JSON-RPC served over HTTP on loopback, dev accounts funded
// at genesis, and Ganglion's SubnetRegistry and EmissionsLedger deployed.
//
// Import rules: only cmd, internal/testnet and tests may import devchain. It
// links go-ethereum's whole node (≈40 MB), which miners and validators must
// not carry.
package devchain
