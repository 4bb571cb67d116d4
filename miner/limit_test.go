package miner

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

func TestLimiter(t *testing.T) {
	a, b := common.Address{1}, common.Address{2}
	t0 := time.Unix(1000, 0)
	l := newLimiter(2, 3) // 2 per second, burst 3
	steps := []struct {
		who  common.Address
		at   time.Duration
		want bool
	}{
		{a, 0, true}, {a, 0, true}, {a, 0, true}, {a, 0, false}, // burst spent
		{b, 0, true},                       // another sender has its own bucket
		{a, 400 * time.Millisecond, false}, // 0.8 token
		{a, 500 * time.Millisecond, true},  // 1 token
		{a, 500 * time.Millisecond, false},
		{a, 10 * time.Second, true}, {a, 10 * time.Second, true}, {a, 10 * time.Second, true}, // refilled to burst, not beyond
		{a, 10 * time.Second, false},
	}
	for i, s := range steps {
		ok, wait := l.allow(s.who, t0.Add(s.at))
		if ok != s.want {
			t.Fatalf("step %d: allow = %v, want %v", i, ok, s.want)
		}
		if !ok && (wait <= 0 || wait > 500*time.Millisecond) {
			t.Fatalf("step %d: retry after %v, want (0, 500ms]", i, wait)
		}
	}
	if ok, _ := newLimiter(-1, 1).allow(a, t0); !ok {
		t.Fatal("a negative rate must disable the limit")
	}
}

func TestQueuePriorityAndBound(t *testing.T) {
	q := newQueue(3)
	mk := func(stake float64) *job { return &job{stake: stake} }
	low1, low2, mid := mk(1), mk(1), mk(5)
	for _, j := range []*job{low1, mid, low2} {
		if ev, ok := q.push(j); !ok || ev != nil {
			t.Fatalf("push into a queue with room: %v %v", ev, ok)
		}
	}
	if _, ok := q.push(mk(1)); ok {
		t.Fatal("a full queue accepted an equal-stake job")
	}
	high := mk(9)
	ev, ok := q.push(high)
	if !ok || ev != low2 {
		t.Fatalf("a higher stake must evict the latest lowest-stake job: evicted %v ok %v", ev, ok)
	}
	for i, want := range []*job{high, mid, low1} {
		if got := q.tryPop(); got != want {
			t.Fatalf("pop %d: stake %v, want %v", i, got.stake, want.stake)
		}
	}
	if q.tryPop() != nil {
		t.Fatal("empty queue popped a job")
	}
	q.push(mk(2))
	if left := q.close(); len(left) != 1 {
		t.Fatalf("close returned %d jobs", len(left))
	}
	if q.pop() != nil {
		t.Fatal("pop on a closed queue must return nil")
	}
	if _, ok := q.push(mk(3)); ok {
		t.Fatal("a closed queue accepted a job")
	}
}

// TestHandleDropsMalformed: messages that are not queries, or whose sender
// field differs from the signer, are dropped and counted; nothing panics.
func TestHandleDropsMalformed(t *testing.T) {
	node := loopbackNode(t)
	w, err := models.Random(models.DefaultShape(), 1)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("m"))
	m, err := New(Config{}, node, []Model{{Name: "m", ID: id[:], Weights: w}})
	if err != nil {
		t.Fatal(err)
	}
	me := node.Address()
	other := common.Address{9}
	cases := []struct {
		name string
		msg  *p2p.Message
	}{
		{"not a query", &p2p.Message{Opened: &protocol.Opened{Sender: other, Message: &protocol.Announce{}}}},
		{"nil payload", &p2p.Message{Opened: &protocol.Opened{Sender: other}}},
		{"sender mismatch", &p2p.Message{Opened: &protocol.Opened{Sender: other, Message: &protocol.Query{
			Sender: me.Bytes(), ModelId: id[:], PromptTokens: []uint32{1}}}}},
	}
	for i, c := range cases {
		m.handle(c.msg)
		if got := testutil.ToFloat64(m.metrics.Dropped.WithLabelValues("malformed")); got != float64(i+1) {
			t.Fatalf("%s: dropped_total{malformed} = %v, want %d", c.name, got, i+1)
		}
	}
	if testutil.ToFloat64(m.metrics.Queries) != 0 {
		t.Fatal("a dropped message counted as a query")
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	node := loopbackNode(t)
	w, err := models.Random(models.DefaultShape(), 1)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("m"))
	good := Model{Name: "m", ID: id[:], Weights: w}
	cases := []struct {
		name string
		cfg  Config
		ms   []Model
	}{
		{"no models", Config{}, nil},
		{"short id", Config{}, []Model{{Name: "m", ID: id[:8], Weights: w}}},
		{"no weights", Config{}, []Model{{Name: "m", ID: id[:]}}},
		{"served twice", Config{}, []Model{good, good}},
		{"negative concurrency", Config{MaxConcurrency: -1}, []Model{good}},
		{"more slots than sequences", Config{MaxConcurrency: 2, Slots: 3}, []Model{good}},
	}
	for _, c := range cases {
		if _, err := New(c.cfg, node, c.ms); err == nil {
			t.Errorf("%s: New succeeded", c.name)
		}
	}
	if _, err := New(Config{}, node, []Model{good}); err != nil {
		t.Fatal(err)
	}
}

// loopbackNode starts a lone p2p node (internal tests cannot use testnet,
// which imports this package).
func loopbackNode(t *testing.T) *p2p.Node {
	t.Helper()
	k, err := ethcrypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := p2p.DefaultConfig()
	cfg.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
	n, err := p2p.New(k, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}
