// Package yuma computes one Yuma Consensus epoch in exact fixed-point
// arithmetic, bit-identical with Subtensor's production (sparse) epoch.
//
// Import rules: part of the core package scoring; it imports nothing internal.
package yuma
