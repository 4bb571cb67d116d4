package p2p

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/ethereum/go-ethereum/common"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"

	"github.com/ganglion-subnet/ganglion/internal/identity"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// topicRoles is the role a publisher must hold on each topic.
var topicRoles = map[string]Role{
	protocol.TopicQuery:    RoleValidator,
	protocol.TopicAnnounce: RoleMiner,
	protocol.TopicWeights:  RoleValidator,
	protocol.TopicReports:  RoleValidator,
}

// TopicRole returns the role a publisher on topic kind must hold.
func TopicRole(kind string) Role { return topicRoles[kind] }

// kindOf maps a message type to the topic kind that carries it.
func kindOf(t protocol.MessageType) (string, bool) {
	for kind, types := range protocol.TopicTypes {
		for _, x := range types {
			if x == t {
				return kind, true
			}
		}
	}
	return "", false
}

// Message is a gossip message that passed validation.
type Message struct {
	*protocol.Opened
	Topic        string  // full topic name
	From         peer.ID // the libp2p author; its address is Opened.Sender
	ReceivedFrom peer.ID // the neighbour that forwarded it
}

// Validation rejection reasons (metric label values).
func reasonOf(err error) string {
	for _, r := range []struct {
		err    error
		reason string
	}{
		{protocol.ErrTooLarge, "too_large"},
		{protocol.ErrMalformed, "malformed"},
		{protocol.ErrVersion, "version"},
		{protocol.ErrWrongDomain, "domain"},
		{protocol.ErrWrongType, "wrong_type"},
		{protocol.ErrBadSignature, "bad_signature"},
		{protocol.ErrStale, "stale"},
		{protocol.ErrFuture, "future"},
		{protocol.ErrSenderMismatch, "sender_mismatch"},
		{protocol.ErrReplay, "replay"},
		{protocol.ErrDuplicate, "duplicate"},
		{ErrAuthorMismatch, "author_mismatch"},
		{ErrNotMember, "not_member"},
	} {
		if errors.Is(err, r.err) {
			return r.reason
		}
	}
	return "other"
}

// check runs every Ganglion check on a gossip message (signature checks of
// the libp2p layer have already passed: StrictSign).
func (n *Node) check(kind string, role Role, types []protocol.MessageType, msg *pubsub.Message) (*Message, error) {
	op, err := n.opener.Open(msg.GetData(), types...)
	if err != nil {
		return nil, err
	}
	author := msg.GetFrom()
	aaddr, err := n.authorAddress(author)
	if err != nil || aaddr != op.Sender {
		return nil, fmt.Errorf("envelope signed by %s, published by %s: %w", op.Sender, author, ErrAuthorMismatch)
	}
	if !n.members.IsMember(op.Sender, role) {
		return nil, fmt.Errorf("%s is not a %s: %w", op.Sender, role, ErrNotMember)
	}
	id := pubsub.DefaultMsgIdFn(msg.Message)
	if err := n.replay.Check(op.Sender, op.Envelope.GetNonce(), id, n.now()); err != nil {
		return nil, err
	}
	return &Message{Opened: op, Topic: msg.GetTopic(), From: author, ReceivedFrom: msg.ReceivedFrom}, nil
}

func (n *Node) validator(kind string, role Role, types []protocol.MessageType) pubsub.ValidatorEx {
	topic := protocol.Topic(n.cfg.NetUID, kind)
	return func(_ context.Context, from peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
		m, err := n.check(kind, role, types, msg)
		switch {
		case err == nil:
			msg.ValidatorData = m
			n.metrics.Validated.WithLabelValues(topic, "accept", "").Inc()
			return pubsub.ValidationAccept
		case errors.Is(err, protocol.ErrDuplicate):
			// The same message arriving twice while the first copy is
			// validated: harmless, no penalty.
			n.metrics.Validated.WithLabelValues(topic, "ignore", "duplicate").Inc()
			return pubsub.ValidationIgnore
		default:
			reason := reasonOf(err)
			n.metrics.Validated.WithLabelValues(topic, "reject", reason).Inc()
			n.log.Debug("gossip message rejected", zap.String("topic", topic), zap.Stringer("peer", from),
				zap.String("reason", reason), zap.Error(err))
			return pubsub.ValidationReject
		}
	}
}

// Publish seals msg (a *protocol.Query, *protocol.Announce, …) with the
// node's key and publishes it on the topic that carries its type. It returns
// the envelope sent. The node's own validator checks it first, so a node
// that is not a member in the topic's role gets an error.
//
// Publish is safe for concurrent use and applies backpressure: while a
// peer's outbound gossip queue is over PublishQueueLimit it waits (until ctx
// ends) for the queue to drain, instead of letting the router drop the
// message (see outbound). A peer that does not drain within PublishHold is
// treated as too slow and stops holding publishers back.
func (n *Node) Publish(ctx context.Context, msg proto.Message) (*protocol.Envelope, error) {
	t := protocol.TypeOf(msg)
	kind, ok := kindOf(t)
	if !ok {
		return nil, fmt.Errorf("p2p: publish %T: no topic carries %v: %w", msg, t, protocol.ErrWrongType)
	}
	waited, err := n.out.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("p2p: publish on %s: waiting for room in outbound queues: %w", kind, err)
	}
	defer n.out.release()
	if waited {
		n.metrics.PublishWaits.Inc()
	}
	env, err := protocol.Seal(n.key, n.Domain(), t, msg, n.now())
	if err != nil {
		return nil, fmt.Errorf("p2p: publish: %w", err)
	}
	data, err := protocol.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("p2p: publish: %w", err)
	}
	if err := n.topics[kind].Publish(ctx, data); err != nil {
		return nil, fmt.Errorf("p2p: publish on %s: %w", kind, err)
	}
	return env, nil
}

// Subscription delivers validated messages of one topic.
type Subscription struct {
	sub *pubsub.Subscription
}

// Subscribe subscribes to a topic kind (protocol.TopicQuery, …).
func (n *Node) Subscribe(kind string) (*Subscription, error) {
	t, ok := n.topics[kind]
	if !ok {
		return nil, fmt.Errorf("p2p: unknown topic kind %q", kind)
	}
	s, err := t.Subscribe(pubsub.WithBufferSize(SubscribeBufferSize))
	if err != nil {
		return nil, fmt.Errorf("p2p: subscribe %s: %w", kind, err)
	}
	return &Subscription{sub: s}, nil
}

// Next blocks until the next message (including the node's own).
func (s *Subscription) Next(ctx context.Context) (*Message, error) {
	for {
		m, err := s.sub.Next(ctx)
		if err != nil {
			return nil, err
		}
		if v, ok := m.ValidatorData.(*Message); ok {
			return v, nil
		}
	}
}

// Relay makes the node forward topic kind's messages without receiving
// them, so that peers connected only through it still reach each other (a
// miner relays the validators' weights and report signatures). Call the
// returned function to stop relaying.
func (n *Node) Relay(kind string) (cancel func(), err error) {
	t, ok := n.topics[kind]
	if !ok {
		return nil, fmt.Errorf("p2p: unknown topic kind %q", kind)
	}
	c, err := t.Relay()
	if err != nil {
		return nil, fmt.Errorf("p2p: relay %s: %w", kind, err)
	}
	return c, nil
}

// Cancel ends the subscription.
func (s *Subscription) Cancel() { s.sub.Cancel() }

// TopicPeers returns the peers known to subscribe to topic kind.
func (n *Node) TopicPeers(kind string) []peer.ID {
	t, ok := n.topics[kind]
	if !ok {
		return nil
	}
	return t.ListPeers()
}

// WaitForTopicPeers blocks until at least min peers subscribe to topic kind
// (a publisher that has not seen any subscription reaches nobody).
func (n *Node) WaitForTopicPeers(ctx context.Context, kind string, min int) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for len(n.TopicPeers(kind)) < min {
		select {
		case <-ctx.Done():
			return fmt.Errorf("p2p: %d of %d peers on %s: %w", len(n.TopicPeers(kind)), min, kind, ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// ScoreParams returns Ganglion's peer-score parameters. An invalid message
// (rejected by a topic validator) costs its forwarder 100 points squared per
// message on any topic, decaying by half every ≈7 s; at -100 a peer gets no
// gossip from us, at -500 we stop publishing to it and at -1000 everything it
// sends is ignored. Negative-score peers are pruned from the mesh at the next
// heartbeat. Loopback is exempt from the IP colocation penalty.
func ScoreParams(netuid uint32) (*pubsub.PeerScoreParams, *pubsub.PeerScoreThresholds) {
	topics := make(map[string]*pubsub.TopicScoreParams)
	for kind := range protocol.TopicTypes {
		topics[protocol.Topic(netuid, kind)] = &pubsub.TopicScoreParams{
			SkipAtomicValidation:           true,
			TopicWeight:                    1,
			TimeInMeshWeight:               0.01,
			TimeInMeshQuantum:              time.Second,
			TimeInMeshCap:                  100,
			FirstMessageDeliveriesWeight:   0.5,
			FirstMessageDeliveriesDecay:    0.9,
			FirstMessageDeliveriesCap:      100,
			InvalidMessageDeliveriesWeight: -100,
			InvalidMessageDeliveriesDecay:  0.9,
		}
	}
	_, loop4, _ := net.ParseCIDR("127.0.0.0/8")
	_, loop6, _ := net.ParseCIDR("::1/128")
	params := &pubsub.PeerScoreParams{
		Topics:                      topics,
		TopicScoreCap:               100,
		AppSpecificScore:            func(peer.ID) float64 { return 0 },
		AppSpecificWeight:           1,
		IPColocationFactorWeight:    -10,
		IPColocationFactorThreshold: 4,
		IPColocationFactorWhitelist: []*net.IPNet{loop4, loop6},
		BehaviourPenaltyWeight:      -10,
		BehaviourPenaltyThreshold:   6,
		BehaviourPenaltyDecay:       0.9,
		DecayInterval:               time.Second,
		DecayToZero:                 0.01,
		RetainScore:                 10 * time.Minute,
	}
	thresholds := &pubsub.PeerScoreThresholds{
		GossipThreshold:             -100,
		PublishThreshold:            -500,
		GraylistThreshold:           -1000,
		AcceptPXThreshold:           10,
		OpportunisticGraftThreshold: 5,
	}
	return params, thresholds
}

// authorAddress is identity.Address with a small cache: decompressing the
// public key costs more than the rest of the author check.
func (n *Node) authorAddress(p peer.ID) (common.Address, error) {
	if a, ok := n.authors.Get(p); ok {
		return a, nil
	}
	a, err := identity.Address(p)
	if err == nil {
		n.authors.Add(p, a)
	}
	return a, err
}
