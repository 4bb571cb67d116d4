package testnet

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/protocol"
)

// Twist changes what a node sends on the infer streams it opens: the frames
// its (real) miner writes are decoded as they leave the node, handed to the
// hooks and encoded again; a changed receipt is signed again with the
// node's key. It turns a real miner into a cheating one (random tokens,
// copied or replayed receipts, a slow link) without changing the miner:
// the engine, the queue, the stream and the signature are the miner's own,
// only the bytes on the wire differ.
//
// The hooks run on the miner's sending goroutine, one stream at a time per
// stream; they must be safe for concurrent use across streams.
type Twist struct {
	// Chunk may change a token chunk's tokens; it returns how long to hold
	// the chunk before it goes out (the miner's sender blocks meanwhile, as
	// on a slow link). nil: chunks pass unchanged.
	Chunk func(c *protocol.TokenChunk) time.Duration
	// Receipt may change the receipt (its query id is the stream's) and
	// reports whether it did; a changed receipt is signed again with the
	// node's key, an unchanged one goes out byte for byte. nil: receipts
	// pass unchanged.
	Receipt func(r *protocol.Receipt) bool
	// TokenDelay, when positive, makes the link slow per token: a chunk of
	// n tokens goes out as n one-token chunks, each held TokenDelay (what a
	// validator sees of an engine that slow). Applied after Chunk.
	TokenDelay time.Duration
}

// twistOption wraps the node's stream muxers so that every outgoing stream
// of the infer protocol goes through tw.
func twistOption(tw *Twist, key *ecdsa.PrivateKey, d protocol.Domain) libp2p.Option {
	ts := &twister{tw: tw, key: key, domain: d,
		opener: &protocol.Opener{Domain: d, Window: time.Hour, Now: time.Now}}
	return func(cfg *libp2p.Config) error {
		for i := range cfg.Muxers {
			cfg.Muxers[i].Muxer = twistMuxer{inner: cfg.Muxers[i].Muxer, ts: ts}
		}
		return nil
	}
}

type twister struct {
	tw     *Twist
	key    *ecdsa.PrivateKey
	domain protocol.Domain
	opener *protocol.Opener
}

type twistMuxer struct {
	inner network.Multiplexer
	ts    *twister
}

func (m twistMuxer) NewConn(c net.Conn, isServer bool, scope network.PeerScope) (network.MuxedConn, error) {
	mc, err := m.inner.NewConn(c, isServer, scope)
	if err != nil {
		return nil, err
	}
	return twistConn{MuxedConn: mc, ts: m.ts}, nil
}

type twistConn struct {
	network.MuxedConn
	ts *twister
}

// OpenStream wraps streams this node opens (the miner's infer streams are
// opened by the miner); accepted streams are left alone.
func (c twistConn) OpenStream(ctx context.Context) (network.MuxedStream, error) {
	s, err := c.MuxedConn.OpenStream(ctx)
	if err != nil {
		return nil, err
	}
	return &twistStream{MuxedStream: s, ts: c.ts}, nil
}

// twistStream parses what is written: the multistream-select header (two
// length-prefixed lines), then, on an infer stream, frames.
type twistStream struct {
	network.MuxedStream
	ts *twister

	mu    sync.Mutex
	state int // 0: header, 1: infer frames, 2: pass through
	lines int
	buf   []byte
	index uint32 // next chunk index sent when chunks are rewritten (TokenDelay splits them)
}

const (
	stHeader = iota
	stFrames
	stPass
)

var msHeader = []byte("/multistream/1.0.0\n")

func (s *twistStream) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stPass {
		return s.MuxedStream.Write(b)
	}
	s.buf = append(s.buf, b...)
	for {
		progressed, err := s.step()
		if err != nil {
			return 0, err
		}
		if !progressed {
			return len(b), nil
		}
	}
}

// step consumes one complete header line or frame from buf.
func (s *twistStream) step() (bool, error) {
	if s.state == stPass {
		if len(s.buf) == 0 {
			return false, nil
		}
		_, err := s.MuxedStream.Write(s.buf)
		s.buf = nil
		return false, err
	}
	n, k := binary.Uvarint(s.buf)
	if k <= 0 || uint64(len(s.buf)-k) < n {
		if k < 0 || n > protocol.MaxFrameSize { // not ours to parse
			s.state = stPass
			return true, nil
		}
		return false, nil // incomplete
	}
	end := k + int(n)
	item := s.buf[:end]
	if s.state == stHeader {
		msg := item[k:]
		switch {
		case s.lines == 0 && !bytes.Equal(msg, msHeader):
			s.state = stPass
			return true, nil
		case s.lines == 1:
			if string(msg) == protocol.InferProtocol+"\n" {
				s.state = stFrames
			} else {
				s.state = stPass
			}
		}
		s.lines++
		if _, err := s.MuxedStream.Write(item); err != nil {
			return false, err
		}
		s.buf = s.buf[end:]
		return true, nil
	}
	outs, hold := s.rewrite(item, k)
	s.buf = s.buf[end:]
	if hold > 0 {
		time.Sleep(hold)
	}
	for _, out := range outs {
		if d := s.ts.tw.TokenDelay; d > 0 && len(outs) > 1 {
			time.Sleep(d)
		}
		if _, err := s.MuxedStream.Write(out); err != nil {
			return false, err
		}
	}
	return true, nil
}

// rewrite applies the hooks to one frame (k = length of its prefix) and
// returns the frames to send and how long to hold them.
func (s *twistStream) rewrite(frame []byte, k int) ([][]byte, time.Duration) {
	keep := [][]byte{append([]byte(nil), frame...)}
	if len(frame) <= k {
		return keep, 0
	}
	t, body := protocol.FrameType(frame[k]), frame[k+1:]
	tw := s.ts.tw
	switch {
	case t == protocol.FrameChunk && (tw.Chunk != nil || tw.TokenDelay > 0):
		c := new(protocol.TokenChunk)
		if err := proto.Unmarshal(body, c); err != nil {
			return keep, 0
		}
		var hold time.Duration
		if tw.Chunk != nil {
			hold = tw.Chunk(c)
		}
		parts := []*protocol.TokenChunk{c}
		if tw.TokenDelay > 0 && len(c.Tokens) > 1 {
			parts = parts[:0]
			for _, tok := range c.Tokens {
				parts = append(parts, &protocol.TokenChunk{QueryId: c.QueryId, Tokens: []uint32{tok}})
			}
			parts[0].Text = c.Text
		}
		var outs [][]byte
		for _, p := range parts {
			p.Index = s.index
			s.index++
			nb, err := protocol.Marshal(p)
			if err != nil {
				panic(fmt.Sprintf("testnet: twist: marshal: %v", err)) // a test bug
			}
			outs = append(outs, protocol.AppendFrame(nil, t, nb))
		}
		if tw.TokenDelay > 0 && len(parts) == 1 {
			hold += tw.TokenDelay
		}
		return outs, hold
	case t == protocol.FrameReceipt && tw.Receipt != nil:
		o, err := s.ts.opener.Open(body, protocol.MessageType_MESSAGE_TYPE_RECEIPT)
		if err != nil {
			return keep, 0
		}
		r, ok := o.Message.(*protocol.Receipt)
		if !ok || !tw.Receipt(r) {
			return keep, 0
		}
		env, err := protocol.Seal(s.ts.key, s.ts.domain, protocol.MessageType_MESSAGE_TYPE_RECEIPT, r, time.Now())
		if err != nil {
			panic(fmt.Sprintf("testnet: twist: seal: %v", err)) // a test bug
		}
		nb, err := protocol.Marshal(env)
		if err != nil {
			panic(fmt.Sprintf("testnet: twist: marshal: %v", err))
		}
		return [][]byte{protocol.AppendFrame(nil, t, nb)}, 0
	}
	return keep, 0
}

// CloseWrite and Close first send bytes still held (a partial frame).
func (s *twistStream) CloseWrite() error {
	s.flush()
	return s.MuxedStream.CloseWrite()
}

func (s *twistStream) Close() error {
	s.flush()
	return s.MuxedStream.Close()
}

func (s *twistStream) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) > 0 {
		_, _ = s.MuxedStream.Write(s.buf)
		s.buf = nil
	}
}
