package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

const maxBody = 1 << 20

func (g *Gateway) handleModels(w http.ResponseWriter, r *http.Request) {
	if _, ok := g.authorise(w, r, "models"); !ok {
		return
	}
	data := []any{}
	for _, s := range g.served() {
		data = append(data, modelObject(s))
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
	g.metrics.Requests.WithLabelValues("models", "200").Inc()
}

func (g *Gateway) handleModel(w http.ResponseWriter, r *http.Request) {
	if _, ok := g.authorise(w, r, "models"); !ok {
		return
	}
	id := r.PathValue("id")
	for _, s := range g.served() {
		if s.m.Name == id || hex.EncodeToString(s.m.ID) == id {
			writeJSON(w, http.StatusOK, modelObject(s))
			return
		}
	}
	g.fail(w, "models", &apiError{status: http.StatusNotFound, Message: fmt.Sprintf("model %q is not served", id),
		Type: "invalid_request_error", Param: strp("model"), Code: strp("model_not_found")})
}

func modelObject(s servingModel) map[string]any {
	return map[string]any{"id": s.m.Name, "object": "model", "created": 0, "owned_by": "ganglion",
		"ganglion": map[string]any{"model_id": hex.EncodeToString(s.m.ID), "miners": s.miners, "context_length": s.context}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (g *Gateway) fail(w http.ResponseWriter, endpoint string, e *apiError) {
	writeError(w, e)
	g.metrics.Requests.WithLabelValues(endpoint, strconv.Itoa(e.status)).Inc()
}

func (g *Gateway) noMiner(w http.ResponseWriter, endpoint, why string) {
	w.Header().Set("retry-after", strconv.Itoa(int(max(1, g.cfg.RetryAfter.Seconds()))))
	g.fail(w, endpoint, &apiError{status: http.StatusServiceUnavailable, Message: "no miner available: " + why,
		Type: "server_error", Code: strp("no_miner_available")})
}

// attempt is one miner's answer in progress.
type attempt struct {
	mi     minerInfo
	qid    []byte
	prompt []uint32
	resp   *p2p.Responses
	s      *p2p.InferStream
	first  *p2p.Frame
	cancel context.CancelFunc
	seed   uint64
}

func (a *attempt) close() {
	if a.s != nil {
		a.s.Close()
	}
	a.resp.Close()
	a.cancel()
}

// dispatch finds a miner that starts answering: it returns the attempt
// with its first frame, or an API error.
func (g *Gateway) dispatch(ctx context.Context, m *Model, p *params, prompt []uint32, tried map[[20]byte]bool) (*attempt, *apiError) {
	last := "no miner announces the model"
	for len(tried) < g.cfg.Attempts {
		mi, ctxLen, ok := g.pick(m.ID, tried)
		if !ok {
			break
		}
		tried[mi.addr] = true
		a, retryable, busy, err := g.try(ctx, m, p, prompt, mi, ctxLen)
		if err == nil {
			return a, nil
		}
		var bad *apiError
		if errors.As(err, &bad) {
			g.release(mi.addr, 0)
			return nil, bad
		}
		g.release(mi.addr, busy)
		if ctx.Err() != nil {
			return nil, &apiError{status: 499, Message: "client went away", Type: "invalid_request_error"}
		}
		last = err.Error()
		g.log.Debug("miner attempt failed", zap.String("miner", addrHex(mi.addr)), zap.Error(err))
		if !retryable {
			break
		}
		reason := "error"
		if busy > 0 {
			reason = "busy"
		}
		g.metrics.Retries.WithLabelValues(reason).Inc()
	}
	return nil, &apiError{status: http.StatusServiceUnavailable, Message: "no miner available: " + last,
		Type: "server_error", Code: strp("no_miner_available")}
}

// try sends the query to one miner and waits for its first frame.
func (g *Gateway) try(ctx context.Context, m *Model, p *params, prompt []uint32, mi minerInfo, ctxLen uint32) (a *attempt, retryable bool, busy time.Duration, err error) {
	maxTok := p.maxTokens
	room := int(ctxLen) - len(prompt)
	if m.ContextLength > 0 {
		room = min(room, m.ContextLength-len(prompt))
	}
	if room < 1 {
		return nil, false, 0, badField("messages", "the prompt of %d tokens fills the model's context of %d", len(prompt), ctxLen)
	}
	if maxTok == 0 || maxTok > room {
		maxTok = room
	}
	qid := make([]byte, protocol.QueryIDSize)
	_, _ = rand.Read(qid)
	seed := randUint64()
	if p.seed != nil {
		seed = *p.seed
	}
	now := time.Now()
	q := &protocol.Query{QueryId: qid, Sender: g.node.Address().Bytes(), ModelId: m.ID, PromptTokens: prompt,
		Sampling: &protocol.SamplingParams{Temperature: p.temperature, TopP: p.topP, MaxTokens: uint32(maxTok),
			StopTokenIds: []uint32{uint32(m.EOS)}},
		Targets:    []*protocol.Target{{Miner: mi.addr[:], Seed: seed}},
		DeadlineMs: now.Add(g.cfg.Deadline).UnixMilli(), TimestampMs: now.UnixMilli()}
	qctx, cancel := context.WithDeadline(ctx, now.Add(g.cfg.Deadline))
	resp, err := g.node.Await(qid, 1)
	if err != nil {
		cancel()
		return nil, false, 0, fmt.Errorf("await: %w", err)
	}
	a = &attempt{mi: mi, qid: qid, prompt: prompt, resp: resp, cancel: cancel, seed: seed}
	if err := g.doPublish(qctx, q); err != nil {
		a.close()
		return nil, true, 0, fmt.Errorf("publish: %w", err)
	}
	t := time.NewTimer(g.cfg.FirstFrameTimeout)
	defer t.Stop()
	select {
	case s, ok := <-resp.Streams():
		if !ok {
			a.close()
			return nil, true, 0, errors.New("node closed")
		}
		a.s = s
	case <-t.C:
		a.close()
		return nil, true, 0, fmt.Errorf("no answer within %v", g.cfg.FirstFrameTimeout)
	case <-qctx.Done():
		a.close()
		return nil, false, 0, qctx.Err()
	}
	fctx, fcancel := context.WithTimeout(qctx, g.cfg.FirstFrameTimeout)
	f, err := a.s.Next(fctx)
	fcancel()
	if err != nil {
		a.close()
		return nil, true, 0, err
	}
	if f.Reject != nil {
		a.close()
		switch f.Reject.Reason {
		case protocol.RejectReason_REJECT_REASON_BAD_REQUEST:
			return nil, false, 0, &apiError{status: http.StatusBadRequest, Message: "miner: " + f.Reject.Message,
				Type: "invalid_request_error"}
		case protocol.RejectReason_REJECT_REASON_BUSY, protocol.RejectReason_REJECT_REASON_RATE_LIMITED:
			busy = max(time.Duration(f.Reject.RetryAfterMs)*time.Millisecond, 100*time.Millisecond)
		}
		return nil, true, busy, fmt.Errorf("miner rejected: %v %s", f.Reject.Reason, f.Reject.Message)
	}
	a.first = f
	return a, false, 0, nil
}

// checkReceipt verifies a receipt against the query and the streamed tokens
// (its signature and signer were checked by p2p).
func checkReceipt(f *p2p.Frame, a *attempt, m *Model, tokens []uint32) error {
	r := f.Receipt
	switch {
	case f.Envelope == nil || f.Envelope.Sender != [20]byte(a.mi.addr):
		return fmt.Errorf("%w: signed by another address", ErrBadReceipt)
	case !bytes.Equal(r.Miner, a.mi.addr[:]):
		return fmt.Errorf("%w: miner field", ErrBadReceipt)
	case !bytes.Equal(r.ModelId, m.ID):
		return fmt.Errorf("%w: model %x", ErrBadReceipt, r.ModelId)
	case !equalTokens(r.PromptTokens, a.prompt):
		return fmt.Errorf("%w: prompt differs", ErrBadReceipt)
	case !equalTokens(r.OutputTokens, tokens):
		return fmt.Errorf("%w: %d output tokens, %d streamed", ErrBadReceipt, len(r.OutputTokens), len(tokens))
	case len(r.LogitDigests) != len(r.OutputTokens):
		return fmt.Errorf("%w: %d digests", ErrBadReceipt, len(r.LogitDigests))
	}
	return nil
}

func equalTokens(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func finishReason(r protocol.FinishReason) string {
	if r == protocol.FinishReason_FINISH_REASON_STOP {
		return "stop"
	}
	return "length"
}

// handleCompletion serves both completion endpoints.
func (g *Gateway) handleCompletion(w http.ResponseWriter, r *http.Request, chat bool) {
	endpoint := "completions"
	if chat {
		endpoint = "chat_completions"
	}
	start := time.Now()
	key, ok := g.authorise(w, r, endpoint)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		g.fail(w, endpoint, &apiError{status: http.StatusBadRequest, Message: "reading the body: " + err.Error(),
			Type: "invalid_request_error", Code: strp("invalid_json")})
		return
	}
	p, bad := parseRequest(body, chat)
	if bad != nil {
		g.fail(w, endpoint, bad)
		return
	}
	m := g.models[p.model]
	if m == nil {
		g.fail(w, endpoint, &apiError{status: http.StatusNotFound, Message: fmt.Sprintf("model %q does not exist", p.model),
			Type: "invalid_request_error", Param: strp("model"), Code: strp("model_not_found")})
		return
	}
	text := p.prompt
	if chat {
		text = renderChat(templateKind(m.ChatTemplate), p.messages)
	}
	ids := m.Tokenizer.Encode(text, true, false)
	prompt := make([]uint32, len(ids))
	for i, t := range ids {
		prompt[i] = uint32(t)
	}
	g.metrics.InFlight.Inc()
	defer g.metrics.InFlight.Dec()
	ctx := r.Context()
	tried := map[[20]byte]bool{}
	var out *answer
	for {
		a, bad := g.dispatch(ctx, m, p, prompt, tried)
		if bad != nil {
			g.feedFail(m, endpoint, bad, start)
			if bad.status == http.StatusServiceUnavailable {
				w.Header().Set("retry-after", strconv.Itoa(int(max(1, g.cfg.RetryAfter.Seconds()))))
			}
			if bad.status != 499 {
				g.fail(w, endpoint, bad)
			}
			return
		}
		g.metrics.Latency.WithLabelValues(endpoint).Observe(time.Since(start).Seconds())
		g.feedBegin(a, m, endpoint, start)
		w.Header().Set("x-ganglion-miner", addrHex(a.mi.addr))
		w.Header().Set("x-ganglion-peer", a.mi.peer.String())
		w.Header().Del("x-ganglion-miner-uid")
		if g.uids != nil {
			if uid, ok := g.uids(a.mi.addr); ok {
				w.Header().Set("x-ganglion-miner-uid", strconv.FormatUint(uint64(uid), 10))
			}
		}
		out = &answer{g: g, w: w, p: p, m: m, a: a, chat: chat, endpoint: endpoint,
			canRetry: len(tried) < g.cfg.Attempts}
		out.id = "cmpl-" + hex.EncodeToString(a.qid)
		if chat {
			out.id = "chatcmpl-" + hex.EncodeToString(a.qid)
		}
		out.created = time.Now().Unix()
		retry := out.run(ctx)
		a.close()
		g.feedEnd(a, retry)
		g.release(a.mi.addr, 0)
		if !retry {
			break
		}
		g.metrics.Retries.WithLabelValues("bad_answer").Inc()
	}
	if key != nil && g.keys != nil {
		g.keys.AddUsage(key.Hash, len(prompt), out.completionTokens)
	}
	g.metrics.Tokens.WithLabelValues("in").Add(float64(len(prompt)))
	g.metrics.Tokens.WithLabelValues("out").Add(float64(out.completionTokens))
}

// answer turns one miner's stream into the HTTP response.
type answer struct {
	g        *Gateway
	w        http.ResponseWriter
	p        *params
	m        *Model
	a        *attempt
	chat     bool
	endpoint string
	id       string
	created  int64

	tokens           []uint32
	prev             int
	text             strings.Builder // every decoded character so far (before stop cut)
	sent             int             // bytes of text already released to the client
	pending          string          // released text not yet written (held for finish_reason)
	completionTokens int
	started          bool // stream headers written
	canRetry         bool // a failure may be retried on another miner (nothing written yet)
	flusher          http.Flusher
}

// run streams the answer; it reports whether the miner failed before
// anything was written and canRetry allows another miner.
func (o *answer) run(ctx context.Context) (retry bool) {
	o.prev = -1
	if len(o.a.prompt) > 0 {
		o.prev = int(o.a.prompt[len(o.a.prompt)-1])
	}
	f := o.a.first
	var err error
	for {
		if f == nil {
			f, err = o.a.s.Next(ctx)
			if err != nil {
				return o.broken(ctx, err)
			}
		}
		switch {
		case f.Chunk != nil:
			if stopped := o.add(f.Chunk.Tokens); stopped {
				o.finish("stop", nil)
				return false
			}
			if o.p.stream {
				o.release(false)
			}
		case f.Receipt != nil:
			if err := checkReceipt(f, o.a, o.m, o.tokens); err != nil {
				return o.broken(ctx, err)
			}
			o.completionTokens = len(f.Receipt.OutputTokens)
			o.g.maybeVerify(o.m, o.a.mi.addr, f.Receipt,
				models.Sampler{Temperature: o.p.temperature, TopP: o.p.topP, Seed: o.a.seed})
			o.finish(finishReason(f.Receipt.FinishReason), f)
			return false
		case f.Reject != nil:
			return o.broken(ctx, fmt.Errorf("miner rejected mid-answer: %v %s", f.Reject.Reason, f.Reject.Message))
		}
		f = nil
	}
}

// add decodes tokens; it reports whether a stop string ended the answer.
func (o *answer) add(toks []uint32) bool {
	for _, t := range toks {
		o.tokens = append(o.tokens, t)
		o.completionTokens = len(o.tokens)
		if int(t) == o.m.EOS {
			continue
		}
		o.text.WriteString(o.m.Tokenizer.DecodeToken(o.prev, int(t)))
		o.prev = int(t)
		if len(o.p.stop) > 0 {
			full := o.text.String()
			for _, s := range o.p.stop {
				if i := strings.Index(full[max(0, o.sent-len(s)):], s); i >= 0 {
					cut := max(0, o.sent-len(s)) + i
					o.truncate(cut)
					return true
				}
			}
		}
	}
	return false
}

func (o *answer) truncate(n int) {
	full := o.text.String()[:n]
	o.text.Reset()
	o.text.WriteString(full)
}

// release moves text that can no longer become part of a stop string to
// pending (all of it when final).
func (o *answer) release(final bool) {
	full := o.text.String()
	upto := len(full)
	if !final {
		hold := 0
		for _, s := range o.p.stop {
			hold = max(hold, len(s)-1)
		}
		upto = max(o.sent, len(full)-hold)
		for upto > o.sent && upto < len(full) && !utf8Start(full[upto]) {
			upto--
		}
	}
	if upto <= o.sent {
		return
	}
	newText := full[o.sent:upto]
	o.sent = upto
	if o.p.stream && o.pending != "" {
		o.event(o.content(o.pending, "", nil))
		o.pending = ""
	}
	o.pending += newText
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func (o *answer) content(text, finish string, extra map[string]any) map[string]any {
	if o.chat {
		d := map[string]any{}
		if text != "" || finish == "" {
			d["content"] = text
		}
		return o.chunk(d, finish, extra)
	}
	c := map[string]any{"index": 0, "text": text, "logprobs": nil, "finish_reason": nilIfEmpty(finish)}
	obj := map[string]any{"id": o.id, "object": "text_completion", "created": o.created, "model": o.m.Name,
		"choices": []any{c}}
	for k, v := range extra {
		obj[k] = v
	}
	return obj
}

func (o *answer) chunk(delta map[string]any, finish string, extra map[string]any) map[string]any {
	c := map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": nilIfEmpty(finish)}
	obj := map[string]any{"id": o.id, "object": "chat.completion.chunk", "created": o.created, "model": o.m.Name,
		"choices": []any{c}}
	for k, v := range extra {
		obj[k] = v
	}
	return obj
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// begin writes the stream's headers and, for chat, the role chunk. It
// runs before the first event, so a miner failing before any text was
// released can still be replaced by another.
func (o *answer) begin() {
	o.started = true
	o.flusher, _ = o.w.(http.Flusher)
	h := o.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	o.w.WriteHeader(http.StatusOK)
	if o.chat {
		o.event(o.chunk(map[string]any{"role": "assistant", "content": ""}, "", nil))
	}
}

func (o *answer) event(v any) {
	if !o.started {
		o.begin()
	}
	b, _ := json.Marshal(v)
	_, _ = o.w.Write([]byte("data: "))
	_, _ = o.w.Write(b)
	_, _ = o.w.Write([]byte("\n\n"))
	if o.flusher != nil {
		o.flusher.Flush()
	}
}

func (o *answer) usage() usage {
	return usage{PromptTokens: len(o.a.prompt), CompletionTokens: o.completionTokens,
		TotalTokens: len(o.a.prompt) + o.completionTokens}
}

func (o *answer) served(f *p2p.Frame) servedBy {
	s := servedBy{Miner: addrHex(o.a.mi.addr), Peer: o.a.mi.peer.String(), ModelID: hex.EncodeToString(o.m.ID)}
	if o.g.uids != nil {
		if uid, ok := o.g.uids(o.a.mi.addr); ok {
			u := int64(uid)
			s.UID = &u
		}
	}
	if f != nil && f.Envelope != nil {
		s.Receipt = f.Envelope.Digest.Hex()
	}
	return s
}

// finish ends a successful answer (f: the receipt frame; nil after a stop
// string, which cancels the miner's work by closing the stream).
func (o *answer) finish(reason string, f *p2p.Frame) {
	o.release(true)
	gl := o.served(f)
	o.g.feedDone(o, gl.Receipt)
	if f == nil {
		o.a.s.Close()
	}
	if !o.p.stream {
		text := o.pending
		if gl.Receipt != "" {
			o.w.Header().Set("x-ganglion-receipt", gl.Receipt)
		}
		var choice map[string]any
		obj := "text_completion"
		if o.chat {
			obj = "chat.completion"
			choice = map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": text},
				"logprobs": nil, "finish_reason": reason}
		} else {
			choice = map[string]any{"index": 0, "text": text, "logprobs": nil, "finish_reason": reason}
		}
		writeJSON(o.w, http.StatusOK, map[string]any{"id": o.id, "object": obj, "created": o.created, "model": o.m.Name,
			"choices": []any{choice}, "usage": o.usage(), "ganglion": gl})
		o.g.metrics.Requests.WithLabelValues(o.endpoint, "200").Inc()
		return
	}
	o.event(o.content(o.pending, reason, map[string]any{"ganglion": gl}))
	o.pending = ""
	if o.p.includeUsage {
		kind := "chat.completion.chunk"
		if !o.chat {
			kind = "text_completion"
		}
		o.event(map[string]any{"id": o.id, "object": kind, "created": o.created, "model": o.m.Name,
			"choices": []any{}, "usage": o.usage()})
	}
	if !o.started {
		o.begin()
	}
	_, _ = o.w.Write([]byte("data: [DONE]\n\n"))
	if o.flusher != nil {
		o.flusher.Flush()
	}
	o.g.metrics.Requests.WithLabelValues(o.endpoint, "200").Inc()
}

// broken ends an answer whose miner failed after it started answering.
func (o *answer) broken(ctx context.Context, err error) (retry bool) {
	o.a.s.Close()
	if ctx.Err() != nil {
		o.g.metrics.Requests.WithLabelValues(o.endpoint, "499").Inc()
		return false // the client went away; closing the stream cancelled the miner
	}
	o.g.log.Warn("miner answer failed", zap.String("miner", addrHex(o.a.mi.addr)), zap.Error(err))
	if errors.Is(err, ErrBadReceipt) {
		o.g.ban(o.a.mi.addr)
	}
	if o.canRetry && !o.started {
		return true
	}
	e := &apiError{status: http.StatusBadGateway, Message: "the miner's answer failed: " + err.Error(),
		Type: "server_error", Code: strp("miner_failed")}
	if !o.started {
		o.g.fail(o.w, o.endpoint, e)
		return false
	}
	o.event(map[string]any{"error": e})
	o.g.metrics.Requests.WithLabelValues(o.endpoint, "502").Inc()
	return false
}
