package models

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// TokenType classifies a vocabulary entry. The values are SentencePiece's
// (and GGUF's tokenizer.ggml.token_type).
type TokenType int32

// Token types.
const (
	TokenNormal      TokenType = 1
	TokenUnknown     TokenType = 2
	TokenControl     TokenType = 3
	TokenUserDefined TokenType = 4
	TokenUnused      TokenType = 5
	TokenByte        TokenType = 6
)

// Tokenizer is a SentencePiece-style BPE vocabulary: text is split into
// UTF-8 characters (bytes outside the vocabulary fall back to <0xXX> byte
// tokens), a space is prepended (unless the vocabulary says not to), and adjacent pieces are merged greedily by
// the score of the merged piece, the leftmost pair winning ties — llama2.c's
// encoder, which matches SentencePiece and llama.cpp on the Llama vocabulary.
// Spaces inside pieces are stored as ' ' (GGUF's '▁' is converted on load).
//
// Control and unknown tokens (BOS, EOS, <unk>) and byte tokens are never
// produced by merging, so user text cannot smuggle in a control token.
// A Tokenizer is immutable and safe for concurrent use.
type Tokenizer struct {
	pieces []string
	scores []float32
	types  []TokenType
	ids    map[string]int32 // pieces that text may merge into
	byteID [256]int32       // <0xXX> token per byte, -1 when absent
	bos    int
	eos    int
	unk    int
	maxLen int // longest piece in bytes
	// noPrefix: Encode adds no leading space and Decode strips none.
	noPrefix bool
}

// TokenizerSpec describes a vocabulary for NewTokenizer.
type TokenizerSpec struct {
	Pieces []string    // token texts; '▁' (U+2581) is read as a space
	Scores []float32   // merge priority, higher first; len(Pieces)
	Types  []TokenType // optional; inferred from the pieces when nil
	BOS    int         // begin-of-sequence id
	EOS    int         // end-of-sequence id
	UNK    int         // unknown-token id
	// NoSpacePrefix disables the leading space Encode adds to a text and
	// Decode removes (GGUF tokenizer.ggml.add_space_prefix = false).
	NoSpacePrefix bool
}

// tokenizerMaxPiece bounds one vocabulary entry; real vocabularies stay below 64.
const tokenizerMaxPiece = 1 << 16

// NewTokenizer builds a tokenizer from a vocabulary.
func NewTokenizer(spec TokenizerSpec) (*Tokenizer, error) {
	n := len(spec.Pieces)
	if n == 0 {
		return nil, fmt.Errorf("tokenizer: empty vocabulary")
	}
	if n > 1<<21 {
		return nil, fmt.Errorf("tokenizer: %d tokens is beyond any supported vocabulary", n)
	}
	if len(spec.Scores) != n {
		return nil, fmt.Errorf("tokenizer: %d scores for %d tokens", len(spec.Scores), n)
	}
	if spec.Types != nil && len(spec.Types) != n {
		return nil, fmt.Errorf("tokenizer: %d token types for %d tokens", len(spec.Types), n)
	}
	for _, id := range []struct {
		name string
		v    int
	}{{"bos", spec.BOS}, {"eos", spec.EOS}, {"unk", spec.UNK}} {
		if id.v < 0 || id.v >= n {
			return nil, fmt.Errorf("tokenizer: %s id %d outside the vocabulary of %d", id.name, id.v, n)
		}
	}
	t := &Tokenizer{
		pieces:   make([]string, n),
		scores:   append([]float32(nil), spec.Scores...),
		types:    make([]TokenType, n),
		ids:      make(map[string]int32, n),
		bos:      spec.BOS,
		eos:      spec.EOS,
		unk:      spec.UNK,
		noPrefix: spec.NoSpacePrefix,
	}
	for i := range t.byteID {
		t.byteID[i] = -1
	}
	for i, p := range spec.Pieces {
		if len(p) > tokenizerMaxPiece {
			return nil, fmt.Errorf("tokenizer: token %d is %d bytes long", i, len(p))
		}
		p = strings.ReplaceAll(p, "\u2581", " ")
		t.pieces[i] = p
		t.maxLen = max(t.maxLen, len(p))
		typ := TokenNormal
		if spec.Types != nil {
			typ = spec.Types[i]
		} else {
			switch {
			case i == spec.UNK:
				typ = TokenUnknown
			case i == spec.BOS || i == spec.EOS:
				typ = TokenControl
			case tokenizerIsByte(p):
				typ = TokenByte
			}
		}
		t.types[i] = typ
		switch typ {
		case TokenByte:
			if b, ok := tokenizerParseByte(p); ok && t.byteID[b] < 0 {
				t.byteID[b] = int32(i)
			}
		case TokenNormal, TokenUserDefined:
			if _, dup := t.ids[p]; !dup && p != "" {
				t.ids[p] = int32(i)
			}
		}
	}
	return t, nil
}

func tokenizerIsByte(p string) bool { _, ok := tokenizerParseByte(p); return ok }

// tokenizerParseByte reads a "<0xXX>" byte token.
func tokenizerParseByte(p string) (byte, bool) {
	if len(p) != 6 || p[:3] != "<0x" || p[5] != '>' {
		return 0, false
	}
	var v byte
	for _, c := range []byte(p[3:5]) {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | (c - '0')
		case c >= 'A' && c <= 'F':
			v = v<<4 | (c - 'A' + 10)
		case c >= 'a' && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}

// LoadTokenizer reads a tokenizer: a llama2.c tokenizer.bin, or the
// tokenizer.ggml.* vocabulary of a GGUF file (a model or a vocabulary-only
// file). A tokenizer.bin does not record its vocabulary size: vocab is the
// model's (Config.Vocab), and vocab <= 0 reads every token the file holds.
// For GGUF, a positive vocab must equal the file's vocabulary size.
func LoadTokenizer(path string, vocab int) (*Tokenizer, error) {
	f, err := mmapOpen(path, false)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	defer f.Close()
	var t *Tokenizer
	if len(f.Data) >= 4 && string(f.Data[:4]) == "GGUF" {
		g, err := parseGGUF(f.Data)
		if err != nil {
			return nil, fmt.Errorf("tokenizer %s: %w", path, err)
		}
		if t, err = g.tokenizer(); err != nil {
			return nil, fmt.Errorf("tokenizer %s: %w", path, err)
		}
		if t == nil {
			return nil, fmt.Errorf("tokenizer %s: the GGUF file has no tokenizer.ggml.tokens", path)
		}
		if vocab > 0 && t.Len() != vocab {
			return nil, fmt.Errorf("tokenizer %s: %d tokens, model vocabulary is %d", path, t.Len(), vocab)
		}
		return t, nil
	}
	if t, err = ParseTokenizerBin(f.Data, vocab); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ParseTokenizerBin decodes a llama2.c tokenizer.bin: int32 max_token_length,
// then per token float32 score, int32 length, bytes. Ids 0, 1 and 2 are
// <unk>, BOS and EOS. vocab <= 0 reads every token present.
func ParseTokenizerBin(data []byte, vocab int) (*Tokenizer, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("tokenizer.bin: %d bytes, too short for a header", len(data))
	}
	maxTok := int32(binary.LittleEndian.Uint32(data))
	if maxTok < 0 {
		return nil, fmt.Errorf("tokenizer.bin: negative max token length %d", maxTok)
	}
	rest := data[4:]
	if vocab > 1<<21 {
		return nil, fmt.Errorf("tokenizer.bin: vocabulary of %d is beyond any supported model", vocab)
	}
	if vocab > 0 && len(rest)/8 < vocab {
		return nil, fmt.Errorf("tokenizer.bin: %d bytes cannot hold %d tokens", len(data), vocab)
	}
	capHint := vocab
	if capHint <= 0 {
		capHint = min(len(rest)/8, 1<<21)
	}
	pieces := make([]string, 0, capHint)
	scores := make([]float32, 0, capHint)
	off := 0
	for i := 0; vocab <= 0 || i < vocab; i++ {
		if vocab <= 0 && off == len(rest) {
			break
		}
		if len(pieces) >= 1<<21 {
			return nil, fmt.Errorf("tokenizer.bin: more than %d tokens", 1<<21)
		}
		if len(rest)-off < 8 {
			return nil, fmt.Errorf("tokenizer.bin: token %d: file truncated at byte %d", i, 4+off)
		}
		score := math.Float32frombits(binary.LittleEndian.Uint32(rest[off:]))
		n := int32(binary.LittleEndian.Uint32(rest[off+4:]))
		off += 8
		if n < 0 || int(n) > len(rest)-off || n > tokenizerMaxPiece {
			return nil, fmt.Errorf("tokenizer.bin: token %d: length %d exceeds the %d bytes left", i, n, len(rest)-off)
		}
		pieces = append(pieces, string(rest[off:off+int(n)]))
		scores = append(scores, score)
		off += int(n)
	}
	if len(pieces) < 3 {
		return nil, fmt.Errorf("tokenizer.bin: %d tokens, need at least <unk>, BOS and EOS", len(pieces))
	}
	return NewTokenizer(TokenizerSpec{Pieces: pieces, Scores: scores, BOS: 1, EOS: 2, UNK: 0})
}

// Len is the vocabulary size.
func (t *Tokenizer) Len() int { return len(t.pieces) }

// BOS is the begin-of-sequence token id.
func (t *Tokenizer) BOS() int { return t.bos }

// EOS is the end-of-sequence token id.
func (t *Tokenizer) EOS() int { return t.eos }

// Piece is token id's text as stored (spaces as ' ', byte tokens as
// "<0xXX>"), or "" for an id outside the vocabulary.
func (t *Tokenizer) Piece(id int) string {
	if id < 0 || id >= len(t.pieces) {
		return ""
	}
	return t.pieces[id]
}

// Score is token id's merge score.
func (t *Tokenizer) Score(id int) float32 {
	if id < 0 || id >= len(t.scores) {
		return 0
	}
	return t.scores[id]
}

// Type is token id's type.
func (t *Tokenizer) Type(id int) TokenType {
	if id < 0 || id >= len(t.types) {
		return 0
	}
	return t.types[id]
}

// Encode tokenizes text, optionally with BOS first and EOS last. A non-empty
// text gets a leading space (SentencePiece's dummy prefix).
func (t *Tokenizer) Encode(text string, bos, eos bool) []int {
	syms := make([]int32, 0, len(text)+1)
	if text != "" && !t.noPrefix {
		syms = t.appendChars(syms, " ")
	}
	syms = t.appendChars(syms, text)
	syms = t.merge(syms)
	out := make([]int, 0, len(syms)+2)
	if bos {
		out = append(out, t.bos)
	}
	for _, s := range syms {
		out = append(out, int(s))
	}
	if eos {
		out = append(out, t.eos)
	}
	return out
}

// appendChars appends one token per UTF-8 character of s (up to 4 bytes,
// grouped like llama2.c: a lead byte and the continuation bytes after it),
// falling back to byte tokens for characters outside the vocabulary.
func (t *Tokenizer) appendChars(syms []int32, s string) []int32 {
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			start = i
		}
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 && i+1-start < 4 {
			continue
		}
		chunk := s[start : i+1]
		if id, ok := t.ids[chunk]; ok {
			syms = append(syms, id)
		} else {
			for j := 0; j < len(chunk); j++ {
				id := t.byteID[chunk[j]]
				if id < 0 {
					id = int32(t.unk)
				}
				syms = append(syms, id)
			}
		}
		start = i + 1
	}
	return syms
}

// tokenizerCand is a possible merge of the symbol at left with its right
// neighbour into token id.
type tokenizerCand struct {
	score       float32
	left, right int
	lid, rid    int32
	id          int32
}

// tokenizerHeap is a binary max-heap of merge candidates ordered by score,
// then by leftmost position.
type tokenizerHeap []tokenizerCand

func (h tokenizerHeap) before(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].left < h[j].left
}

func (h *tokenizerHeap) push(c tokenizerCand) {
	*h = append(*h, c)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.before(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *tokenizerHeap) pop() tokenizerCand {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && a.before(l, m) {
			m = l
		}
		if r < n && a.before(r, m) {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}

// tokenizerFloor is llama2.c's initial best score: merges scoring at or below it
// never happen.
const tokenizerFloor = -1e10

// merge repeatedly merges the adjacent pair whose concatenation is the
// highest-scoring vocabulary piece, the leftmost pair on ties. A symbol keeps
// the position of its leftmost character, so "leftmost" is the smallest
// position, which a heap ordered by (score desc, position asc) yields in the
// same order as llama2.c's quadratic scan.
func (t *Tokenizer) merge(syms []int32) []int32 {
	n := len(syms)
	if n < 2 {
		return syms
	}
	next := make([]int, n)
	prev := make([]int, n)
	alive := make([]bool, n)
	for i := range syms {
		next[i], prev[i], alive[i] = i+1, i-1, true
	}
	next[n-1] = -1
	h := make(tokenizerHeap, 0, n)
	var buf []byte
	consider := func(l int) {
		if l < 0 {
			return
		}
		r := next[l]
		if r < 0 {
			return
		}
		a, b := t.pieces[syms[l]], t.pieces[syms[r]]
		if len(a)+len(b) > t.maxLen {
			return
		}
		buf = append(append(buf[:0], a...), b...)
		id, ok := t.ids[string(buf)] // no allocation: the compiler looks up without copying
		if !ok || !(t.scores[id] > tokenizerFloor) {
			return
		}
		h.push(tokenizerCand{score: t.scores[id], left: l, right: r, lid: syms[l], rid: syms[r], id: id})
	}
	for i := 0; i+1 < n; i++ {
		consider(i)
	}
	for len(h) > 0 {
		c := h.pop()
		if !alive[c.left] || !alive[c.right] || next[c.left] != c.right || syms[c.left] != c.lid || syms[c.right] != c.rid {
			continue
		}
		syms[c.left] = c.id
		alive[c.right] = false
		next[c.left] = next[c.right]
		if next[c.right] >= 0 {
			prev[next[c.right]] = c.left
		}
		consider(prev[c.left])
		consider(c.left)
	}
	out := syms[:0]
	for i := 0; i >= 0; i = next[i] {
		out = append(out, syms[i])
	}
	return out
}

// DecodeToken is the text of token id following token prev, as llama2.c
// prints it: the leading space of the first piece after BOS is dropped, a
// byte token <0xXX> is the raw byte (possibly part of a UTF-8 character
// split over several tokens), control tokens are empty, and an id outside
// the vocabulary is empty.
func (t *Tokenizer) DecodeToken(prev, id int) string {
	if id < 0 || id >= len(t.pieces) {
		return ""
	}
	p := t.pieces[id]
	switch t.types[id] {
	case TokenControl:
		return ""
	case TokenByte:
		if b, ok := tokenizerParseByte(p); ok {
			return string([]byte{b})
		}
	}
	if prev == t.bos && strings.HasPrefix(p, " ") {
		p = p[1:]
	}
	return p
}

// Decode is the text of a token sequence: control tokens are skipped, byte
// tokens become raw bytes, and one leading space (the dummy prefix Encode
// adds) is dropped, so Decode(Encode(s, bos, eos)) == s for every string s.
// Decode of generated tokens after BOS thus matches the streamed
// DecodeToken text.
func (t *Tokenizer) Decode(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(t.DecodeToken(-1, id))
	}
	if t.noPrefix {
		return b.String()
	}
	return strings.TrimPrefix(b.String(), " ")
}
