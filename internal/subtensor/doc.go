// Package subtensor holds what Ganglion needs to talk to Bittensor's chain
// (Subtensor) through its EVM: SCALE encoding of the few types involved, the
// commit-reveal v2 weight hash, the EVM mirror account of an H160 address,
// and EIP-1559 transactions calling the neuron precompile at 0x…0804
// (setWeights, commitWeights, revealWeights).
//
// Facts (opentensor/subtensor, precompiles): precompile address =
// H160::from_low_u64_be(index); an EVM caller acts as the substrate account
// blake2b_256("evm:" ‖ h160); the v2 commit hash is
// BlakeTwo256(SCALE(hotkey AccountId32, netuid u16, uids Vec<u16>,
// values Vec<u16>, salt Vec<u16>, version_key u64)).
//
// Import rules: an internal utility; it imports only other internal
// utilities (and external libraries).
package subtensor
