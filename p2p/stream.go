package p2p

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/internal/identity"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// InferWriter is the miner's end of an infer stream: token chunks, then one
// Receipt or Reject, then a clean close. Not safe for concurrent use.
type InferWriter struct {
	n       *Node
	s       network.Stream
	peer    peer.ID
	queryID []byte
	index   uint32
	done    bool
}

// OpenInferStream opens /ganglion/infer/1.0.0 to the querier p for queryID.
// The caller must finish with Receipt, Reject or Abort.
func (n *Node) OpenInferStream(ctx context.Context, p peer.ID, queryID []byte) (*InferWriter, error) {
	if len(queryID) != protocol.QueryIDSize {
		return nil, fmt.Errorf("p2p: query id is %d bytes: %w", len(queryID), protocol.ErrMalformed)
	}
	s, err := n.host.NewStream(ctx, p, protocol.InferProtocol)
	if err != nil {
		n.metrics.Streams.WithLabelValues("out", "open_failed").Inc()
		return nil, fmt.Errorf("p2p: open infer stream to %s: %w", p, err)
	}
	return &InferWriter{n: n, s: s, peer: p, queryID: append([]byte(nil), queryID...)}, nil
}

func (w *InferWriter) write(ft protocol.FrameType, body []byte) error {
	if w.done {
		return fmt.Errorf("p2p: infer stream to %s: %w", w.peer, ErrClosed)
	}
	_ = w.s.SetWriteDeadline(time.Now().Add(w.n.cfg.StreamTimeout))
	if err := protocol.WriteFrame(w.s, ft, body); err != nil {
		w.done = true
		_ = w.s.Reset()
		w.n.metrics.Streams.WithLabelValues("out", "broken").Inc()
		return fmt.Errorf("p2p: infer stream to %s: write %v: %w: %w", w.peer, ft, ErrStreamBroken, err)
	}
	w.n.metrics.StreamFrames.WithLabelValues("out", ft.String()).Inc()
	return nil
}

// Chunk sends the next token chunk (indices count from 0).
func (w *InferWriter) Chunk(tokens []uint32, text string) error {
	body, err := protocol.Marshal(&protocol.TokenChunk{QueryId: w.queryID, Index: w.index, Tokens: tokens, Text: text})
	if err != nil {
		return err
	}
	if err := w.write(protocol.FrameChunk, body); err != nil {
		return err
	}
	w.index++
	return nil
}

// Receipt signs r, sends it as the final frame and closes the stream
// cleanly. r.QueryId and r.Miner are filled in when empty.
func (w *InferWriter) Receipt(r *protocol.Receipt) error {
	if len(r.QueryId) == 0 {
		r.QueryId = w.queryID
	}
	if len(r.Miner) == 0 {
		r.Miner = w.n.addr.Bytes()
	}
	return w.final(protocol.FrameReceipt, protocol.MessageType_MESSAGE_TYPE_RECEIPT, r)
}

// Reject sends a signed Reject as the final frame and closes the stream.
func (w *InferWriter) Reject(reason protocol.RejectReason, retryAfter time.Duration, msg string) error {
	r := &protocol.Reject{QueryId: w.queryID, Reason: reason, RetryAfterMs: uint32(retryAfter.Milliseconds()), Message: msg}
	return w.final(protocol.FrameReject, protocol.MessageType_MESSAGE_TYPE_REJECT, r)
}

func (w *InferWriter) final(ft protocol.FrameType, t protocol.MessageType, m proto.Message) error {
	if err := protocol.Validate(m); err != nil {
		w.Abort()
		return fmt.Errorf("p2p: infer %v: %w", t, err)
	}
	env, err := protocol.Seal(w.n.key, w.n.Domain(), t, m, w.n.now())
	if err != nil {
		w.Abort()
		return fmt.Errorf("p2p: infer %v: %w", t, err)
	}
	body, err := protocol.Marshal(env)
	if err != nil {
		w.Abort()
		return err
	}
	if err := w.write(ft, body); err != nil {
		return err
	}
	w.done = true
	// Half-close, wait for the querier's ack, then close (closing right
	// after writing can cancel the last frame on QUIC).
	if err := w.s.CloseWrite(); err != nil {
		_ = w.s.Reset()
		w.n.metrics.Streams.WithLabelValues("out", "broken").Inc()
		return fmt.Errorf("p2p: infer stream to %s: close write: %w: %w", w.peer, ErrStreamBroken, err)
	}
	_ = w.s.SetReadDeadline(time.Now().Add(w.n.cfg.StreamTimeout))
	var ack [1]byte
	if _, err := io.ReadFull(w.s, ack[:]); err != nil || ack[0] != protocol.StreamAck {
		_ = w.s.Reset()
		w.n.metrics.Streams.WithLabelValues("out", "no_ack").Inc()
		if err == nil {
			err = fmt.Errorf("ack byte %#x", ack[0])
		}
		return fmt.Errorf("p2p: infer stream to %s: no ack for %v: %w: %w", w.peer, ft, ErrStreamBroken, err)
	}
	w.n.metrics.Streams.WithLabelValues("out", "ok").Inc()
	return w.s.Close()
}

// Abort resets the stream; the querier sees ErrStreamBroken.
func (w *InferWriter) Abort() {
	if !w.done {
		w.done = true
		w.n.metrics.Streams.WithLabelValues("out", "aborted").Inc()
	}
	_ = w.s.Reset()
}

// Frame is one decoded frame of an infer stream.
type Frame struct {
	Type    protocol.FrameType
	Chunk   *protocol.TokenChunk // FrameChunk
	Receipt *protocol.Receipt    // FrameReceipt
	Reject  *protocol.Reject     // FrameReject
	// Envelope holds the verified signed envelope of a Receipt or Reject.
	Envelope *protocol.Opened
}

// Final reports whether f ends the stream.
func (f *Frame) Final() bool {
	return f.Type == protocol.FrameReceipt || f.Type == protocol.FrameReject
}

// Responses collects the infer streams miners open for one query.
type Responses struct {
	n      *Node
	key    [protocol.QueryIDSize]byte
	ch     chan *InferStream
	closed bool
}

// Await registers interest in streams for queryID, up to max of them; call
// it before publishing the query. Streams arrive on Streams(); Close
// deregisters (and resets streams not taken yet).
func (n *Node) Await(queryID []byte, max int) (*Responses, error) {
	if len(queryID) != protocol.QueryIDSize {
		return nil, fmt.Errorf("p2p: query id is %d bytes: %w", len(queryID), protocol.ErrMalformed)
	}
	if max <= 0 {
		max = 1
	}
	r := &Responses{n: n, ch: make(chan *InferStream, max)}
	copy(r.key[:], queryID)
	n.waitMu.Lock()
	defer n.waitMu.Unlock()
	if n.host == nil || n.closed() {
		return nil, ErrClosed
	}
	if _, ok := n.waiters[r.key]; ok {
		return nil, fmt.Errorf("p2p: await %x: %w", queryID, ErrDuplicateWait)
	}
	n.waiters[r.key] = r
	return r, nil
}

func (n *Node) closed() bool {
	select {
	case <-n.ctxDone():
		return true
	default:
		return false
	}
}

// Streams delivers each miner's stream; it is closed by Close or when the
// node closes.
func (r *Responses) Streams() <-chan *InferStream { return r.ch }

// Close deregisters the query id.
func (r *Responses) Close() {
	r.n.waitMu.Lock()
	defer r.n.waitMu.Unlock()
	if r.n.waiters[r.key] == r {
		delete(r.n.waiters, r.key)
	}
	r.closeLocked()
}

func (r *Responses) closeLocked() {
	if r.closed {
		return
	}
	r.closed = true
	close(r.ch)
	for s := range r.ch {
		s.Close()
	}
}

// InferStream is the querier's end of one miner's stream. Not safe for
// concurrent use.
type InferStream struct {
	Peer    peer.ID
	Miner   common.Address // the peer's address; Receipt/Reject are signed by it
	QueryID []byte

	n     *Node
	s     network.Stream
	r     *bufio.Reader
	first *Frame
	next  uint32 // expected chunk index
	done  bool
}

func (s *InferStream) broken(err error) error {
	s.done = true
	_ = s.s.Reset()
	s.n.metrics.Streams.WithLabelValues("in", "broken").Inc()
	return fmt.Errorf("p2p: infer stream from %s (query %x): %w: %w", s.Peer, s.QueryID, ErrStreamBroken, err)
}

// Next returns the next frame: chunks, then the Receipt or Reject. After the
// final frame it returns io.EOF. A stream that ends early, is reset, stalls
// past the stream timeout or breaks the protocol gives an error wrapping
// ErrStreamBroken; ctx cancels a blocked read.
func (s *InferStream) Next(ctx context.Context) (*Frame, error) {
	if s.done {
		return nil, io.EOF
	}
	f := s.first
	s.first = nil
	if f == nil {
		_ = s.s.SetReadDeadline(time.Now().Add(s.n.cfg.StreamTimeout))
		stop := context.AfterFunc(ctx, func() { _ = s.s.SetReadDeadline(time.Unix(1, 0)) })
		ft, body, err := protocol.ReadFrame(s.r)
		stop()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = errors.New("stream ended before the receipt")
			}
			if ctx.Err() != nil {
				err = fmt.Errorf("%w (%v)", ctx.Err(), err)
			} else if isTimeout(err) {
				err = fmt.Errorf("no frame for %v: %w", s.n.cfg.StreamTimeout, err)
			}
			return nil, s.broken(err)
		}
		f, err = s.n.parseFrame(ft, body, s.Miner)
		if err != nil {
			return nil, s.broken(err)
		}
		if err := s.checkQuery(f); err != nil {
			return nil, s.broken(err)
		}
	}
	if f.Type == protocol.FrameChunk {
		if f.Chunk.Index != s.next {
			return nil, s.broken(fmt.Errorf("chunk index %d, want %d: %w", f.Chunk.Index, s.next, protocol.ErrMalformed))
		}
		s.next++
	}
	s.n.metrics.StreamFrames.WithLabelValues("in", f.Type.String()).Inc()
	if f.Final() {
		s.done = true
		go s.finish()
	}
	return f, nil
}

func (s *InferStream) checkQuery(f *Frame) error {
	var q []byte
	switch {
	case f.Chunk != nil:
		q = f.Chunk.QueryId
	case f.Receipt != nil:
		q = f.Receipt.QueryId
	case f.Reject != nil:
		q = f.Reject.QueryId
	}
	if string(q) != string(s.QueryID) {
		return fmt.Errorf("frame for query %x: %w", q, protocol.ErrMalformed)
	}
	return nil
}

// finish acknowledges the final frame: wait for the miner's half-close,
// write the ack byte, close. It runs on its own goroutine so the final frame
// reaches the caller at once; the stream deadlines bound it.
func (s *InferStream) finish() {
	_ = s.s.SetReadDeadline(time.Now().Add(s.n.cfg.StreamTimeout))
	if _, _, err := protocol.ReadFrame(s.r); !errors.Is(err, io.EOF) {
		s.n.log.Debug("infer stream: no clean half-close after the final frame", zap.Stringer("peer", s.Peer), zap.Error(err))
	}
	_ = s.s.SetWriteDeadline(time.Now().Add(s.n.cfg.StreamTimeout))
	if _, err := s.s.Write([]byte{protocol.StreamAck}); err != nil {
		s.n.log.Debug("infer stream: ack", zap.Stringer("peer", s.Peer), zap.Error(err))
		_ = s.s.Reset()
		return
	}
	s.n.metrics.Streams.WithLabelValues("in", "ok").Inc()
	_ = s.s.Close()
}

// Close abandons the stream (reset) unless it already ended.
func (s *InferStream) Close() {
	if !s.done {
		s.done = true
		_ = s.s.Reset()
	}
}

// Collect reads the whole stream: every chunk and the final frame.
func (s *InferStream) Collect(ctx context.Context) ([]*protocol.TokenChunk, *Frame, error) {
	var chunks []*protocol.TokenChunk
	for {
		f, err := s.Next(ctx)
		if err != nil {
			return chunks, nil, err
		}
		if !f.Final() {
			chunks = append(chunks, f.Chunk)
			continue
		}
		return chunks, f, nil
	}
}

func (n *Node) parseFrame(ft protocol.FrameType, body []byte, miner common.Address) (*Frame, error) {
	f := &Frame{Type: ft}
	switch ft {
	case protocol.FrameChunk:
		c := new(protocol.TokenChunk)
		if err := proto.Unmarshal(body, c); err != nil {
			return nil, fmt.Errorf("chunk: %v: %w", err, protocol.ErrMalformed)
		}
		if err := protocol.Validate(c); err != nil {
			return nil, err
		}
		f.Chunk = c
		return f, nil
	case protocol.FrameReceipt, protocol.FrameReject:
		t := protocol.MessageType_MESSAGE_TYPE_RECEIPT
		if ft == protocol.FrameReject {
			t = protocol.MessageType_MESSAGE_TYPE_REJECT
		}
		op, err := n.opener.Open(body, t)
		if err != nil {
			return nil, err
		}
		if op.Sender != miner {
			return nil, fmt.Errorf("%v signed by %s on a stream from %s: %w", ft, op.Sender, miner, ErrAuthorMismatch)
		}
		f.Envelope = op
		if r, ok := op.Message.(*protocol.Receipt); ok {
			f.Receipt = r
		} else {
			f.Reject = op.Message.(*protocol.Reject)
		}
		return f, nil
	}
	return nil, fmt.Errorf("frame type %v: %w", ft, protocol.ErrMalformed)
}

// handleInfer routes an incoming infer stream to the caller awaiting its
// query id (read from the first frame).
func (n *Node) handleInfer(s network.Stream) {
	remote := s.Conn().RemotePeer()
	reject := func(result string, err error) {
		n.metrics.Streams.WithLabelValues("in", result).Inc()
		n.log.Debug("infer stream refused", zap.Stringer("peer", remote), zap.String("result", result), zap.Error(err))
		_ = s.Reset()
	}
	miner, err := identity.Address(remote)
	if err != nil {
		reject("bad_peer", err)
		return
	}
	if !n.members.IsMember(miner, RoleMiner) {
		reject("not_member", fmt.Errorf("%s: %w", miner, ErrNotMember))
		return
	}
	_ = s.SetReadDeadline(time.Now().Add(n.cfg.StreamTimeout))
	r := bufio.NewReader(s)
	ft, body, err := protocol.ReadFrame(r)
	if err != nil {
		reject("bad_frame", err)
		return
	}
	f, err := n.parseFrame(ft, body, miner)
	if err != nil {
		reject("bad_frame", err)
		return
	}
	var qid []byte
	switch {
	case f.Chunk != nil:
		qid = f.Chunk.QueryId
	case f.Receipt != nil:
		qid = f.Receipt.QueryId
	default:
		qid = f.Reject.QueryId
	}
	var key [protocol.QueryIDSize]byte
	copy(key[:], qid)
	is := &InferStream{Peer: remote, Miner: miner, QueryID: qid, n: n, s: s, r: r, first: f}
	n.waitMu.Lock()
	defer n.waitMu.Unlock()
	w, ok := n.waiters[key]
	if !ok {
		reject("no_waiter", fmt.Errorf("query %x: %w", qid, ErrNoWaiter))
		return
	}
	select {
	case w.ch <- is:
		n.metrics.Streams.WithLabelValues("in", "routed").Inc()
	default:
		reject("too_many", fmt.Errorf("query %x: more streams than awaited", qid))
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}
