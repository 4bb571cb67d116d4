package subtensor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// ErrScale is returned for malformed SCALE input.
var ErrScale = errors.New("subtensor: malformed SCALE data")

// AppendCompact appends n in SCALE's compact encoding.
func AppendCompact(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n<<2))
	case n < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(n<<2|1))
	case n < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(n<<2|2))
	}
	size := (bits.Len64(n) + 7) / 8
	b = append(b, byte((size-4)<<2|3))
	for i := 0; i < size; i++ {
		b = append(b, byte(n>>(8*i)))
	}
	return b
}

// ReadCompact decodes a compact integer (up to 64 bits) from the start of b
// and returns it and the bytes read.
func ReadCompact(b []byte) (uint64, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("%w: empty compact", ErrScale)
	}
	switch b[0] & 3 {
	case 0:
		return uint64(b[0] >> 2), 1, nil
	case 1:
		if len(b) < 2 {
			return 0, 0, fmt.Errorf("%w: short compact", ErrScale)
		}
		v := uint64(binary.LittleEndian.Uint16(b) >> 2)
		if v < 1<<6 {
			return 0, 0, fmt.Errorf("%w: non-canonical compact", ErrScale)
		}
		return v, 2, nil
	case 2:
		if len(b) < 4 {
			return 0, 0, fmt.Errorf("%w: short compact", ErrScale)
		}
		v := uint64(binary.LittleEndian.Uint32(b) >> 2)
		if v < 1<<14 {
			return 0, 0, fmt.Errorf("%w: non-canonical compact", ErrScale)
		}
		return v, 4, nil
	}
	size := int(b[0]>>2) + 4
	if size > 8 {
		return 0, 0, fmt.Errorf("%w: compact of %d bytes exceeds 64 bits", ErrScale, size)
	}
	if len(b) < 1+size {
		return 0, 0, fmt.Errorf("%w: short compact", ErrScale)
	}
	var v uint64
	for i := size - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[1+i])
	}
	if v < 1<<30 || (size > 4 && v>>(8*(size-1)) == 0) {
		return 0, 0, fmt.Errorf("%w: non-canonical compact", ErrScale)
	}
	return v, 1 + size, nil
}

// AppendU16s appends a SCALE Vec<u16>.
func AppendU16s(b []byte, v []uint16) []byte {
	b = AppendCompact(b, uint64(len(v)))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, x)
	}
	return b
}

// ReadU16s decodes a SCALE Vec<u16>, refusing lengths the input cannot hold.
func ReadU16s(b []byte) ([]uint16, int, error) {
	n, off, err := ReadCompact(b)
	if err != nil {
		return nil, 0, err
	}
	if n > uint64(len(b)-off)/2 {
		return nil, 0, fmt.Errorf("%w: Vec<u16> of %d items in %d bytes", ErrScale, n, len(b)-off)
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(b[off+2*i:])
	}
	return out, off + 2*int(n), nil
}
