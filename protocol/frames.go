package protocol

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// FrameType is the first byte of every frame on an infer stream.
type FrameType byte

// Frame types of /ganglion/infer/1.0.0.
const (
	FrameChunk   FrameType = 1 // body: TokenChunk (unsigned; the receipt covers it)
	FrameReceipt FrameType = 2 // body: Envelope of type RECEIPT
	FrameReject  FrameType = 3 // body: Envelope of type REJECT
)

// StreamAck is the single byte the querier writes after it has read the
// final frame and the miner's half-close; the miner waits for it before it
// closes the stream.
const StreamAck byte = 0x06

// MaxFrameSize bounds the length prefix of a frame (type byte + body).
const MaxFrameSize = MaxEnvelopeSize + 1

func (t FrameType) String() string {
	switch t {
	case FrameChunk:
		return "chunk"
	case FrameReceipt:
		return "receipt"
	case FrameReject:
		return "reject"
	}
	return fmt.Sprintf("frame(%d)", byte(t))
}

func frameLimit(t FrameType) (int, bool) {
	switch t {
	case FrameChunk:
		return MaxPayloadSize(MessageType_MESSAGE_TYPE_TOKEN_CHUNK), true
	case FrameReceipt:
		return MaxEnvelopeSizeOf(MessageType_MESSAGE_TYPE_RECEIPT), true
	case FrameReject:
		return MaxEnvelopeSizeOf(MessageType_MESSAGE_TYPE_REJECT), true
	}
	return 0, false
}

// AppendFrame appends uvarint(1+len(body)) || type || body to b.
func AppendFrame(b []byte, t FrameType, body []byte) []byte {
	b = binary.AppendUvarint(b, uint64(1+len(body)))
	b = append(b, byte(t))
	return append(b, body...)
}

// WriteFrame writes one frame.
func WriteFrame(w io.Writer, t FrameType, body []byte) error {
	if limit, ok := frameLimit(t); !ok {
		return fmt.Errorf("write %v: %w", t, ErrWrongType)
	} else if len(body) > limit {
		return fmt.Errorf("write %v: %d bytes > %d: %w", t, len(body), limit, ErrTooLarge)
	}
	_, err := w.Write(AppendFrame(make([]byte, 0, len(body)+binary.MaxVarintLen32+1), t, body))
	return err
}

// ReadFrame reads one frame. It returns io.EOF only on a clean end of stream
// before the first byte of a frame, and never allocates more than the limit
// of the frame's type.
func ReadFrame(r *bufio.Reader) (FrameType, []byte, error) {
	n, err := readUvarint(r)
	if err != nil {
		return 0, nil, err
	}
	if n == 0 {
		return 0, nil, fmt.Errorf("empty frame: %w", ErrMalformed)
	}
	if n > MaxFrameSize {
		return 0, nil, fmt.Errorf("frame %d bytes > %d: %w", n, MaxFrameSize, ErrTooLarge)
	}
	tb, err := r.ReadByte()
	if err != nil {
		return 0, nil, fmt.Errorf("frame type: %w", unexpected(err))
	}
	t := FrameType(tb)
	limit, ok := frameLimit(t)
	if !ok {
		return 0, nil, fmt.Errorf("frame type %d: %w", tb, ErrMalformed)
	}
	if int(n-1) > limit {
		return 0, nil, fmt.Errorf("%v frame %d bytes > %d: %w", t, n-1, limit, ErrTooLarge)
	}
	body := make([]byte, n-1)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, fmt.Errorf("%v frame body: %w", t, unexpected(err))
	}
	return t, body, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readUvarint reads the length prefix: io.EOF before its first byte,
// io.ErrUnexpectedEOF inside it, ErrMalformed past 10 bytes; transport
// errors pass through unchanged.
func readUvarint(r io.ByteReader) (uint64, error) {
	var x uint64
	var s uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		b, err := r.ReadByte()
		if err != nil {
			if i > 0 {
				err = unexpected(err)
			}
			if errors.Is(err, io.EOF) {
				return 0, io.EOF
			}
			return 0, fmt.Errorf("frame length: %w", err)
		}
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				break
			}
			return x | uint64(b)<<s, nil
		}
		x |= uint64(b&0x7f) << s
		s += 7
	}
	return 0, fmt.Errorf("frame length overflows 64 bits: %w", ErrMalformed)
}
