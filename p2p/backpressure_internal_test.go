package p2p

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// acquireAsync runs o.acquire in a goroutine and returns its result channel.
func acquireAsync(ctx context.Context, o *outbound) <-chan error {
	ch := make(chan error, 1)
	go func() {
		_, err := o.acquire(ctx)
		ch <- err
	}()
	return ch
}

func admitted(ch <-chan error, d time.Duration) (bool, error) {
	select {
	case err := <-ch:
		return true, err
	case <-time.After(d):
		return false, nil
	}
}

// TestOutboundGate: a publish is admitted while every peer's queue is
// under the limit, waits while one is over it, and is admitted once that
// queue drains, the peer goes away, or the peer stayed over the limit for
// longer than the hold; a cancelled context ends the wait with its error.
func TestOutboundGate(t *testing.T) {
	const limit = 4
	a, b := peer.ID("a"), peer.ID("b")
	fill := func(o *outbound, p peer.ID, n int) {
		for i := 0; i < n; i++ {
			o.queued(p)
		}
	}
	for _, tc := range []struct {
		name   string
		hold   time.Duration
		unlock func(o *outbound, cancel context.CancelFunc)
		err    error
	}{
		{"drained", time.Minute, func(o *outbound, _ context.CancelFunc) { o.written(a) }, nil},
		{"peer gone", time.Minute, func(o *outbound, _ context.CancelFunc) { o.gone(a) }, nil},
		{"cancelled", time.Minute, func(_ *outbound, cancel context.CancelFunc) { cancel() }, context.Canceled},
		{"slow peer past hold", 100 * time.Millisecond, func(*outbound, context.CancelFunc) {}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOutbound(limit, tc.hold, time.Now)
			fill(o, a, limit-1)
			fill(o, b, 1)
			if _, err := o.acquire(context.Background()); err != nil { // a: 3 queued + 0 pending
				t.Fatal(err)
			}
			o.release()
			o.queued(a) // a: 4 queued, at the limit
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ch := acquireAsync(ctx, o)
			if ok, _ := admitted(ch, 50*time.Millisecond); ok {
				t.Fatal("admitted while a peer's queue is at the limit")
			}
			tc.unlock(o, cancel)
			ok, err := admitted(ch, 10*time.Second)
			if !ok {
				t.Fatal("still waiting")
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
		})
	}
}

// TestOutboundPendingCounts: publishes admitted but not yet released count
// against every peer's queue, so concurrent publishers cannot all slip in
// under the limit at once.
func TestOutboundPendingCounts(t *testing.T) {
	o := newOutbound(3, time.Minute, time.Now)
	o.queued("a")
	for i := 0; i < 2; i++ { // 1 queued + 2 pending reaches the limit
		if _, err := o.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ch := acquireAsync(context.Background(), o)
	if ok, _ := admitted(ch, 50*time.Millisecond); ok {
		t.Fatal("admitted past the limit")
	}
	o.release()
	if ok, err := admitted(ch, 10*time.Second); !ok || err != nil {
		t.Fatalf("not admitted after a release: %v %v", ok, err)
	}
}
