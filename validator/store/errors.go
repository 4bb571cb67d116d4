package store

import "errors"

// ErrNotFound is returned when a key is absent.
var ErrNotFound = errors.New("store: not found")
