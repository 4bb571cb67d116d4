package challenge

import (
	"encoding/binary"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Secret is a 32-byte value only the validator knows.
type Secret [32]byte

// stream is a keccak-based deterministic generator: block i is
// keccak256(key ‖ label ‖ u64 i).
type stream struct {
	key   []byte
	buf   []byte
	block uint64
}

func newStream(key []byte, label string) *stream {
	return &stream{key: append(append([]byte(nil), key...), label...)}
}

func (s *stream) next() uint64 {
	if len(s.buf) < 8 {
		s.buf = crypto.Keccak256(s.key, binary.BigEndian.AppendUint64(nil, s.block))
		s.block++
	}
	v := binary.BigEndian.Uint64(s.buf)
	s.buf = s.buf[8:]
	return v
}

// intn returns a value in [0, n) (n > 0) without modulo bias.
func (s *stream) intn(n int) int {
	limit := ^uint64(0) - ^uint64(0)%uint64(n)
	for {
		v := s.next()
		if v < limit {
			return int(v % uint64(n))
		}
	}
}

// EpochSecret derives epoch's secret from a validator's master secret.
func EpochSecret(master Secret, epoch uint64) Secret {
	return Secret(crypto.Keccak256Hash([]byte("ganglion/challenge/epoch\x00"), master[:], binary.BigEndian.AppendUint64(nil, epoch)))
}

// QueryID returns the 16-byte id of probe i of an epoch.
func QueryID(s Secret, i uint64) []byte {
	return crypto.Keccak256([]byte("ganglion/challenge/query\x00"), s[:], binary.BigEndian.AppendUint64(nil, i))[:16]
}

// MinerSeed is the sampler seed of miner for query id:
// the first 8 bytes (big-endian) of keccak256(tag ‖ nonce ‖ miner ‖ queryID),
// never 0. Different miners get different seeds for the same query, so one
// miner's receipt does not verify as another's.
func MinerSeed(nonce Secret, miner common.Address, queryID []byte) uint64 {
	h := crypto.Keccak256([]byte("ganglion/challenge/seed\x00"), nonce[:], miner.Bytes(), queryID)
	v := binary.BigEndian.Uint64(h)
	if v == 0 {
		v = 1
	}
	return v
}

// Prompt returns the text of prompt i under secret s: a template filled
// with words from the built-in lists.
func Prompt(s Secret, i uint64) string {
	r := newStream(s[:], "prompt"+string(binary.BigEndian.AppendUint64(nil, i)))
	t := templates[r.intn(len(templates))]
	var b strings.Builder
	for {
		j := strings.IndexByte(t, '{')
		if j < 0 {
			b.WriteString(t)
			break
		}
		k := strings.IndexByte(t[j:], '}') + j
		b.WriteString(t[:j])
		list := words[t[j+1:k]]
		b.WriteString(list[r.intn(len(list))])
		t = t[k+1:]
	}
	return b.String()
}

// PromptTokens returns n token ids of prompt i for a model without a
// tokenizer: bos, then ids drawn uniformly from [lo, vocab).
func PromptTokens(s Secret, i uint64, bos, lo, vocab, n int) []int {
	r := newStream(s[:], "tokens"+string(binary.BigEndian.AppendUint64(nil, i)))
	out := make([]int, 0, n)
	out = append(out, bos)
	for len(out) < n {
		out = append(out, lo+r.intn(vocab-lo))
	}
	return out
}

// Sampling are the sampler settings of a probe.
type Sampling struct {
	Temperature float32
	TopP        float32
	TopK        int
	MaxTokens   int
}

// SamplingOptions bound the settings Settings draws.
type SamplingOptions struct {
	Temperatures []float32 // drawn from; 0 gives greedy probes, which cannot catch copied answers
	TopPs        []float32
	TopKs        []int
	MinTokens    int
	MaxTokens    int
}

// DefaultSamplingOptions gives sampled probes (never greedy: under greedy
// decoding the seed does not matter, so a copied or relayed answer of
// another miner would verify) of 16–64 tokens.
func DefaultSamplingOptions() SamplingOptions {
	return SamplingOptions{
		Temperatures: []float32{0.6, 0.7, 0.8, 1},
		TopPs:        []float32{0, 0.9, 0.95},
		TopKs:        []int{0, 40},
		MinTokens:    16,
		MaxTokens:    64,
	}
}

// Settings draws probe i's sampling settings under secret s.
func Settings(s Secret, i uint64, o SamplingOptions) Sampling {
	r := newStream(s[:], "sampling"+string(binary.BigEndian.AppendUint64(nil, i)))
	pick := func(n int) int {
		if n == 0 {
			return -1
		}
		return r.intn(n)
	}
	var out Sampling
	if j := pick(len(o.Temperatures)); j >= 0 {
		out.Temperature = o.Temperatures[j]
	}
	if j := pick(len(o.TopPs)); j >= 0 {
		out.TopP = o.TopPs[j]
	}
	if j := pick(len(o.TopKs)); j >= 0 {
		out.TopK = o.TopKs[j]
	}
	out.MaxTokens = o.MinTokens
	if o.MaxTokens > o.MinTokens {
		out.MaxTokens += r.intn(o.MaxTokens - o.MinTokens + 1)
	}
	return out
}
