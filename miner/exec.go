package miner

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// maxChunkTokens bounds one TokenChunk (well under its 64 KiB limit).
const maxChunkTokens = 4096

// seq is one sequence being generated.
type seq struct {
	j         *job
	sess      *models.Session
	samp      models.Sampler
	maxTokens int
	stop      []int
	tokens    []int
	digests   [][32]byte
	rolling   [32]byte
	fed       int  // prompt tokens fed to the session so far
	stepped   bool // the last step produced a token for this sequence
	started   time.Time
	first     time.Time
	out       *outbox
}

// outbox hands tokens and the final frame from a slot to the sequence's
// sender goroutine; tokens that pile up while a write is in progress go out
// as one chunk.
type outbox struct {
	mu      sync.Mutex
	pending []uint32
	final   func(w *p2p.InferWriter) error
	failed  atomic.Bool
	wake    chan struct{}
	done    chan struct{} // closed with the final frame
}

func (o *outbox) push(tok int) {
	o.mu.Lock()
	o.pending = append(o.pending, uint32(tok))
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) finish(f func(w *p2p.InferWriter) error) {
	o.mu.Lock()
	o.final = f
	o.mu.Unlock()
	close(o.done)
	o.signal()
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// start turns a queued job into a sequence and starts its sender.
func (m *Miner) start(s *served, j *job) *seq {
	q := j.q
	sq := &seq{j: j, sess: s.engine.NewSession(), samp: samplerOf(q, j.seed), started: m.now(),
		maxTokens: int(q.GetSampling().GetMaxTokens()), out: &outbox{wake: make(chan struct{}, 1), done: make(chan struct{})}}
	if m.cfg.MaxTokens > 0 && (sq.maxTokens == 0 || sq.maxTokens > m.cfg.MaxTokens) {
		sq.maxTokens = m.cfg.MaxTokens
	}
	for _, t := range q.GetSampling().GetStopTokenIds() {
		sq.stop = append(sq.stop, int(t))
	}
	m.active.Add(1)
	m.metrics.ActiveSequences.Set(float64(m.active.Load()))
	m.senders.Add(1)
	go m.send(j, sq.out)
	return sq
}

// send opens the stream to the querier and writes what the slot produces.
func (m *Miner) send(j *job, o *outbox) {
	defer m.senders.Done()
	ctx, cancel := context.WithTimeout(context.Background(), m.cfg.StreamOpenTimeout)
	w, err := m.node.OpenInferStream(ctx, j.from, j.q.QueryId)
	cancel()
	if err != nil {
		o.failed.Store(true)
		m.streamError(err)
		return
	}
	tx := newTexter(j.model.Tokenizer, j.q.PromptTokens)
	var last time.Time
	for range o.wake {
		if d := m.cfg.ChunkInterval - time.Since(last); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-o.done:
				t.Stop()
			}
		}
		o.mu.Lock()
		toks, fin := o.pending, o.final
		o.pending = nil
		o.mu.Unlock()
		for len(toks) > 0 {
			n := min(len(toks), maxChunkTokens)
			if err := w.Chunk(toks[:n], tx.text(toks[:n])); err != nil {
				o.failed.Store(true)
				m.streamError(err)
				w.Abort()
				return
			}
			toks = toks[n:]
			last = time.Now()
		}
		if fin != nil {
			if err := fin(w); err != nil {
				o.failed.Store(true)
				m.streamError(err)
			}
			return
		}
	}
}

// runSlot is one worker: it batches up to per sequences of model s into
// each Forward step until the queue is closed and its sequences are done.
func (m *Miner) runSlot(s *served, w *models.Worker, per int) {
	var active []*seq
	var rows []models.Row
	var owner []int // owner[i]: index in active of the sequence whose logits row i is
	for {
		for len(active) < per {
			var j *job
			if len(active) == 0 {
				if j = s.queue.pop(); j == nil {
					return
				}
			} else if j = s.queue.tryPop(); j == nil {
				break
			}
			m.metrics.QueueDepth.Set(float64(m.queued()))
			if j.q.DeadlineMs > 0 && !m.now().Before(j.deadline) {
				m.reject(j, protocol.RejectReason_REJECT_REASON_DEADLINE, 0, "deadline passed in the queue")
				continue
			}
			active = append(active, m.start(s, j))
		}
		select {
		case <-m.hard:
			for _, sq := range active {
				m.cancel(sq)
			}
			active = active[:0]
			continue
		default:
		}
		now := m.now()
		rows, owner = rows[:0], owner[:0]
		budget := m.cfg.PrefillRows
		live := active[:0]
		for _, sq := range active {
			switch {
			case sq.out.failed.Load():
				m.abandon(sq)
				continue
			case sq.j.q.DeadlineMs > 0 && !now.Before(sq.j.deadline):
				m.complete(sq, protocol.FinishReason_FINISH_REASON_DEADLINE)
				continue
			}
			live = append(live, sq)
			if prompt := sq.j.q.PromptTokens; sq.fed < len(prompt) {
				// Prefill in pieces of at most PrefillRows rows per step
				// (bit-identical however a prompt is split).
				n := min(len(prompt)-sq.fed, budget)
				budget -= n
				for i := sq.fed; i < sq.fed+n; i++ {
					last := i == len(prompt)-1
					rows = append(rows, models.Row{Session: sq.sess, Token: int(prompt[i]), Logits: last})
					if last {
						owner = append(owner, len(live)-1)
					}
				}
				sq.fed += n
			} else {
				rows = append(rows, models.Row{Session: sq.sess, Token: sq.tokens[len(sq.tokens)-1], Logits: true})
				owner = append(owner, len(live)-1)
			}
		}
		active = live
		if len(rows) == 0 {
			continue
		}
		m.metrics.BatchRows.Observe(float64(len(rows)))
		logits, err := w.Forward(rows)
		if err != nil {
			m.metrics.Errors.WithLabelValues("engine").Inc()
			m.recordError("engine", err)
			m.log.Error("forward failed", zap.String("model", s.Name), zap.Error(err))
			for _, sq := range active {
				m.complete(sq, protocol.FinishReason_FINISH_REASON_ERROR)
			}
			active = active[:0]
			continue
		}
		k := 0
		for _, l := range logits {
			if l == nil {
				continue
			}
			sq := active[owner[k]]
			k++
			d := models.LogitsDigest(l)
			tok := sq.samp.Sample(l, sq.sess.Pos())
			sq.tokens = append(sq.tokens, tok)
			sq.digests = append(sq.digests, d)
			sq.rolling = models.RollHash(sq.rolling, tok, d)
			if sq.first.IsZero() {
				sq.first = m.now()
			}
			m.metrics.Tokens.Inc()
			m.tokens.Add(1)
			sq.out.push(tok)
			sq.stepped = true
		}
		live = active[:0]
		for _, sq := range active {
			if !sq.stepped { // still prefilling
				live = append(live, sq)
				continue
			}
			sq.stepped = false
			tok := sq.tokens[len(sq.tokens)-1]
			switch {
			case slices.Contains(sq.stop, tok):
				m.complete(sq, protocol.FinishReason_FINISH_REASON_STOP)
			case sq.maxTokens > 0 && len(sq.tokens) >= sq.maxTokens, sq.sess.Pos() >= s.cfg.SeqLen:
				m.complete(sq, protocol.FinishReason_FINISH_REASON_LENGTH)
			default:
				live = append(live, sq)
			}
		}
		clear(active[len(live):])
		active = live
	}
}

func (m *Miner) release() {
	m.active.Add(-1)
	m.metrics.ActiveSequences.Set(float64(m.active.Load()))
}

// complete ends sq with a signed receipt.
func (m *Miner) complete(sq *seq, finish protocol.FinishReason) {
	m.release()
	now := m.now()
	r := &protocol.Receipt{
		QueryId:      sq.j.q.QueryId,
		ModelId:      sq.j.model.ID,
		Miner:        m.Address().Bytes(),
		PromptTokens: sq.j.q.PromptTokens,
		RollingDigest: func() []byte {
			b := sq.rolling
			return b[:]
		}(),
		Timings: &protocol.Timings{
			QueueUs: us(sq.started.Sub(sq.j.arrived)),
			TotalUs: us(now.Sub(sq.j.arrived)),
		},
		FinishReason: finish,
	}
	if !sq.first.IsZero() {
		r.Timings.FirstTokenUs = us(sq.first.Sub(sq.j.arrived))
	}
	for i, t := range sq.tokens {
		r.OutputTokens = append(r.OutputTokens, uint32(t))
		d := sq.digests[i]
		r.LogitDigests = append(r.LogitDigests, d[:])
	}
	m.metrics.Completed.WithLabelValues(finishLabel(finish)).Inc()
	m.metrics.Duration.Observe(now.Sub(sq.j.arrived).Seconds())
	sq.out.finish(func(w *p2p.InferWriter) error { return w.Receipt(r) })
}

// cancel ends sq with Reject/shutting_down (grace period over).
func (m *Miner) cancel(sq *seq) {
	m.release()
	m.metrics.Rejections.WithLabelValues("shutting_down").Inc()
	sq.out.finish(func(w *p2p.InferWriter) error {
		return w.Reject(protocol.RejectReason_REJECT_REASON_SHUTTING_DOWN, 0, "miner shut down: generation cancelled")
	})
}

// abandon drops sq whose stream broke.
func (m *Miner) abandon(sq *seq) {
	m.release()
	m.log.Debug("sequence abandoned: stream broken", zap.Stringer("querier", sq.j.from))
}

func us(d time.Duration) uint64 {
	if d < 0 {
		return 0
	}
	return uint64(d / time.Microsecond)
}

func finishLabel(f protocol.FinishReason) string {
	switch f {
	case protocol.FinishReason_FINISH_REASON_STOP:
		return "stop"
	case protocol.FinishReason_FINISH_REASON_LENGTH:
		return "length"
	case protocol.FinishReason_FINISH_REASON_DEADLINE:
		return "deadline"
	case protocol.FinishReason_FINISH_REASON_CANCELLED:
		return "cancelled"
	}
	return "error"
}

// texter detokenises streamed tokens into valid UTF-8 pieces: byte tokens
// of a multi-byte character are held back until the character is complete.
type texter struct {
	tok   *models.Tokenizer
	prev  int
	carry string
}

func newTexter(tok *models.Tokenizer, prompt []uint32) *texter {
	t := &texter{tok: tok}
	if len(prompt) > 0 {
		t.prev = int(prompt[len(prompt)-1])
	}
	return t
}

func (t *texter) text(toks []uint32) string {
	if t.tok == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(t.carry)
	for _, id := range toks {
		if int(id) < t.tok.Len() {
			b.WriteString(t.tok.DecodeToken(t.prev, int(id)))
		}
		t.prev = int(id)
	}
	s := b.String()
	cut := len(s)
	for i := 1; i <= utf8.UTFMax-1 && i <= len(s); i++ {
		if utf8.RuneStart(s[len(s)-i]) {
			if !utf8.FullRuneInString(s[len(s)-i:]) {
				cut = len(s) - i
			}
			break
		}
	}
	t.carry = s[cut:]
	return strings.ToValidUTF8(s[:cut], "\uFFFD")
}
