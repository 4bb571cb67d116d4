package validator

import (
	"context"
	"crypto/sha256"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap/zaptest"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/verify"
)

// testMiner answers queries on node the way mode says:
//   - "honest": generates with the query's settings and its seed;
//   - "tamper": changes one generated token;
//   - "busy": rejects; "offline": never answers; "flaky": answers every
//     other query;
//   - "random": random tokens with made-up digests;
//   - "copy": an answer generated with another miner's seed;
//   - "smaller": generates with a smaller model, claiming the real id;
//   - "slow": honest, sleeping 20 ms per token;
//   - "replay": its first answer again for every later query (query id and
//     prompt rewritten).
func testMiner(t *testing.T, ctx context.Context, node *p2p.Node, e *models.Engine, modelID []byte, mode string) {
	t.Helper()
	sub, err := node.Subscribe(protocol.TopicQuery)
	if err != nil {
		t.Fatal(err)
	}
	if mode == "smaller" {
		small := models.DefaultShape()
		small.Layers, small.Dim, small.Hidden = 1, 32, 64
		wts, err := models.Random(small, 42)
		if err != nil {
			t.Fatal(err)
		}
		if e, err = models.NewEngine(wts); err != nil {
			t.Fatal(err)
		}
	}
	w, err := e.NewWorker(models.Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer sub.Cancel()
		var cached *protocol.Receipt
		n := 0
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				return
			}
			q, ok := m.Message.(*protocol.Query)
			if !ok {
				continue
			}
			tg, ok := verify.TargetOf(q, node.Address())
			if !ok || mode == "offline" {
				continue
			}
			n++
			if mode == "flaky" && n%2 == 0 {
				continue
			}
			wr, err := node.OpenInferStream(ctx, m.From, q.QueryId)
			if err != nil {
				continue
			}
			if mode == "busy" {
				_ = wr.Reject(protocol.RejectReason_REJECT_REASON_BUSY, time.Second, "busy")
				continue
			}
			if mode == "replay" && cached != nil {
				rc := proto.Clone(cached).(*protocol.Receipt)
				rc.QueryId, rc.PromptTokens = q.QueryId, q.PromptTokens
				_ = wr.Chunk(rc.OutputTokens, "")
				_ = wr.Receipt(rc)
				continue
			}
			var prompt, stop []int
			for _, x := range q.PromptTokens {
				prompt = append(prompt, int(x))
			}
			for _, x := range q.Sampling.StopTokenIds {
				stop = append(stop, int(x))
			}
			seed := tg.Seed
			if mode == "copy" {
				seed ^= 0x5555 // the stream another miner was given
			}
			r, err := w.Generate(prompt, models.GenerateOptions{Sampler: verify.Sampler(q, seed), MaxTokens: int(q.Sampling.MaxTokens), Stop: stop},
				func(tok int) error {
					if mode == "slow" {
						time.Sleep(20 * time.Millisecond)
					}
					return wr.Chunk([]uint32{uint32(tok)}, "")
				})
			if err != nil {
				wr.Abort()
				continue
			}
			rc := &protocol.Receipt{QueryId: q.QueryId, ModelId: modelID, Miner: node.Address().Bytes(), PromptTokens: q.PromptTokens,
				RollingDigest: r.Rolling[:], FinishReason: protocol.FinishReason_FINISH_REASON_LENGTH}
			for j, tok := range r.Tokens {
				rc.OutputTokens = append(rc.OutputTokens, uint32(tok))
				rc.LogitDigests = append(rc.LogitDigests, append([]byte(nil), r.Digests[j][:]...))
			}
			switch mode {
			case "tamper":
				rc.OutputTokens[len(rc.OutputTokens)/2] ^= 1
			case "random":
				var roll [32]byte
				for j := range rc.OutputTokens {
					rc.OutputTokens[j] = uint32(3 + (j*131+n*17)%500)
					rc.LogitDigests[j][0] ^= byte(j + 1)
					roll = models.RollHash(roll, int(rc.OutputTokens[j]), [32]byte(rc.LogitDigests[j]))
				}
				rc.RollingDigest = roll[:]
			}
			if cached == nil {
				cached = proto.Clone(rc).(*protocol.Receipt)
			}
			_ = wr.Receipt(rc)
		}
	}()
}

func TestProbeScoresMinersOverP2P(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wts, err := models.Random(models.DefaultShape(), 42)
	if err != nil {
		t.Fatal(err)
	}
	e, err := models.NewEngine(wts)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("random-42"))
	modes := []string{"honest", "tamper", "busy", "offline"}
	nw := testnet.New(t, 1+len(modes), testnet.Options{})
	nw.ConnectAll()
	for i, m := range modes {
		testMiner(t, ctx, nw.P2P(1+i), e, id[:], m)
	}
	if err := nw.P2P(0).WaitForTopicPeers(ctx, protocol.TopicQuery, len(modes)); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := e.NewWorker(models.Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	opts := challenge.DefaultSamplingOptions()
	opts.Temperatures, opts.MinTokens, opts.MaxTokens = []float32{0.8}, 12, 20
	metrics := NewMetrics(prometheus.NewRegistry())
	p := NewProber(nw.P2P(0), w, st, challenge.Secret{1}, ProberConfig{
		ModelID: id[:], BOS: 1, Vocab: 512, Sampling: opts, Timeout: 3 * time.Second, Metrics: metrics,
	}, zaptest.NewLogger(t))
	want := map[string]scoring.Outcome{"honest": scoring.OK, "tamper": scoring.OK, "busy": scoring.Busy, "offline": scoring.Timeout}
	secret := challenge.Secret{2}
	for i, m := range modes {
		addr := nw.Node(1 + i).Address
		out, err := p.Probe(ctx, secret, uint64(i), uint16(10+i), addr)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if out.Terms.Outcome != want[m] {
			t.Fatalf("%s: outcome %v (%s), want %v", m, out.Terms.Outcome, out.Result.Kind, want[m])
		}
		if (m == "honest") != (out.Terms.Score > 0) {
			t.Fatalf("%s: score %v", m, out.Terms.Score)
		}
		if m == "tamper" && out.Result.FirstDivergence < 0 {
			t.Fatalf("tampered receipt without a divergence: %+v", out.Result)
		}
		ms, err := st.Score(addr)
		if err != nil || ms.UID != uint16(10+i) || len(ms.Recent) != 1 || ms.Recent[0].Outcome != want[m] {
			t.Fatalf("%s: stored %+v, %v", m, ms, err)
		}
		t.Logf("%s: %+v", m, out.Terms)
	}
	for outcome, want := range map[string]float64{"ok": 2, "busy": 1, "timeout": 1} {
		if got := testutil.ToFloat64(metrics.Probes.WithLabelValues(outcome)); got != want {
			t.Errorf("probes_total{outcome=%s} = %v, want %v", outcome, got, want)
		}
	}
	if got := testutil.ToFloat64(metrics.Divergences); got != 1 {
		t.Errorf("divergences_total = %v, want 1", got)
	}
}
