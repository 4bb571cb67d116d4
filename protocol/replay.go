package protocol

import (
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// ReplayCache remembers (sender, nonce) pairs long enough that a replayed
// envelope is caught for as long as its timestamp would still be accepted.
// It is bounded: past capacity the oldest entries are forgotten first (size
// the capacity above the peak message rate × TTL). Safe for concurrent use.
type ReplayCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	cap   int
	seen  map[replayKey]replayEntry
	queue []replayKey // insertion order; head at qhead
	qhead int
}

type replayKey struct {
	sender common.Address
	nonce  uint64
}

type replayEntry struct {
	id      string
	expires time.Time
}

// DefaultReplayCapacity bounds a ReplayCache made with capacity 0.
const DefaultReplayCapacity = 1 << 18

// NewReplayCache returns a cache holding entries for ttl (use at least twice
// the timestamp window) and at most capacity entries.
func NewReplayCache(capacity int, ttl time.Duration) *ReplayCache {
	if capacity <= 0 {
		capacity = DefaultReplayCapacity
	}
	if ttl <= 0 {
		ttl = 2*DefaultWindow + 5*time.Second
	}
	return &ReplayCache{ttl: ttl, cap: capacity, seen: make(map[replayKey]replayEntry)}
}

// Check records (sender, nonce) for the message with id (any string that is
// equal for byte-identical messages, e.g. a gossipsub message id). It returns
// nil the first time, ErrDuplicate when the same message is seen again (a
// harmless re-delivery) and ErrReplay when another message reuses the pair.
func (c *ReplayCache) Check(sender common.Address, nonce uint64, id string, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	k := replayKey{sender, nonce}
	if e, ok := c.seen[k]; ok {
		if e.id == id {
			return ErrDuplicate
		}
		return fmt.Errorf("sender %s nonce %d: %w", sender, nonce, ErrReplay)
	}
	for len(c.seen) >= c.cap {
		c.pop()
	}
	c.seen[k] = replayEntry{id: id, expires: now.Add(c.ttl)}
	c.queue = append(c.queue, k)
	return nil
}

// Len returns the number of remembered pairs.
func (c *ReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

func (c *ReplayCache) expire(now time.Time) {
	for c.qhead < len(c.queue) {
		k := c.queue[c.qhead]
		if e, ok := c.seen[k]; ok && now.Before(e.expires) {
			return
		}
		c.pop()
	}
}

func (c *ReplayCache) pop() {
	if c.qhead >= len(c.queue) {
		return
	}
	delete(c.seen, c.queue[c.qhead])
	c.queue[c.qhead] = replayKey{}
	c.qhead++
	if c.qhead > 1024 && c.qhead*2 > len(c.queue) {
		c.queue = append(c.queue[:0:0], c.queue[c.qhead:]...)
		c.qhead = 0
	}
}
