package models

import (
	"fmt"
	"io"
	"os"
)

// mmapped is a whole model file in memory: a read-only memory map when the
// platform allows it, otherwise a heap copy. Data must never be written.
type mmapped struct {
	Data    []byte
	Mapped  bool
	release func() error
}

// mmapOpen maps (or, with noMmap or when mapping fails, reads) the file at
// path. maxRead bounds the size of a heap copy so a hostile path (a device,
// a huge file) cannot exhaust memory when mapping is unavailable.
func mmapOpen(path string, noMmap bool) (*mmapped, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	size := st.Size()
	if !noMmap {
		if data, release, err := mmapFile(f, size); err == nil {
			return &mmapped{Data: data, Mapped: true, release: release}, nil
		}
	}
	if int64(int(size)) != size {
		return nil, fmt.Errorf("%s: file of %d bytes does not fit in memory", path, size)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &mmapped{Data: data}, nil
}

// Close releases the mapping; Data must not be used afterwards.
func (m *mmapped) Close() error {
	if m == nil || m.release == nil {
		return nil
	}
	r := m.release
	m.release = nil
	m.Data = nil
	return r()
}
