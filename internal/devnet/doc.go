// Package devnet supervises the child processes of `ganglion devnet`: each
// node (miner, validator) runs as a child process of the same binary with
// its output in its own log file; a child that exits is logged and restarted
// with exponential backoff, and stopping sends SIGTERM to every child, then
// SIGKILL to those still alive after a grace period, so no child outlives the
// supervisor. It knows nothing about what the children are.
//
// Only cmd/ganglion imports it; it imports only internal utilities.
package devnet
