package miner

import (
	"container/heap"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// limiter is a per-sender token bucket.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[common.Address]*bucket
	last    time.Time // last sweep
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: map[common.Address]*bucket{}}
}

// allow takes one token for sender; when none is left it returns false and
// how long until the next one.
func (l *limiter) allow(sender common.Address, now time.Time) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.last) > time.Minute { // forget senders whose bucket is full again
		for a, b := range l.buckets {
			if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
				delete(l.buckets, a)
			}
		}
		l.last = now
	}
	b, ok := l.buckets[sender]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[sender] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// queue is a bounded priority queue of jobs: higher stake first, then
// arrival order. Closing it wakes every waiter.
type queue struct {
	mu     sync.Mutex
	cap    int
	items  jobHeap
	seq    uint64
	closed bool
	notify chan struct{} // one pending wake-up
}

func newQueue(capacity int) *queue {
	return &queue{cap: capacity, notify: make(chan struct{}, 1)}
}

// push adds j. When the queue is full, j is refused (ok false) unless it
// outranks the lowest queued job, which is then evicted and returned.
func (q *queue) push(j *job) (evicted *job, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil, false
	}
	q.seq++
	j.seq = q.seq
	if len(q.items) >= q.cap {
		low := q.lowest()
		if low < 0 || j.stake <= q.items[low].stake {
			return nil, false
		}
		evicted = q.items[low]
		heap.Remove(&q.items, low)
	}
	heap.Push(&q.items, j)
	q.wake()
	return evicted, true
}

// lowest returns the index of the job that would be served last.
func (q *queue) lowest() int {
	low := -1
	for i := range q.items {
		if low < 0 || q.items[low].before(q.items[i]) {
			low = i
		}
	}
	return low
}

func (q *queue) wake() {
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// tryPop returns the first job or nil.
func (q *queue) tryPop() *job {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil
	}
	j := heap.Pop(&q.items).(*job)
	if len(q.items) > 0 {
		q.wake() // let another slot look too
	}
	return j
}

// pop blocks until a job is queued; it returns nil once the queue is closed
// and empty.
func (q *queue) pop() *job {
	for {
		if j := q.tryPop(); j != nil {
			return j
		}
		q.mu.Lock()
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return nil
		}
		<-q.notify
	}
}

// close refuses new jobs and returns the queued ones.
func (q *queue) close() []*job {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	out := []*job(q.items)
	q.items = nil
	close(q.notify)
	return out
}

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

type jobHeap []*job

func (h jobHeap) Len() int           { return len(h) }
func (h jobHeap) Less(i, k int) bool { return h[i].before(h[k]) }
func (h jobHeap) Swap(i, k int)      { h[i], h[k] = h[k], h[i] }
func (h *jobHeap) Push(x any)        { *h = append(*h, x.(*job)) }
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return j
}
