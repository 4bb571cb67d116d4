// Package weights turns a validator's miner scores into a quantised weight
// row and keeps the commit-reveal bookkeeping of every validator's rows on
// the weights topic. It is pure bookkeeping: no I/O, no goroutines; the
// validator persists what it returns.
//
// Commit hash: protocol.WeightCommitHash, a salted keccak256 over the
// validator, epoch, version key, the (uid, value) pairs and a 32-byte
// random salt. It is what the WeightCommit message already carries on the
// wire; internal/subtensor.CommitHash (BLAKE2b over SCALE) is only needed
// when a validator also sets weights on a real Bittensor chain.
//
// Timing follows Subtensor's commit-reveal v2 with RevealPeriodEpochs = 1:
// a row committed in epoch e is accepted only when revealed in epoch e+1;
// a reveal in any other epoch, or one that does not hash to its commit, is
// ignored; a commit not revealed by the end of e+1 expires and the
// validator's previous row stays in force (as stored weights do on chain).
//
// Import rules: only the validator role imports it.
package weights
