package verify

import (
	"crypto/sha256"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
)

func worker(t testing.TB, shape models.Shape, seed uint64) *models.Worker {
	t.Helper()
	wts, err := models.Random(shape, seed)
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.NewEngine(wts)
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.NewWorker(models.Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

var (
	modelID  = sha256.Sum256([]byte("model"))
	minerA   = common.HexToAddress("0xa1")
	minerB   = common.HexToAddress("0xb2")
	nonce    = challenge.Secret{7}
	epochSec = challenge.Secret{9}
)

func query(temperature float32) *protocol.Query {
	qid := challenge.QueryID(epochSec, 1)
	q := &protocol.Query{
		QueryId: qid, Sender: common.HexToAddress("0x77").Bytes(), ModelId: modelID[:],
		Sampling: &protocol.SamplingParams{Temperature: temperature, TopP: 0.95, MaxTokens: 24, StopTokenIds: []uint32{2}},
	}
	for _, t := range challenge.PromptTokens(epochSec, 1, 1, 3, 512, 8) {
		q.PromptTokens = append(q.PromptTokens, uint32(t))
	}
	for i, m := range []common.Address{minerA, minerB} {
		q.Targets = append(q.Targets, &protocol.Target{Uid: uint32(i + 1), Miner: m.Bytes(), Seed: challenge.MinerSeed(nonce, m, qid)})
	}
	return q
}

// answer is what miner m, running w honestly, returns for q.
func answer(t testing.TB, w *models.Worker, q *protocol.Query, m common.Address, id []byte) *protocol.Receipt {
	t.Helper()
	tg, _ := TargetOf(q, m)
	var prompt []int
	for _, x := range q.PromptTokens {
		prompt = append(prompt, int(x))
	}
	r, err := w.Generate(prompt, models.GenerateOptions{Sampler: Sampler(q, tg.Seed), MaxTokens: int(q.Sampling.MaxTokens), Stop: []int{2}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rc := &protocol.Receipt{QueryId: q.QueryId, ModelId: id, Miner: m.Bytes(), PromptTokens: q.PromptTokens, RollingDigest: r.Rolling[:]}
	for j, tok := range r.Tokens {
		rc.OutputTokens = append(rc.OutputTokens, uint32(tok))
		rc.LogitDigests = append(rc.LogitDigests, append([]byte(nil), r.Digests[j][:]...))
	}
	return rc
}

func TestCheckCatchesCheats(t *testing.T) {
	honest := worker(t, models.DefaultShape(), 42)
	small := models.DefaultShape()
	small.Layers, small.Dim, small.Hidden = 1, 32, 64
	smaller := worker(t, small, 42)
	verifier := worker(t, models.DefaultShape(), 42)

	type tc struct {
		name      string
		temp      float32
		signer    common.Address
		target    common.Address
		receipt   func(q *protocol.Query) *protocol.Receipt
		opt       Options
		outcome   scoring.Outcome
		exact     bool
		divergeAt int // −1: none; −2: any position
	}
	tests := []tc{
		{name: "honest sampled", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt { return answer(t, honest, q, minerA, modelID[:]) }, outcome: scoring.OK, exact: true, divergeAt: -1},
		{name: "honest greedy", temp: 0, receipt: func(q *protocol.Query) *protocol.Receipt { return answer(t, honest, q, minerA, modelID[:]) }, outcome: scoring.OK, exact: true, divergeAt: -1},
		{name: "honest sampled positions", temp: 1, opt: Options{Sample: 4, PositionSeed: 3}, receipt: func(q *protocol.Query) *protocol.Receipt { return answer(t, honest, q, minerA, modelID[:]) }, outcome: scoring.OK, exact: true, divergeAt: -1},
		{name: "tampered token", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt {
			rc := answer(t, honest, q, minerA, modelID[:])
			rc.OutputTokens[5] = (rc.OutputTokens[5] + 1) % 512
			if rc.OutputTokens[5] == 2 {
				rc.OutputTokens[5] = 3
			}
			return rc
		}, outcome: scoring.OK, divergeAt: -2},
		{name: "tampered digest", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt {
			rc := answer(t, honest, q, minerA, modelID[:])
			rc.LogitDigests[3][0] ^= 1
			return rc
		}, outcome: scoring.OK, divergeAt: 3},
		{name: "smaller model claiming our id", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt { return answer(t, smaller, q, minerA, modelID[:]) }, outcome: scoring.OK, divergeAt: 0},
		{name: "smaller model own id", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt {
			id := sha256.Sum256([]byte("small"))
			return answer(t, smaller, q, minerA, id[:])
		}, outcome: scoring.BadReceipt, divergeAt: -1},
		{name: "copied from another miner", temp: 1, signer: minerB, target: minerB, receipt: func(q *protocol.Query) *protocol.Receipt {
			rc := answer(t, honest, q, minerA, modelID[:])
			rc.Miner = minerB.Bytes() // B re-signs A's answer
			return rc
		}, outcome: scoring.OK, divergeAt: -2},
		{name: "signed by someone else", temp: 1, signer: minerB, receipt: func(q *protocol.Query) *protocol.Receipt { return answer(t, honest, q, minerA, modelID[:]) }, outcome: scoring.BadReceipt, divergeAt: -1},
		{name: "other query id", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt {
			rc := answer(t, honest, q, minerA, modelID[:])
			rc.QueryId = make([]byte, 16)
			return rc
		}, outcome: scoring.BadReceipt, divergeAt: -1},
		{name: "token id outside the vocabulary", temp: 1, receipt: func(q *protocol.Query) *protocol.Receipt {
			rc := answer(t, honest, q, minerA, modelID[:])
			rc.OutputTokens[0] = 1 << 30
			return rc
		}, outcome: scoring.BadReceipt, divergeAt: -1},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			q := query(c.temp)
			if c.signer == (common.Address{}) {
				c.signer = minerA
			}
			if c.target == (common.Address{}) {
				c.target = minerA
			}
			tg, ok := TargetOf(q, c.target)
			if !ok {
				t.Fatal("no target")
			}
			res, err := Check(verifier, modelID[:], q, tg, c.signer, c.receipt(q), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != c.outcome || res.Exact != c.exact {
				t.Fatalf("result %+v, want outcome %v exact %v", res, c.outcome, c.exact)
			}
			// Every wrong answer the target signed itself is proven; one
			// signed by another key proves nothing about the target.
			if want := !c.exact && c.signer == c.target; res.Proven != want {
				t.Fatalf("proven %v, want %v (%+v)", res.Proven, want, res)
			}
			switch {
			case c.divergeAt == -2 && res.FirstDivergence < 0:
				t.Fatalf("no divergence recorded: %+v", res)
			case c.divergeAt >= -1 && res.FirstDivergence != c.divergeAt:
				t.Fatalf("first divergence %d (%s), want %d", res.FirstDivergence, res.Kind, c.divergeAt)
			}
			terms := scoring.Score(res.Response(0, 0), scoring.DefaultParams())
			if c.exact != (terms.Score > 0) {
				t.Fatalf("score %v for exact=%v", terms.Score, c.exact)
			}
		})
	}
}

// BenchmarkCheck measures verifying one honest 24-token sampled receipt on
// the default random test model.
func BenchmarkCheck(b *testing.B) {
	w := worker(b, models.DefaultShape(), 42)
	q := query(1)
	rc := answer(b, w, q, minerA, modelID[:])
	tg, _ := TargetOf(q, minerA)
	for b.Loop() {
		if res, err := Check(w, modelID[:], q, tg, minerA, rc, Options{}); err != nil || !res.Exact {
			b.Fatal(res, err)
		}
	}
}

// FuzzCheck feeds malformed receipts to Check: it must give a result, never
// panic, and never call a mangled receipt exact.
func FuzzCheck(f *testing.F) {
	w := worker(f, models.DefaultShape(), 42)
	q := query(1)
	honest := answer(f, w, q, minerA, modelID[:])
	f.Add([]byte{1, 2, 3}, []byte{}, uint8(0), uint8(0))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff}, []byte{9}, uint8(3), uint8(1))
	f.Add([]byte{}, []byte{}, uint8(30), uint8(2))
	f.Fuzz(func(t *testing.T, tokens, digest []byte, n, which uint8) {
		rc := proto.Clone(honest).(*protocol.Receipt)
		switch which % 4 {
		case 0: // replace the output tokens
			rc.OutputTokens = nil
			for i := 0; i+1 < len(tokens) && i < 128; i += 2 {
				rc.OutputTokens = append(rc.OutputTokens, uint32(tokens[i])<<8|uint32(tokens[i+1]))
			}
		case 1: // replace one digest
			if len(rc.LogitDigests) > 0 {
				rc.LogitDigests[int(n)%len(rc.LogitDigests)] = digest
			}
		case 2: // truncate the digests
			rc.LogitDigests = rc.LogitDigests[:int(n)%(len(rc.LogitDigests)+1)]
		case 3: // rolling digest
			rc.RollingDigest = digest
		}
		res, err := Check(w, modelID[:], q, targetA(q), minerA, rc, Options{Sample: int(n % 5), PositionSeed: uint64(n)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Exact && !proto.Equal(rc, honest) {
			t.Fatalf("a changed receipt verified: %+v", res)
		}
	})
}

func targetA(q *protocol.Query) Target { tg, _ := TargetOf(q, minerA); return tg }
