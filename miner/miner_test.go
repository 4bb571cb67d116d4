package miner_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestReceiptsVerifyByReexecution: three miners answer concurrent queries
// (batched by each miner); every receipt is signed by its miner, lists the
// streamed tokens, equals a bare Generate bit for bit and passes Verify.
func TestReceiptsVerifyByReexecution(t *testing.T) {
	md := testModel()
	// PrefillRows 7 splits the longer prompts over several batched steps.
	r := newRig(t, 3, miner.Config{MaxConcurrency: 4, PrefillRows: 7}, []miner.Model{md})
	eng, err := models.NewEngine(md.Weights)
	if err != nil {
		t.Fatal(err)
	}
	w, err := eng.NewWorker()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		prompt []uint32
		sp     *protocol.SamplingParams
	}{
		{"greedy", []uint32{1, 5, 9}, &protocol.SamplingParams{MaxTokens: 24}},
		{"sampled", []uint32{1, 77}, &protocol.SamplingParams{Temperature: 0.9, TopP: 0.95, MaxTokens: 32}},
		{"top-k stop", []uint32{1, 3, 4, 5, 6}, &protocol.SamplingParams{Temperature: 1, TopK: 20, MaxTokens: 40, StopTokenIds: []uint32{2, 7, 11}}},
		{"long prompt", slices.Repeat([]uint32{1, 100, 200, 300}, 20), &protocol.SamplingParams{Temperature: 0.5, MaxTokens: 16}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	type got struct {
		q  *protocol.Query
		as []answer
	}
	results := make([]got, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		q := r.newQuery(md, c.prompt, c.sp, 1, 2, 3)
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = got{q, r.ask(ctx, q, 3)}
		}()
	}
	wg.Wait()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, as := results[i].q, results[i].as
			if len(as) != 3 {
				t.Fatalf("%d answers, want 3", len(as))
			}
			for _, a := range as {
				if a.err != nil {
					t.Fatalf("miner %s: %v", a.stream.Miner, a.err)
				}
				rc := a.final.Receipt
				if rc == nil {
					t.Fatalf("miner %s: final frame %v, want a receipt (%v)", a.stream.Miner, a.final.Type, a.final.Reject)
				}
				if a.final.Envelope.Sender != a.stream.Miner || string(rc.Miner) != string(a.stream.Miner.Bytes()) {
					t.Fatalf("receipt signed by %s for miner %x, stream from %s", a.final.Envelope.Sender, rc.Miner, a.stream.Miner)
				}
				if !slices.Equal(tokens(a.chunks), rc.OutputTokens) {
					t.Fatalf("streamed %v, receipt lists %v", tokens(a.chunks), rc.OutputTokens)
				}
				if string(rc.ModelId) != string(md.ID) || !slices.Equal(rc.PromptTokens, q.PromptTokens) {
					t.Fatal("receipt model or prompt differs from the query")
				}
				if rc.Timings.GetTotalUs() == 0 || rc.Timings.GetTotalUs() < rc.Timings.GetFirstTokenUs() {
					t.Fatalf("timings %v", rc.Timings)
				}
				seed := seedFor(q, rc.Miner)
				mr := toModelReceipt(q, rc, seed)
				res, err := w.Verify(mr, nil)
				if err != nil || !res.OK {
					t.Fatalf("verify: %+v, %v", res, err)
				}
				// Bit-identical to a bare generation with the same sampler.
				var stop []int
				for _, s := range c.sp.StopTokenIds {
					stop = append(stop, int(s))
				}
				want, err := w.Generate(mr.Prompt, models.GenerateOptions{Sampler: mr.Sampler, MaxTokens: int(c.sp.MaxTokens), Stop: stop}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if want.Rolling != mr.Rolling || !slices.Equal(want.Tokens, mr.Tokens) {
					t.Fatalf("miner generation differs from the bare engine: %v vs %v", mr.Tokens, want.Tokens)
				}
				wantFinish := protocol.FinishReason_FINISH_REASON_LENGTH
				if len(stop) > 0 && slices.Contains(stop, mr.Tokens[len(mr.Tokens)-1]) {
					wantFinish = protocol.FinishReason_FINISH_REASON_STOP
				}
				if rc.FinishReason != wantFinish {
					t.Fatalf("finish %v, want %v", rc.FinishReason, wantFinish)
				}
			}
		})
	}
	// A tampered receipt fails verification (the check above can fail).
	rc := results[0].as[0].final.Receipt
	mr := toModelReceipt(results[0].q, rc, seedFor(results[0].q, rc.Miner))
	mr.Digests[len(mr.Digests)/2][0] ^= 1
	if res, err := w.Verify(mr, nil); err == nil && res.OK {
		t.Fatal("a tampered receipt verified")
	}
}

// rejects counts answers by reject reason ("" = receipt).
func rejects(t *testing.T, as []answer) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, a := range as {
		if a.err != nil {
			t.Fatalf("stream error: %v", a.err)
		}
		switch {
		case a.final.Receipt != nil:
			n[""]++
		case a.final.Reject != nil:
			n[a.final.Reject.Reason.String()]++
			if a.final.Envelope.Sender != a.stream.Miner {
				t.Fatal("reject not signed by the miner")
			}
		}
	}
	return n
}

// askAll sends qs at once and returns every answer.
func (r *rig) askAll(ctx context.Context, qs []*protocol.Query) []answer {
	var mu sync.Mutex
	var all []answer
	var wg sync.WaitGroup
	for _, q := range qs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			as := r.ask(ctx, q, 1)
			mu.Lock()
			all = append(all, as...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

// TestBusy: one sequence at a time and a queue of one; a burst of queries
// gets receipts for what fits and `busy` (at once) for the rest.
func TestBusy(t *testing.T) {
	md := slowModel()
	r := newRig(t, 1, miner.Config{MaxConcurrency: 1, QueueSize: 1, RatePerSecond: -1}, []miner.Model{md})
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	var qs []*protocol.Query
	for range 5 {
		qs = append(qs, r.newQuery(md, []uint32{1, 2}, &protocol.SamplingParams{MaxTokens: 60}, 1))
	}
	as := r.askAll(ctx, qs)
	if len(as) != 5 {
		t.Fatalf("%d answers, want 5", len(as))
	}
	n := rejects(t, as)
	busy := n[protocol.RejectReason_REJECT_REASON_BUSY.String()]
	if n[""] < 1 || busy < 3 || n[""]+busy != 5 {
		t.Fatalf("answers %v: want ≥1 receipt, ≥3 busy, nothing else", n)
	}
	var slowest time.Duration
	for _, a := range as {
		if a.final.Reject != nil && a.final.Reject.RetryAfterMs == 0 {
			t.Fatal("busy without retry-after")
		}
		if a.final.Receipt != nil {
			slowest = max(slowest, a.elapsed)
		}
	}
	for _, a := range as {
		if a.final.Reject != nil && a.elapsed >= slowest {
			t.Fatalf("busy answered after %v, the slowest receipt after %v: not at once", a.elapsed, slowest)
		}
	}
	if got := (r.miners[0].metric("ganglion_miner_rejections_total", "busy")); got != float64(busy) {
		t.Fatalf("rejections_total{busy} = %v, want %d", got, busy)
	}
}

// TestRateLimit: a sender's bucket of two lets two queries through and
// rejects the rest with rate_limited and a retry-after.
func TestRateLimit(t *testing.T) {
	md := testModel()
	r := newRig(t, 1, miner.Config{RatePerSecond: 0.01, Burst: 2}, []miner.Model{md})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var as []answer
	for range 4 {
		as = append(as, r.ask(ctx, r.newQuery(md, []uint32{1}, &protocol.SamplingParams{MaxTokens: 4}, 1), 1)...)
	}
	n := rejects(t, as)
	if n[""] != 2 || n[protocol.RejectReason_REJECT_REASON_RATE_LIMITED.String()] != 2 {
		t.Fatalf("answers %v: want 2 receipts and 2 rate_limited", n)
	}
	for _, a := range as[2:] {
		if a.final.Reject.RetryAfterMs < 1000 {
			t.Fatalf("retry after %d ms; the bucket refills one query per 100 s", a.final.Reject.RetryAfterMs)
		}
	}
}

// TestMinerKilledMidStream: the querier gets a clear error, not a hang.
func TestMinerKilledMidStream(t *testing.T) {
	md := slowModel()
	r := newRig(t, 1, miner.Config{}, []miner.Model{md})
	q := r.newQuery(md, []uint32{1, 2, 3}, &protocol.SamplingParams{MaxTokens: 3000}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := r.querier().Await(q.QueryId, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	if _, err := r.querier().Publish(ctx, q); err != nil {
		t.Fatal(err)
	}
	var s *p2p.InferStream
	select {
	case s = <-resp.Streams():
	case <-ctx.Done():
		t.Fatal("no stream")
	}
	f, err := s.Next(ctx)
	if err != nil || f.Type != protocol.FrameChunk {
		t.Fatalf("first frame %v, %v", f, err)
	}
	r.nw.Kill(1)
	start := time.Now()
	_, _, err = s.Collect(ctx)
	if !errors.Is(err, p2p.ErrStreamBroken) {
		t.Fatalf("after the kill: %v, want ErrStreamBroken", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the querier hung until its own deadline")
	}
	t.Logf("querier saw %v after %v", err, time.Since(start))
}

// TestShutdownDrains: in-flight sequences finish within the grace period;
// past it they end with Reject/shutting_down; Run returns either way.
func TestShutdownDrains(t *testing.T) {
	cases := []struct {
		name      string
		model     miner.Model
		grace     time.Duration
		maxTokens uint32
		want      string
	}{
		{"finish within grace", testModel(), 20 * time.Second, 200, ""},
		{"cancel after grace", slowModel(), 200 * time.Millisecond, 3000, protocol.RejectReason_REJECT_REASON_SHUTTING_DOWN.String()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, 1, miner.Config{Grace: c.grace}, []miner.Model{c.model})
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			var qs []*protocol.Query
			var resps []*p2p.Responses
			for range 2 {
				q := r.newQuery(c.model, []uint32{1, 9}, &protocol.SamplingParams{MaxTokens: c.maxTokens}, 1)
				resp, err := r.querier().Await(q.QueryId, 1)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Close()
				if _, err := r.querier().Publish(ctx, q); err != nil {
					t.Fatal(err)
				}
				qs, resps = append(qs, q), append(resps, resp)
			}
			var streams []*p2p.InferStream
			for _, resp := range resps {
				select {
				case s := <-resp.Streams():
					streams = append(streams, s)
				case <-ctx.Done():
					t.Fatal("no stream")
				}
			}
			// Both sequences run; shut down now.
			stopped := make(chan error, 1)
			go func() { stopped <- r.stop(0) }()
			for _, s := range streams {
				_, fin, err := s.Collect(ctx)
				if err != nil {
					t.Fatal(err)
				}
				got := ""
				if fin.Reject != nil {
					got = fin.Reject.Reason.String()
				}
				if got != c.want {
					t.Fatalf("final frame %q, want %q", got, c.want)
				}
			}
			if err := <-stopped; err != nil {
				t.Fatal(err)
			}
			// A query after shutdown gets no answer: the miner left the topic.
			if st := r.miners[0].m.Status(); !st.Stopping || st.Active != 0 || st.QueueDepth != 0 {
				t.Fatalf("status after shutdown %+v", st)
			}
		})
	}
}

// TestUnauthorisedAndBadQueries: a sender the miner's membership does not
// know is dropped without an answer; bad requests and unknown models are
// rejected; the miner keeps serving.
func TestUnauthorisedAndBadQueries(t *testing.T) {
	md := testModel()
	members := new(p2p.StaticMembership)
	r := newRig(t, 1, miner.Config{}, []miner.Model{md}, miner.WithMembership(members))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	short, cancelShort := context.WithTimeout(ctx, 1500*time.Millisecond)
	as := r.ask(short, r.newQuery(md, []uint32{1}, &protocol.SamplingParams{MaxTokens: 4}, 1), 1)
	cancelShort()
	if len(as) != 0 {
		t.Fatalf("unauthorised sender got %d answers", len(as))
	}
	if got := (r.miners[0].metric("ganglion_miner_dropped_total", "unauthorised")); got != 1 {
		t.Fatalf("dropped_total{unauthorised} = %v, want 1", got)
	}

	members.Add(r.querier().Address(), p2p.RoleValidator)
	other := md
	other.ID = slices.Clone(md.ID)
	other.ID[0] ^= 0xff
	cases := []struct {
		name string
		q    *protocol.Query
		want string
	}{
		{"token out of vocabulary", r.newQuery(md, []uint32{1, 600}, &protocol.SamplingParams{MaxTokens: 4}, 1), protocol.RejectReason_REJECT_REASON_BAD_REQUEST.String()},
		{"empty prompt", r.newQuery(md, nil, &protocol.SamplingParams{MaxTokens: 4}, 1), protocol.RejectReason_REJECT_REASON_BAD_REQUEST.String()},
		{"prompt longer than the context", r.newQuery(md, make([]uint32, 300), &protocol.SamplingParams{MaxTokens: 4}, 1), protocol.RejectReason_REJECT_REASON_BAD_REQUEST.String()},
		{"bad sampler", r.newQuery(md, []uint32{1}, &protocol.SamplingParams{Temperature: -1, MaxTokens: 4}, 1), protocol.RejectReason_REJECT_REASON_BAD_REQUEST.String()},
		{"unknown model", r.newQuery(other, []uint32{1}, &protocol.SamplingParams{MaxTokens: 4}, 1), protocol.RejectReason_REJECT_REASON_UNKNOWN_MODEL.String()},
		{"deadline passed", func() *protocol.Query {
			q := r.newQuery(md, []uint32{1}, &protocol.SamplingParams{MaxTokens: 4}, 1)
			q.DeadlineMs = time.Now().Add(-time.Second).UnixMilli()
			return q
		}(), protocol.RejectReason_REJECT_REASON_DEADLINE.String()},
		{"good query still served", r.newQuery(md, []uint32{1}, &protocol.SamplingParams{MaxTokens: 4}, 1), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			as := r.ask(ctx, c.q, 1)
			if len(as) != 1 {
				t.Fatalf("%d answers", len(as))
			}
			n := rejects(t, as)
			if n[c.want] != 1 {
				t.Fatalf("answers %v, want %q", n, c.want)
			}
		})
	}
	// Queries for another miner are ignored.
	short, cancelShort = context.WithTimeout(ctx, time.Second)
	defer cancelShort()
	q := r.newQuery(md, []uint32{1}, &protocol.SamplingParams{MaxTokens: 4})
	q.Targets = []*protocol.Target{{Uid: 9, Miner: make([]byte, 20), Seed: 1}}
	if as := r.ask(short, q, 1); len(as) != 0 {
		t.Fatal("a query for another miner was answered")
	}
}

// TestAnnounce: the miner's announcement reaches the querier with its
// models and version.
func TestAnnounce(t *testing.T) {
	md := testModel()
	nwRig := newRig(t, 1, miner.Config{AnnounceInterval: 200 * time.Millisecond, MaxConcurrency: 3}, []miner.Model{md})
	s, err := nwRig.querier().Subscribe(protocol.TopicAnnounce)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		m, err := s.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := m.Message.(*protocol.Announce)
		if !ok || m.Sender != nwRig.miners[0].m.Address() {
			continue
		}
		if len(a.Models) != 1 || string(a.Models[0].ModelId) != string(md.ID) || a.Models[0].Name != "random" ||
			a.Models[0].ContextLength != uint32(models.DefaultShape().SeqLen) || a.Models[0].MaxConcurrency != 3 ||
			a.SoftwareVersion == "" || len(a.ListenAddrs) == 0 {
			t.Fatalf("announce %v", a)
		}
		return
	}
}
