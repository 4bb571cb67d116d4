package p2p_test

import (
	"context"
	"crypto/ecdsa"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/internal/identity"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// attacker is a bare libp2p gossipsub peer without Ganglion's validators:
// it publishes whatever bytes it is given.
type attacker struct {
	key   *ecdsa.PrivateKey
	host  host.Host
	topic *pubsub.Topic
}

func newAttacker(t *testing.T) *attacker {
	t.Helper()
	k, _ := ethcrypto.GenerateKey()
	priv, err := identity.LibP2PKey(k)
	if err != nil {
		t.Fatal(err)
	}
	h, err := libp2p.New(libp2p.Identity(priv), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); h.Close() })
	ps, err := pubsub.NewGossipSub(ctx, h, pubsub.WithFloodPublish(true))
	if err != nil {
		t.Fatal(err)
	}
	top, err := ps.Join(protocol.Topic(testnet.NetUID, protocol.TopicQuery))
	if err != nil {
		t.Fatal(err)
	}
	return &attacker{key: k, host: h, topic: top}
}

func seal(t *testing.T, key *ecdsa.PrivateKey, d protocol.Domain, m proto.Message, at time.Time) []byte {
	t.Helper()
	e, err := protocol.Seal(key, d, protocol.TypeOf(m), m, at)
	if err != nil {
		t.Fatal(err)
	}
	b, err := protocol.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInvalidMessagesRejected: an attacker connected to two of 12 honest
// nodes publishes forged, badly signed, replayed, stale, future, oversized,
// wrongly typed, wrong-domain and unknown-sender messages. Each is rejected
// for its reason at the attacker's neighbours, none reaches any subscriber,
// and the attacker's score drops with every one until it is graylisted.
func TestInvalidMessagesRejected(t *testing.T) {
	const n = 12
	nw := testnet.New(t, n, testnet.Options{})
	nw.ConnectRing(3)
	neighbours := []int{0, 1}
	join := func() (*attacker, common.Address) {
		a := newAttacker(t)
		addr := ethcrypto.PubkeyToAddress(a.key.PublicKey)
		nw.Static.Add(addr, p2p.RoleValidator)
		for _, i := range neighbours {
			if err := a.host.Connect(ctxT(t, 5*time.Second), nw.P2P(i).AddrInfo()); err != nil {
				t.Fatal(err)
			}
		}
		for len(a.topic.ListPeers()) < len(neighbours) {
			time.Sleep(10 * time.Millisecond)
		}
		return a, addr
	}

	// Every honest node records the query ids delivered to it.
	var mu sync.Mutex
	delivered := make([]map[string]bool, n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		delivered[i] = map[string]bool{}
		s, err := nw.P2P(i).Subscribe(protocol.TopicQuery)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				m, err := s.Next(ctx)
				if err != nil {
					return
				}
				mu.Lock()
				delivered[i][string(m.Message.(*protocol.Query).QueryId)] = true
				mu.Unlock()
			}
		}(i)
	}
	waitMesh(t, nw, protocol.TopicQuery, 2)

	dom := nw.P2P(0).Domain()
	victim := nw.Node(5)
	now := time.Now()
	topic := protocol.Topic(testnet.NetUID, protocol.TopicQuery)
	var a *attacker
	var attackerAddr common.Address
	validQID := newQueryID(t)
	var valid []byte // a valid message from the attacker, for the replay case

	badSig := func() []byte {
		e, _ := protocol.Seal(a.key, dom, protocol.MessageType_MESSAGE_TYPE_QUERY, query(newQueryID(t), attackerAddr), now)
		e.Signature[64] = 9
		b, _ := protocol.Marshal(e)
		return b
	}
	oversized := func() []byte {
		q := query(newQueryID(t), attackerAddr)
		q.PromptTokens = make([]uint32, 300<<10)
		e := &protocol.Envelope{Version: 1, ChainId: dom.ChainID, Netuid: dom.NetUID,
			Type: protocol.MessageType_MESSAGE_TYPE_QUERY, TimestampMs: now.UnixMilli(), Nonce: 1}
		e.Payload, _ = protocol.Marshal(q)
		e.Signature, _ = ethcrypto.Sign(protocol.Digest(e).Bytes(), a.key)
		b, _ := protocol.Marshal(e)
		return b
	}
	announce := func() []byte {
		return seal(t, a.key, dom, &protocol.Announce{Miner: attackerAddr.Bytes(), SoftwareVersion: "x"}, now)
	}

	cases := []struct {
		name   string
		reason string
		data   func() []byte
		before func()
		after  func()
	}{
		{name: "forged: signed by another member", reason: "author_mismatch",
			data: func() []byte { return seal(t, victim.Key, dom, query(newQueryID(t), victim.Address), now) }},
		{name: "bad signature", reason: "bad_signature", data: badSig},
		{name: "sender field names someone else", reason: "sender_mismatch",
			data: func() []byte { return seal(t, a.key, dom, query(newQueryID(t), victim.Address), now) }},
		{name: "replayed", reason: "replay", data: func() []byte { return valid },
			before: func() {
				valid = seal(t, a.key, dom, query(validQID, attackerAddr), now)
				if err := a.topic.Publish(ctxT(t, 5*time.Second), valid); err != nil {
					t.Fatal(err)
				}
				time.Sleep(300 * time.Millisecond)
			}},
		{name: "stale", reason: "stale",
			data: func() []byte { return seal(t, a.key, dom, query(newQueryID(t), attackerAddr), now.Add(-5*time.Minute)) }},
		{name: "future", reason: "future",
			data: func() []byte { return seal(t, a.key, dom, query(newQueryID(t), attackerAddr), now.Add(5*time.Minute)) }},
		{name: "oversized", reason: "too_large", data: oversized},
		{name: "wrong type for topic", reason: "wrong_type", data: announce},
		{name: "wrong netuid", reason: "domain",
			data: func() []byte {
				return seal(t, a.key, protocol.Domain{ChainID: dom.ChainID, NetUID: 99}, query(newQueryID(t), attackerAddr), now)
			}},
		{name: "garbage", reason: "malformed", data: func() []byte { return []byte(strings.Repeat("\xff", 64)) }},
		{name: "unknown sender", reason: "not_member",
			data:   func() []byte { return seal(t, a.key, dom, query(newQueryID(t), attackerAddr), now) },
			before: func() { nw.Static.Remove(attackerAddr) },
			after:  func() { nw.Static.Add(attackerAddr, p2p.RoleValidator) }},
	}
	score := func(i int) float64 {
		s, _ := nw.P2P(i).Score(a.host.ID())
		return s
	}
	rejected := func(i int, reason string) float64 {
		return testutil.ToFloat64(nw.P2P(i).Metrics().Validated.WithLabelValues(topic, "reject", reason))
	}
	var badIDs []string
	for _, tc := range cases {
		a, attackerAddr = join()
		if tc.before != nil {
			tc.before()
		}
		prevScore := []float64{score(0), score(1)}
		prevRej := []float64{rejected(0, tc.reason), rejected(1, tc.reason)}
		data := tc.data()
		var e protocol.Envelope
		if proto.Unmarshal(data, &e) == nil {
			if q, ok := protocol.NewMessage(protocol.MessageType_MESSAGE_TYPE_QUERY).(*protocol.Query); ok && proto.Unmarshal(e.Payload, q) == nil && string(q.QueryId) != string(validQID) {
				badIDs = append(badIDs, string(q.QueryId))
			}
		}
		if err := a.topic.Publish(ctxT(t, 5*time.Second), data); err != nil {
			t.Fatalf("%s: publish: %v", tc.name, err)
		}
		for _, i := range neighbours {
			deadline := time.Now().Add(5 * time.Second)
			for (rejected(i, tc.reason) <= prevRej[i] || score(i) >= prevScore[i] || score(i) >= 0) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if rejected(i, tc.reason) <= prevRej[i] {
				t.Errorf("%s: node %d did not reject with reason %q", tc.name, i, tc.reason)
			}
			if s := score(i); s >= prevScore[i] || s >= 0 {
				t.Errorf("%s: node %d scores the attacker %.1f, before %.1f: want a drop below 0", tc.name, i, s, prevScore[i])
			}
		}
		if tc.after != nil {
			tc.after()
		}
	}
	// A peer that keeps sending invalid messages is graylisted.
	a, attackerAddr = join()
	for k := 0; k < 5; k++ {
		if err := a.topic.Publish(ctxT(t, 5*time.Second), badSig()); err != nil {
			t.Fatal(err)
		}
	}
	_, thresholds := p2p.ScoreParams(testnet.NetUID)
	for _, i := range neighbours {
		deadline := time.Now().Add(5 * time.Second)
		for score(i) > thresholds.GraylistThreshold && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if s := score(i); s > thresholds.GraylistThreshold {
			t.Errorf("node %d: attacker score %.1f above the graylist threshold %.1f", i, s, thresholds.GraylistThreshold)
		}
	}

	// An honest query still reaches everyone; nothing bad reached anyone.
	okQID := newQueryID(t)
	if _, err := nw.P2P(7).Publish(ctxT(t, 5*time.Second), query(okQID, nw.Node(7).Address)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; i < n; i++ {
		for {
			mu.Lock()
			ok := delivered[i][string(okQID)]
			mu.Unlock()
			if ok || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	cancel()
	wg.Wait()
	for i := 0; i < n; i++ {
		if !delivered[i][string(okQID)] {
			t.Errorf("node %d did not get the honest query", i)
		}
		if !delivered[i][string(validQID)] {
			t.Errorf("node %d did not get the attacker's one valid query", i)
		}
		for _, id := range badIDs {
			if delivered[i][id] {
				t.Errorf("node %d delivered bad query %x", i, id)
			}
		}
	}
}
