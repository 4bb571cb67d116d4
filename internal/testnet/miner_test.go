package testnet_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestStartMiner: a miner started on a node answers a query with a
// receipt, is attached as the node's role, and stops when the node is
// killed.
func TestStartMiner(t *testing.T) {
	nw := testnet.New(t, 2, testnet.Options{})
	nw.ConnectAll()
	w, err := models.Random(models.DefaultShape(), 3)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256([]byte("testnet miner"))
	m := nw.StartMiner(1, miner.Config{}, []miner.Model{{Name: "r", ID: id[:], Weights: w}})
	if nw.Node(1).Role(testnet.RoleMiner) != m {
		t.Fatal("miner not attached to its node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	q := nw.P2P(0)
	if err := q.WaitForTopicPeers(ctx, protocol.TopicQuery, 1); err != nil {
		t.Fatal(err)
	}
	qid := make([]byte, protocol.QueryIDSize)
	_, _ = rand.Read(qid)
	now := time.Now()
	query := &protocol.Query{QueryId: qid, Sender: q.Address().Bytes(), ModelId: id[:], PromptTokens: []uint32{1, 2},
		Sampling: &protocol.SamplingParams{MaxTokens: 8}, DeadlineMs: now.Add(time.Minute).UnixMilli(), TimestampMs: now.UnixMilli(),
		Targets: []*protocol.Target{{Uid: 1, Miner: nw.Node(1).Address.Bytes(), Seed: 5}}}
	resp, err := q.Await(qid, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	if _, err := q.Publish(ctx, query); err != nil {
		t.Fatal(err)
	}
	s := <-resp.Streams()
	_, fin, err := s.Collect(ctx)
	if err != nil || fin.Receipt == nil || len(fin.Receipt.OutputTokens) != 8 {
		t.Fatalf("answer %v, %v", fin, err)
	}
	nw.Kill(1)
	for !m.Status().Stopping {
		if ctx.Err() != nil {
			t.Fatal("the miner of a killed node keeps running")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
