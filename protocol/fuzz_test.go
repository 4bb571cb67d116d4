package protocol

import (
	"bufio"
	"bytes"
	"testing"
	"time"
)

// FuzzOpen feeds arbitrary bytes to the envelope decoder and verifier.
func FuzzOpen(f *testing.F) {
	key := testKey(f)
	for i, m := range sampleMessages(key) {
		e, err := SealNonce(key, testDomain, TypeOf(m), m, testTime, uint64(i))
		if err != nil {
			f.Fatal(err)
		}
		b, _ := Marshal(e)
		f.Add(b)
	}
	f.Add([]byte{})
	o := &Opener{Domain: testDomain, Now: func() time.Time { return testTime }}
	f.Fuzz(func(t *testing.T, data []byte) {
		op, err := o.Open(data)
		if err != nil {
			return
		}
		// Anything accepted must re-verify after a re-encode.
		b, err := Marshal(op.Envelope)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.Open(b); err != nil {
			t.Fatalf("accepted envelope fails after re-encode: %v", err)
		}
	})
}

// FuzzDecodePayload covers every message decoder: the first byte picks the
// message type.
func FuzzDecodePayload(f *testing.F) {
	key := testKey(f)
	for _, m := range sampleMessages(key) {
		b, _ := Marshal(m)
		f.Add(append([]byte{byte(TypeOf(m))}, b...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		ty := MessageType(data[0] % 9)
		m, err := DecodePayload(ty, data[1:])
		if err != nil {
			return
		}
		if TypeOf(m) != ty {
			t.Fatalf("decoded %T for %v", m, ty)
		}
		if err := Validate(m); err != nil {
			t.Fatalf("decoded message fails Validate: %v", err)
		}
	})
}

// FuzzReadFrame feeds arbitrary bytes to the stream frame reader.
func FuzzReadFrame(f *testing.F) {
	f.Add(AppendFrame(nil, FrameChunk, []byte{10, 16}))
	f.Add(AppendFrame(AppendFrame(nil, FrameReceipt, []byte{1}), FrameReject, nil))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bufio.NewReader(bytes.NewReader(data))
		for i := 0; i < 64; i++ {
			ft, body, err := ReadFrame(r)
			if err != nil {
				return
			}
			if limit, ok := frameLimit(ft); !ok || len(body) > limit {
				t.Fatalf("accepted %v frame of %d bytes", ft, len(body))
			}
		}
	})
}
