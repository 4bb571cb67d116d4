//go:build unix

package atomicfile

import (
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive advisory lock on path (created if missing, mode
// 0600), blocking until other processes release it, and returns the
// function that releases it. Processes that read-modify-write a shared file
// (the gateway and the CLI on the API key store) hold it around the cycle.
func Lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
