package p2p

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"

	"github.com/ganglion-subnet/ganglion/protocol"
)

// FuzzParseFrame feeds arbitrary frames to the querier's stream decoder
// (frame reader + chunk/receipt/reject decoding + signer check).
func FuzzParseFrame(f *testing.F) {
	key, _ := ethcrypto.GenerateKey()
	miner := ethcrypto.PubkeyToAddress(key.PublicKey)
	now := time.Now()
	dom := protocol.Domain{ChainID: 1, NetUID: 2}
	qid := make([]byte, protocol.QueryIDSize)
	chunk, _ := protocol.Marshal(&protocol.TokenChunk{QueryId: qid, Tokens: []uint32{1, 2}})
	f.Add(protocol.AppendFrame(nil, protocol.FrameChunk, chunk))
	r := &protocol.Receipt{QueryId: qid, ModelId: make([]byte, 32), Miner: miner.Bytes(), OutputTokens: []uint32{1}}
	if e, err := protocol.Seal(key, dom, protocol.MessageType_MESSAGE_TYPE_RECEIPT, r, now); err == nil {
		b, _ := protocol.Marshal(e)
		f.Add(protocol.AppendFrame(nil, protocol.FrameReceipt, b))
	}
	rj := &protocol.Reject{QueryId: qid, Reason: protocol.RejectReason_REJECT_REASON_BUSY}
	if e, err := protocol.Seal(key, dom, protocol.MessageType_MESSAGE_TYPE_REJECT, rj, now); err == nil {
		b, _ := protocol.Marshal(e)
		f.Add(protocol.AppendFrame(nil, protocol.FrameReject, b))
	}
	n := &Node{opener: &protocol.Opener{Domain: dom, Now: func() time.Time { return now }}}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := bufio.NewReader(bytes.NewReader(data))
		for i := 0; i < 16; i++ {
			ft, body, err := protocol.ReadFrame(rd)
			if err != nil {
				return
			}
			fr, err := n.parseFrame(ft, body, miner)
			if err != nil {
				continue
			}
			if fr.Final() && fr.Envelope.Sender != miner {
				t.Fatalf("accepted a %v signed by %s", ft, fr.Envelope.Sender)
			}
			if !fr.Final() && fr.Chunk == nil {
				t.Fatal("chunk frame without a chunk")
			}
		}
	})
}
