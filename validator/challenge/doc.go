// Package challenge generates a validator's probes: prompts from a built-in
// generator seeded by a per-epoch secret, sampling settings, per-miner
// sampler seeds derived from a secret nonce, and a schedule spreading probes
// over the epoch. Everything is a pure function of its inputs, so the same
// secret reproduces the same challenges and nobody without it can predict
// them.
//
// Import rules: only the validator role imports it.
package challenge
