package protocol

import "errors"

// Sentinel errors. Callers match them with errors.Is; the returned errors wrap
// them with detail.
var (
	ErrMalformed      = errors.New("protocol: malformed message")
	ErrTooLarge       = errors.New("protocol: message too large")
	ErrVersion        = errors.New("protocol: unsupported protocol version")
	ErrWrongDomain    = errors.New("protocol: wrong chain id or netuid")
	ErrWrongType      = errors.New("protocol: wrong message type")
	ErrBadSignature   = errors.New("protocol: bad signature")
	ErrStale          = errors.New("protocol: timestamp too old")
	ErrFuture         = errors.New("protocol: timestamp in the future")
	ErrReplay         = errors.New("protocol: replayed nonce")
	ErrDuplicate      = errors.New("protocol: duplicate message")
	ErrSenderMismatch = errors.New("protocol: sender field does not match signer")
)
