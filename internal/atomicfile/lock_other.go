//go:build !unix

package atomicfile

// Lock is a no-op where flock(2) does not exist: concurrent writers of the
// same file from several processes can then lose an update.
func Lock(path string) (unlock func(), err error) { return func() {}, nil }
