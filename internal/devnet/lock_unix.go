//go:build unix

package devnet

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive lock on path (created if needed) so that two
// devnets never share a data directory. The lock goes away with the
// process, however it ends; unlock releases it earlier.
func Lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("devnet: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("devnet: %s is locked: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("devnet: lock %s: %w", path, err)
	}
	return func() { _ = f.Close() }, nil
}
