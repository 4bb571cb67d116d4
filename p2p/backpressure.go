package p2p

import (
	"context"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Publish backpressure.
//
// go-libp2p-pubsub v0.19.0 gives a publisher no backpressure: Topic.Publish
// returns once the message is handed to the router's event loop, and the
// router then pushes one RPC per peer into that peer's bounded outbound
// queue without blocking (gossipsub.go doSendRPC, q.Push(rpc, false)). When
// the queue is full the RPC is dropped: the RawTracer's DropRPC hook fires,
// but Publish has already returned nil. A burst from several goroutines
// outruns the per-peer writers and loses messages at every subscriber at
// once (upstream go-libp2p-pubsub issue #217, open since 2019).
//
// outbound mirrors each peer's queue depth from the RawTracer hooks
// (SendRPC: queued; SendRPCCompleted: written to the stream) and makes
// Node.Publish wait while some peer's queue is over a limit, well below the
// queue size. A peer that stays over the limit for longer than a hold
// (it does not drain half of the limit within that time) is treated as too
// slow and no longer holds publishers back: then its queue overflows and it
// misses messages, as upstream intends, and a slow or malicious reader
// cannot stall the node's publishing.
type outbound struct {
	limit int           // a publish waits while a peer has this many RPCs queued
	hold  time.Duration // longest one peer over the limit holds publishers back
	now   func() time.Time

	mu      sync.Mutex
	peers   map[peer.ID]*peerQueue
	pending int           // admitted publishes not yet handed to the router
	waiting int           // publishers waiting for room
	wake    chan struct{} // closed (and replaced) when room may have appeared
}

type peerQueue struct {
	// depth is RPCs queued minus RPCs written. The writer may report a write
	// before the router reports the push, and the hello packet is written
	// without being queued, so it can be briefly off by one or two.
	depth int
	// over is when a publisher first found the peer over the limit; zero
	// once the peer has drained to half the limit.
	over time.Time
}

// PublishQueueLimit is the outbound-queue depth (RPCs) of any peer above
// which Node.Publish waits; PublishHold is the longest one peer over it
// holds publishers back. The headroom up to PeerOutboundQueueSize takes the
// router's own traffic (forwarded messages, gossip, control) and the
// messages already handed to the router (its event loop buffers 32).
const (
	PublishQueueLimit = PeerOutboundQueueSize / 2
	PublishHold       = 5 * time.Second
)

func newOutbound(limit int, hold time.Duration, now func() time.Time) *outbound {
	return &outbound{limit: limit, hold: hold, now: now, peers: make(map[peer.ID]*peerQueue),
		wake: make(chan struct{})}
}

// signal wakes the waiting publishers; o.mu is held.
func (o *outbound) signal() {
	if o.waiting > 0 {
		close(o.wake)
		o.wake = make(chan struct{})
	}
}

// queued records an RPC pushed into p's outbound queue.
func (o *outbound) queued(p peer.ID) {
	o.mu.Lock()
	q := o.peers[p]
	if q == nil {
		q = &peerQueue{}
		o.peers[p] = q
	}
	q.depth++
	o.mu.Unlock()
}

// written records an RPC written to p's stream.
func (o *outbound) written(p peer.ID) {
	o.mu.Lock()
	if q := o.peers[p]; q != nil {
		q.depth--
		if q.depth <= o.limit/2 {
			q.over = time.Time{}
		}
		if q.depth < o.limit {
			o.signal()
		}
	}
	o.mu.Unlock()
}

// gone forgets p: its outbound stream closed and pubsub dropped its queue.
func (o *outbound) gone(p peer.ID) {
	o.mu.Lock()
	delete(o.peers, p)
	o.signal()
	o.mu.Unlock()
}

// acquire waits until no peer's queue (plus the publishes already admitted)
// is over the limit, except peers that have been over it for longer than
// the hold, then admits one publish. It reports whether it had to wait.
// Every successful acquire must be followed by release.
func (o *outbound) acquire(ctx context.Context) (waited bool, err error) {
	for {
		o.mu.Lock()
		now := o.now()
		retry := time.Duration(-1)
		for _, q := range o.peers {
			if q.depth+o.pending < o.limit {
				continue
			}
			if q.over.IsZero() {
				q.over = now
			}
			left := q.over.Add(o.hold).Sub(now)
			if left <= 0 {
				continue // too slow: stop waiting for it
			}
			if retry < 0 || left < retry {
				retry = left
			}
		}
		if retry < 0 {
			o.pending++
			o.mu.Unlock()
			return waited, nil
		}
		waited = true
		o.waiting++
		wake := o.wake
		o.mu.Unlock()

		t := time.NewTimer(retry)
		select {
		case <-wake:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
		o.mu.Lock()
		o.waiting--
		o.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return waited, err
		}
	}
}

// release ends a publish admitted by acquire.
func (o *outbound) release() {
	o.mu.Lock()
	o.pending--
	o.signal()
	o.mu.Unlock()
}
