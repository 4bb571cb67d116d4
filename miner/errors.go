package miner

import "errors"

// Sentinel errors.
var (
	// ErrNoModels is returned by New without any model to serve.
	ErrNoModels = errors.New("miner: no models")
	// ErrBadModel is returned by New for a model it cannot serve.
	ErrBadModel = errors.New("miner: bad model")
	// ErrBadConfig is returned by New for an invalid configuration.
	ErrBadConfig = errors.New("miner: bad configuration")
	// ErrRunning is returned by Run when the miner already runs.
	ErrRunning = errors.New("miner: already running")
)
