package validator

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

func TestListenFeedsGossipIntoTheDriver(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nw := testnet.New(t, 2, testnet.Options{})
	nw.ConnectAll()
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := NewDriver(nw.Node(1).Key, nil, (*chain.MetagraphSync)(nil), st, nil, nw.P2P(1), zaptest.NewLogger(t), DriverConfig{})
	lctx, lcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Listen(lctx, nw.P2P(1)) }()
	if err := nw.P2P(0).WaitForTopicPeers(ctx, protocol.TopicWeights, 1); err != nil {
		t.Fatal(err)
	}
	from := nw.Node(0).Address
	commit := common.HexToHash("0x1234")
	for {
		if _, err := nw.P2P(0).Publish(ctx, &protocol.WeightCommit{Validator: from.Bytes(), Epoch: 0, Commit: commit.Bytes()}); err != nil {
			t.Fatal(err)
		}
		pc, err := st.PeerCommits(0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pc) == 1 {
			if pc[0].Validator != from || pc[0].Commit != commit {
				t.Fatalf("stored commit %+v", pc[0])
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("commit never arrived")
		case <-time.After(100 * time.Millisecond):
		}
	}
	lcancel()
	if err := <-done; err != nil {
		t.Fatalf("Listen: %v", err)
	}
}
