package miner

import (
	"crypto/sha256"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// FuzzQueryIntake: any query payload that passes the protocol's checks is
// either refused by checkQuery with a reason or runs on the engine without
// an error; nothing panics.
func FuzzQueryIntake(f *testing.F) {
	w, err := models.Random(models.Shape{Dim: 16, Hidden: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 64, SeqLen: 16}, 1)
	if err != nil {
		f.Fatal(err)
	}
	e, err := models.NewEngine(w)
	if err != nil {
		f.Fatal(err)
	}
	wk, err := e.NewWorker()
	if err != nil {
		f.Fatal(err)
	}
	id := sha256.Sum256([]byte("fuzz"))
	s := &served{Model: Model{Name: "f", ID: id[:], Weights: w}, engine: e, cfg: e.Config()}
	m := &Miner{}
	seeds := []*protocol.Query{
		{PromptTokens: []uint32{1, 2}, Sampling: &protocol.SamplingParams{MaxTokens: 3}},
		{PromptTokens: []uint32{1, 63}, Sampling: &protocol.SamplingParams{Temperature: 0.5, TopP: 0.9, TopK: 5}},
		{PromptTokens: []uint32{64}},
		{PromptTokens: make([]uint32, 17)},
		{PromptTokens: []uint32{1}, Sampling: &protocol.SamplingParams{Temperature: -1}},
		{PromptTokens: []uint32{1}, Sampling: &protocol.SamplingParams{TopP: 2}},
	}
	for _, q := range seeds {
		b, err := proto.Marshal(q)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint64(7))
	}
	f.Fuzz(func(t *testing.T, payload []byte, seed uint64) {
		q := new(protocol.Query)
		if proto.Unmarshal(payload, q) != nil {
			return
		}
		if why := m.checkQuery(s, q); why != "" {
			return
		}
		prompt := make([]int, len(q.PromptTokens))
		for i, tk := range q.PromptTokens {
			prompt[i] = int(tk)
		}
		if _, err := wk.Generate(prompt, models.GenerateOptions{Sampler: samplerOf(q, seed), MaxTokens: 2}, nil); err != nil {
			t.Fatalf("accepted query fails on the engine: %v (%v)", err, q)
		}
	})
}
