package store

import "errors"

// ErrNotFound is returned when a key is absent.
var ErrNotFound = errors.New("store: not found")

// ErrLocked is returned by OpenReadOnly when another process (a running
// validator) holds the file.
var ErrLocked = errors.New("store: locked by another process")
