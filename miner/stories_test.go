package miner_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// testdata returns a fixture of the shared model folder, skipping when it is
// absent (failing with GANGLION_REQUIRE_TESTDATA=1).
func testdata(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("GANGLION_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "testdata", "models")
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("GANGLION_REQUIRE_TESTDATA") == "1" {
			t.Fatalf("fixture %s missing (GANGLION_REQUIRE_TESTDATA=1): %v", p, err)
		}
		t.Skipf("fixture %s missing: set GANGLION_TESTDATA to the model fixtures folder", p)
	}
	return p
}

// TestStories260KThroughTheNetwork: a miner serving the stories260K
// fixture streams the golden greedy story as chunk text, and the receipt
// verifies.
func TestStories260KThroughTheNetwork(t *testing.T) {
	want, err := os.ReadFile(testdata(t, "stories260K.greedy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lm, err := models.Load(testdata(t, "stories260K.bin"), models.WithTokenizer(testdata(t, "tok512.bin")))
	if err != nil {
		t.Fatal(err)
	}
	defer lm.Close()
	md, err := miner.FromLoaded("stories260K", lm)
	if err != nil {
		t.Fatal(err)
	}
	md.ContextLength = 512
	r := newRig(t, 2, miner.Config{}, []miner.Model{md})
	bos := uint32(lm.Tokenizer.BOS())
	q := r.newQuery(md, []uint32{bos}, &protocol.SamplingParams{MaxTokens: 256, StopTokenIds: []uint32{bos}}, 1, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	as := r.ask(ctx, q, 2)
	if len(as) != 2 {
		t.Fatalf("%d answers", len(as))
	}
	e, err := models.NewEngine(lm.Weights, models.ContextLength(512))
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.NewWorker()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.err != nil || a.final.Receipt == nil {
			t.Fatalf("answer: %v %v", a.err, a.final)
		}
		var text strings.Builder
		for _, c := range a.chunks {
			text.WriteString(c.Text)
		}
		if got := text.String() + "\n"; got != string(want) {
			t.Fatalf("streamed text differs from the golden story:\n got %q\nwant %q", got, want)
		}
		rc := a.final.Receipt
		if res, err := w.Verify(toModelReceipt(q, rc, seedFor(q, rc.Miner)), nil); err != nil || !res.OK {
			t.Fatalf("verify: %+v %v", res, err)
		}
	}
}

// TestDeadlineDuringGeneration: a generation still running at the deadline
// ends with a receipt (finish reason deadline) covering the tokens so far,
// and that receipt verifies.
func TestDeadlineDuringGeneration(t *testing.T) {
	md := slowModel()
	r := newRig(t, 1, miner.Config{}, []miner.Model{md})
	q := r.newQuery(md, []uint32{1, 2}, &protocol.SamplingParams{Temperature: 0.7, MaxTokens: 4000}, 1)
	q.DeadlineMs = time.Now().Add(400 * time.Millisecond).UnixMilli()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	as := r.ask(ctx, q, 1)
	if len(as) != 1 || as[0].err != nil || as[0].final.Receipt == nil {
		t.Fatalf("answers %+v", as)
	}
	rc := as[0].final.Receipt
	if rc.FinishReason != protocol.FinishReason_FINISH_REASON_DEADLINE || len(rc.OutputTokens) == 0 || len(rc.OutputTokens) >= 4000 {
		t.Fatalf("finish %v after %d tokens", rc.FinishReason, len(rc.OutputTokens))
	}
	e, _ := models.NewEngine(md.Weights)
	w, _ := e.NewWorker()
	if res, err := w.Verify(toModelReceipt(q, rc, seedFor(q, rc.Miner)), nil); err != nil || !res.OK {
		t.Fatalf("verify: %+v %v", res, err)
	}
}
