package p2p

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the p2p layer. Build with NewMetrics or NopMetrics.
type Metrics struct {
	Validated    *prometheus.CounterVec // topic, result (accept|reject|ignore), reason
	Delivered    *prometheus.CounterVec // topic
	Duplicates   prometheus.Counter
	DroppedRPCs  prometheus.Counter     // outbound RPCs dropped (queue full, peer gone)
	DroppedMsgs  prometheus.Counter     // published messages inside dropped RPCs
	Undelivered  prometheus.Counter     // subscriber too slow: messages lost
	RouterReject *prometheus.CounterVec // reason: pubsub's own reject/ignore reasons
	MeshChanges  *prometheus.CounterVec // event (graft|prune)
	Throttled    prometheus.Counter
	PublishWaits prometheus.Counter     // publishes that waited for room in a peer's outbound queue
	Streams      *prometheus.CounterVec // direction (in|out), result
	StreamFrames *prometheus.CounterVec // direction, frame type
}

// NewMetrics registers the p2p metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := NopMetrics()
	reg.MustRegister(m.Validated, m.Delivered, m.Duplicates, m.DroppedRPCs, m.DroppedMsgs, m.Undelivered, m.RouterReject,
		m.MeshChanges, m.Throttled, m.PublishWaits, m.Streams, m.StreamFrames)
	return m
}

// NopMetrics returns metrics that are kept but never exported.
func NopMetrics() *Metrics {
	const ns, sub = "ganglion", "p2p"
	return &Metrics{
		Validated: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "messages_validated_total", Help: "Gossip messages by topic validation result."},
			[]string{"topic", "result", "reason"}),
		Delivered: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "messages_delivered_total", Help: "Valid gossip messages delivered."}, []string{"topic"}),
		Duplicates: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "messages_duplicate_total", Help: "Duplicate gossip messages dropped."}),
		DroppedRPCs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "rpcs_dropped_total", Help: "Outbound gossip RPCs dropped (peer queue full, oversized, no stream)."}),
		DroppedMsgs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "messages_dropped_total", Help: "Gossip messages inside dropped outbound RPCs."}),
		Undelivered: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "messages_undeliverable_total", Help: "Gossip messages dropped because a subscriber was too slow."}),
		RouterReject: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "messages_router_rejected_total", Help: "Messages rejected or ignored by the pubsub router, by reason (validation failures, throttling, queue full)."},
			[]string{"reason"}),
		MeshChanges: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "mesh_changes_total", Help: "Gossipsub mesh grafts and prunes."}, []string{"event"}),
		Throttled: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "peers_throttled_total", Help: "Peers throttled by the peer gater."}),
		PublishWaits: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "publish_waits_total", Help: "Publishes that waited for room in a peer's outbound gossip queue."}),
		Streams: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "infer_streams_total", Help: "Infer streams by direction and result."}, []string{"direction", "result"}),
		StreamFrames: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "infer_frames_total", Help: "Infer stream frames by direction and type."}, []string{"direction", "type"}),
	}
}

// tracer adapts pubsub's RawTracer hooks to Metrics and feeds the
// outbound-queue depths that Node.Publish waits on. pubsub calls it
// synchronously (from its event loop and the per-peer writers): it must not
// block.
type tracer struct {
	m   *Metrics
	out *outbound
}

var _ pubsub.RawTracer = tracer{}

func (t tracer) OnNewOutboundStream(peer.ID, protocol.ID) {}
func (t tracer) OnClosedOutboundStream(p peer.ID)         { t.out.gone(p) }
func (t tracer) Join(string)                              {}
func (t tracer) Leave(string)                             {}
func (t tracer) Graft(peer.ID, string)                    { t.m.MeshChanges.WithLabelValues("graft").Inc() }
func (t tracer) Prune(peer.ID, string)                    { t.m.MeshChanges.WithLabelValues("prune").Inc() }
func (t tracer) ValidateMessage(*pubsub.Message)          {}
func (t tracer) DeliverMessage(msg *pubsub.Message) {
	t.m.Delivered.WithLabelValues(msg.GetTopic()).Inc()
}
func (t tracer) DuplicateMessage(*pubsub.Message)                           { t.m.Duplicates.Inc() }
func (t tracer) ThrottlePeer(peer.ID)                                       { t.m.Throttled.Inc() }
func (t tracer) RecvRPC(*pubsub.RPC)                                        {}
func (t tracer) SendRPC(_ *pubsub.RPC, p peer.ID)                           { t.out.queued(p) }
func (t tracer) SendRPCCompleted(_ *pubsub.RPC, p peer.ID, _ time.Duration) { t.out.written(p) }
func (t tracer) RejectMessage(_ *pubsub.Message, reason string) {
	t.m.RouterReject.WithLabelValues(reason).Inc()
}
func (t tracer) DropRPC(rpc *pubsub.RPC, _ peer.ID) {
	t.m.DroppedRPCs.Inc()
	t.m.DroppedMsgs.Add(float64(len(rpc.Publish)))
}
func (t tracer) UndeliverableMessage(*pubsub.Message) { t.m.Undelivered.Inc() }
