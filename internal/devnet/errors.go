package devnet

import "errors"

// ErrLocked means another process holds the data directory's lock.
var ErrLocked = errors.New("another devnet is using this data directory")
