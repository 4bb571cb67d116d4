// Package store is the validator's embedded crash-safe state: per-miner EMA
// scores with every score term of the latest responses (for explain),
// pending weight commits and their salts, revealed weight rows per epoch,
// epoch outputs and the path of the relayer outbox.
//
// It is a single bbolt file: ACID transactions, fsync on every commit, no
// cgo. A write is either fully on disk or not at all, so a validator killed
// at any moment restarts from the last acknowledged state.
//
// Import rules: only the validator role (validator and its subpackages) and
// cmd/ganglion import it.
package store
