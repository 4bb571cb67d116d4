//go:build !unix

package devnet

// Lock is a no-op where flock is not available: nothing stops two devnets
// from sharing a data directory there.
func Lock(path string) (unlock func(), err error) { return func() {}, nil }
