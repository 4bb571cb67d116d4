package gateway

import "errors"

// Sentinel errors.
var (
	// ErrBadConfig: a configuration value is out of range.
	ErrBadConfig = errors.New("gateway: bad config")
	// ErrNoMiner: no miner serving the model could take the request.
	ErrNoMiner = errors.New("gateway: no miner available")
	// ErrBadReceipt: a miner's receipt does not match its stream or query.
	ErrBadReceipt = errors.New("gateway: invalid receipt")
	// ErrUnknownKey: no API key with that name or secret.
	ErrUnknownKey = errors.New("gateway: unknown api key")
)
