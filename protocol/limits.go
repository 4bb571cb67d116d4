package protocol

import (
	"fmt"
	"time"
)

// Version is the envelope protocol version this package speaks.
const Version = 1

// DomainTag starts every signing preimage, so an envelope signature can never
// be mistaken for a signature over anything else (a transaction, EIP-712 data,
// another protocol). 21 ASCII bytes, NUL-terminated.
const DomainTag = "ganglion/envelope/v1\x00"

// DefaultWindow is how far an envelope's timestamp may be from the receiver's
// clock, in either direction.
const DefaultWindow = 30 * time.Second

// Limits on the payload of each message type, in bytes of protobuf encoding.
// An envelope adds at most EnvelopeOverhead bytes.
var payloadLimits = map[MessageType]int{
	MessageType_MESSAGE_TYPE_QUERY:            256 << 10, // ≈64k prompt tokens
	MessageType_MESSAGE_TYPE_TOKEN_CHUNK:      64 << 10,
	MessageType_MESSAGE_TYPE_RECEIPT:          1 << 20, // 32 KiB tokens + 32 B digest each
	MessageType_MESSAGE_TYPE_REJECT:           4 << 10,
	MessageType_MESSAGE_TYPE_ANNOUNCE:         64 << 10,
	MessageType_MESSAGE_TYPE_WEIGHT_COMMIT:    1 << 10,
	MessageType_MESSAGE_TYPE_WEIGHT_REVEAL:    512 << 10,
	MessageType_MESSAGE_TYPE_REPORT_SIGNATURE: 1 << 10,
}

// EnvelopeOverhead bounds the bytes an Envelope adds around its payload.
const EnvelopeOverhead = 128

// MaxEnvelopeSize is the largest encoded Envelope of any type.
const MaxEnvelopeSize = 1<<20 + EnvelopeOverhead

// MaxPayloadSize returns the payload limit of a message type (0 if unknown).
func MaxPayloadSize(t MessageType) int { return payloadLimits[t] }

// MaxEnvelopeSizeOf returns the limit of an encoded envelope of type t.
func MaxEnvelopeSizeOf(t MessageType) int {
	if n, ok := payloadLimits[t]; ok {
		return n + EnvelopeOverhead
	}
	return 0
}

// Gossipsub topics. Every topic name includes the subnet id.
const (
	TopicQuery    = "query"
	TopicAnnounce = "announce"
	TopicWeights  = "weights"
	TopicReports  = "reports"
)

// Topic returns the gossipsub topic name /ganglion/<netuid>/<kind>/1.
func Topic(netuid uint32, kind string) string {
	return fmt.Sprintf("/ganglion/%d/%s/1", netuid, kind)
}

// TopicTypes lists the message types each topic carries.
var TopicTypes = map[string][]MessageType{
	TopicQuery:    {MessageType_MESSAGE_TYPE_QUERY},
	TopicAnnounce: {MessageType_MESSAGE_TYPE_ANNOUNCE},
	TopicWeights:  {MessageType_MESSAGE_TYPE_WEIGHT_COMMIT, MessageType_MESSAGE_TYPE_WEIGHT_REVEAL},
	TopicReports:  {MessageType_MESSAGE_TYPE_REPORT_SIGNATURE},
}

// InferProtocol is the libp2p protocol ID of the direct stream a miner opens
// to a querier to stream its answer.
const InferProtocol = "/ganglion/infer/1.0.0"
