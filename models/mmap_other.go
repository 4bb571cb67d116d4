//go:build !unix

package models

import (
	"errors"
	"os"
)

// mmapFile is unavailable on this platform: loaders fall back to reading the
// file into memory.
func mmapFile(f *os.File, size int64) ([]byte, func() error, error) {
	return nil, nil, errors.New("mmap is not supported on this platform")
}
