// Package models loads Llama-family model files (GGUF, llama2.c, safetensors)
// and their tokenizers, runs the forward pass on gorgonia with deterministic
// kernels, samples tokens and computes the logits digests that receipts carry.
//
// Import rules: models is a core package. Roles and cmd may import it. It
// imports only the leaf package protocol and internal utilities; never a role,
// never another core package.
package models
