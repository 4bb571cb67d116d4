package gateway

import (
	"encoding/binary"
	"testing"
	"time"
)

// BenchmarkFeedRecord is the dashboard's cost per answered query: an entry
// begun, its re-execution noted and finished, in a full ring.
func BenchmarkFeedRecord(b *testing.B) {
	g := &Gateway{feed: newFeed(), uids: func([20]byte) (uint32, bool) { return 7, true }}
	m := &Model{Name: "m"}
	a := &attempt{qid: make([]byte, 16)}
	o := &answer{a: a, completionTokens: 32}
	start := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		binary.LittleEndian.PutUint64(a.qid, uint64(i))
		g.feedBegin(a, m, "chat_completions", start)
		g.feedReexec(a.qid, "pending")
		g.feedDone(o, "0xreceipt")
		g.feedEnd(a, false)
	}
	if got := len(g.feed.recent()); got != min(b.N, feedSize) {
		b.Fatalf("%d entries", got)
	}
}
