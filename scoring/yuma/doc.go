// Package yuma computes one Yuma Consensus epoch in exact fixed-point
// arithmetic, bit-identical with Subtensor's production (sparse) epoch.
//
// The fixed-point types I32F32, I64F64 and I96F32 reproduce substrate_fixed
// 0.6.0's rounding (multiplication floors, division truncates, safe_div
// returns 0 on division by zero and overflow, conversions from floats round
// to nearest-even, round() ties away from zero). Run takes an Input (stake,
// stored weight and bond rows, parameters, optional block numbers) and
// returns an Output (the u16 terms, rao emissions, the new bond rows and
// validator permits). DecodeJSON and Output.ToJSON are the document format
// of `ganglion epoch run` (docs/yuma.md).
//
// Import rules: part of the core package scoring; it imports nothing of this
// module.
package yuma
