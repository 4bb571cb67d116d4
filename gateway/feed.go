package gateway

import (
	"encoding/hex"
	"sync"
	"time"
)

// feedSize is how many recent queries the dashboard's live feed keeps.
const feedSize = 100

// FeedEntry is one query the gateway served (or failed to), as the
// dashboard's live feed shows it. It never holds the prompt or the answer.
type FeedEntry struct {
	Seq      uint64    `json:"seq"`
	Time     time.Time `json:"time"`
	Endpoint string    `json:"endpoint"`
	Model    string    `json:"model"`
	Query    string    `json:"query,omitempty"` // query id (hex)
	Miner    string    `json:"miner,omitempty"` // address (0x hex)
	UID      *int64    `json:"uid"`
	// LatencyMS is the time from the request to the miner's first frame.
	LatencyMS float64 `json:"latency_ms"`
	// DurationMS is the time to the end of the answer.
	DurationMS float64 `json:"duration_ms"`
	Tokens     int     `json:"tokens"`
	// Status: "streaming", "ok", "failed", "retried" (the miner failed
	// before answering; another one was tried) or "no_miner".
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Receipt is the digest of the miner's signed receipt once the gateway
	// checked it against the stream and the query ("" when the answer ended
	// without one, e.g. cut by a stop string).
	Receipt string `json:"receipt,omitempty"`
	// Reexec is the local re-execution of a sampled receipt (WithVerify):
	// "" (not sampled), "pending", "ok", "mismatch", "error" or "dropped".
	Reexec string `json:"reexec,omitempty"`
}

// feed is a ring of the latest queries; a nil *feed records nothing.
type feed struct {
	mu      sync.Mutex
	seq     uint64
	entries []*FeedEntry // oldest first, at most feedSize
	byQuery map[string]*FeedEntry
	started map[string]time.Time
}

func newFeed() *feed { return &feed{byQuery: map[string]*FeedEntry{}, started: map[string]time.Time{}} }

func (f *feed) add(e *FeedEntry) {
	f.seq++
	e.Seq = f.seq
	f.entries = append(f.entries, e)
	if len(f.entries) > feedSize {
		old := f.entries[0]
		f.entries = append(f.entries[:0:0], f.entries[1:]...)
		if old.Query != "" {
			delete(f.byQuery, old.Query)
			delete(f.started, old.Query)
		}
	}
	if e.Query != "" {
		f.byQuery[e.Query] = e
	}
}

// update runs fn on the entry of query id qid, if the feed still has it.
func (f *feed) update(qid []byte, fn func(e *FeedEntry, start time.Time)) {
	if f == nil {
		return
	}
	k := hex.EncodeToString(qid)
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := f.byQuery[k]; e != nil {
		fn(e, f.started[k])
	}
}

// recent returns copies of the entries, newest first.
func (f *feed) recent() []FeedEntry {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FeedEntry, 0, len(f.entries))
	for i := len(f.entries) - 1; i >= 0; i-- {
		e := *f.entries[i]
		if e.UID != nil {
			u := *e.UID
			e.UID = &u
		}
		out = append(out, e)
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// feedBegin records a query a miner started answering (latency: since
// start).
func (g *Gateway) feedBegin(a *attempt, m *Model, endpoint string, start time.Time) {
	if g.feed == nil {
		return
	}
	e := &FeedEntry{Time: time.Now().UTC(), Endpoint: endpoint, Model: m.Name, Query: hex.EncodeToString(a.qid),
		Miner: addrHex(a.mi.addr), LatencyMS: ms(time.Since(start)), Status: "streaming"}
	if g.uids != nil {
		if uid, ok := g.uids(a.mi.addr); ok {
			u := int64(uid)
			e.UID = &u
		}
	}
	g.feed.mu.Lock()
	g.feed.add(e)
	g.feed.started[e.Query] = start
	g.feed.mu.Unlock()
}

// feedDone marks the answer of o complete; receipt is the digest of the
// checked receipt ("" if the answer ended before one).
func (g *Gateway) feedDone(o *answer, receipt string) {
	g.feed.update(o.a.qid, func(e *FeedEntry, start time.Time) {
		e.Status, e.Receipt, e.Tokens = "ok", receipt, o.completionTokens
		e.DurationMS = ms(time.Since(start))
	})
}

// feedEnd closes the entry of an attempt that did not complete: retried
// (another miner takes over) or failed.
func (g *Gateway) feedEnd(a *attempt, retried bool) {
	g.feed.update(a.qid, func(e *FeedEntry, start time.Time) {
		if e.Status != "streaming" {
			return
		}
		e.Status = "failed"
		if retried {
			e.Status = "retried"
		}
		e.DurationMS = ms(time.Since(start))
	})
}

// feedFail records a request no miner answered.
func (g *Gateway) feedFail(m *Model, endpoint string, bad *apiError, start time.Time) {
	if g.feed == nil || bad.status == 499 {
		return
	}
	st := "failed"
	if bad.status == 503 {
		st = "no_miner"
	}
	e := &FeedEntry{Time: time.Now().UTC(), Endpoint: endpoint, Model: m.Name, Status: st, Error: bad.Message,
		DurationMS: ms(time.Since(start)), LatencyMS: ms(time.Since(start))}
	g.feed.mu.Lock()
	g.feed.add(e)
	g.feed.mu.Unlock()
}

// feedReexec records the re-execution state of query qid's receipt.
func (g *Gateway) feedReexec(qid []byte, state string) {
	g.feed.update(qid, func(e *FeedEntry, _ time.Time) { e.Reexec = state })
}
