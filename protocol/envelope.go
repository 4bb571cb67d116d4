package protocol

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
)

// Domain pins signatures to one subnet on one chain.
type Domain struct {
	ChainID uint64
	NetUID  uint32
}

// SigningBytes returns the canonical preimage of an envelope's signature:
//
//	DomainTag (21 bytes) || version u32 || chain_id u64 || netuid u32 ||
//	type u32 || timestamp_ms i64 || nonce u64 || len(payload) u32 || payload
//
// All integers are big-endian; timestamp_ms is two's complement.
func SigningBytes(e *Envelope) []byte {
	p := e.GetPayload()
	b := make([]byte, 0, len(DomainTag)+40+len(p))
	b = append(b, DomainTag...)
	b = binary.BigEndian.AppendUint32(b, e.GetVersion())
	b = binary.BigEndian.AppendUint64(b, e.GetChainId())
	b = binary.BigEndian.AppendUint32(b, e.GetNetuid())
	b = binary.BigEndian.AppendUint32(b, uint32(e.GetType()))
	b = binary.BigEndian.AppendUint64(b, uint64(e.GetTimestampMs()))
	b = binary.BigEndian.AppendUint64(b, e.GetNonce())
	b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
	return append(b, p...)
}

// Digest returns keccak256(SigningBytes(e)), the hash that is signed.
func Digest(e *Envelope) common.Hash {
	return ethcrypto.Keccak256Hash(SigningBytes(e))
}

// Marshal encodes a message deterministically.
func Marshal(m proto.Message) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

// Seal wraps msg in an envelope of type t for domain d, stamped with now and
// a random nonce, and signs it with key.
func Seal(key *ecdsa.PrivateKey, d Domain, t MessageType, msg proto.Message, now time.Time) (*Envelope, error) {
	var nb [8]byte
	if _, err := rand.Read(nb[:]); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	return SealNonce(key, d, t, msg, now, binary.BigEndian.Uint64(nb[:]))
}

// SealNonce is Seal with a caller-chosen nonce (golden vectors, tests). A
// nonce must never be reused with the same key.
func SealNonce(key *ecdsa.PrivateKey, d Domain, t MessageType, msg proto.Message, now time.Time, nonce uint64) (*Envelope, error) {
	if _, ok := payloadLimits[t]; !ok {
		return nil, fmt.Errorf("seal type %v: %w", t, ErrWrongType)
	}
	if want := typeOf(msg); want != t {
		return nil, fmt.Errorf("seal %T as %v: %w", msg, t, ErrWrongType)
	}
	p, err := Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("seal %v: %w", t, err)
	}
	if len(p) > payloadLimits[t] {
		return nil, fmt.Errorf("seal %v: %d bytes > %d: %w", t, len(p), payloadLimits[t], ErrTooLarge)
	}
	e := &Envelope{
		Version:     Version,
		ChainId:     d.ChainID,
		Netuid:      d.NetUID,
		Type:        t,
		TimestampMs: now.UnixMilli(),
		Nonce:       nonce,
		Payload:     p,
	}
	sig, err := ethcrypto.Sign(Digest(e).Bytes(), key)
	if err != nil {
		return nil, fmt.Errorf("seal %v: sign: %w", t, err)
	}
	e.Signature = sig
	return e, nil
}

// Signer recovers the address that signed e. It rejects signatures that are
// not 65 bytes, have v outside {0,1} or a high s (malleable).
func Signer(e *Envelope) (common.Address, error) {
	sig := e.GetSignature()
	if len(sig) != 65 {
		return common.Address{}, fmt.Errorf("signature is %d bytes, want 65: %w", len(sig), ErrBadSignature)
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	if !ethcrypto.ValidateSignatureValues(sig[64], r, s, true) {
		return common.Address{}, fmt.Errorf("signature values out of range: %w", ErrBadSignature)
	}
	pub, err := ethcrypto.SigToPub(Digest(e).Bytes(), sig)
	if err != nil {
		return common.Address{}, fmt.Errorf("recover: %v: %w", err, ErrBadSignature)
	}
	return ethcrypto.PubkeyToAddress(*pub), nil
}

// Opened is a verified envelope with its decoded payload.
type Opened struct {
	Envelope *Envelope
	Sender   common.Address // recovered from the signature
	Digest   common.Hash    // keccak256 of the signing bytes
	Message  proto.Message  // *Query, *Receipt, … according to Envelope.Type
}

// Opener verifies envelopes received from peers. The zero value is not
// usable; set Domain. Safe for concurrent use.
type Opener struct {
	Domain Domain
	Window time.Duration    // 0 means DefaultWindow
	Now    func() time.Time // nil means time.Now
}

// Open decodes data as an Envelope and checks, in order: size, version,
// domain, that the type is one of allowed (any known type if none given),
// payload size, timestamp window, signature, payload decoding and field
// shapes, and that the payload's sender field equals the signer. It does not
// check replay (see ReplayCache) or membership.
func (o *Opener) Open(data []byte, allowed ...MessageType) (*Opened, error) {
	if len(data) > MaxEnvelopeSize {
		return nil, fmt.Errorf("envelope %d bytes: %w", len(data), ErrTooLarge)
	}
	e := new(Envelope)
	if err := proto.Unmarshal(data, e); err != nil {
		return nil, fmt.Errorf("envelope: %v: %w", err, ErrMalformed)
	}
	return o.Verify(e, len(data), allowed...)
}

// Verify is Open for an already decoded envelope; size is its encoded size.
func (o *Opener) Verify(e *Envelope, size int, allowed ...MessageType) (*Opened, error) {
	if e.GetVersion() != Version {
		return nil, fmt.Errorf("version %d: %w", e.GetVersion(), ErrVersion)
	}
	if e.GetChainId() != o.Domain.ChainID || e.GetNetuid() != o.Domain.NetUID {
		return nil, fmt.Errorf("chain %d netuid %d, want %d/%d: %w",
			e.GetChainId(), e.GetNetuid(), o.Domain.ChainID, o.Domain.NetUID, ErrWrongDomain)
	}
	t := e.GetType()
	limit, ok := payloadLimits[t]
	if !ok {
		return nil, fmt.Errorf("type %v: %w", t, ErrWrongType)
	}
	if len(allowed) > 0 && !contains(allowed, t) {
		return nil, fmt.Errorf("type %v not in %v: %w", t, allowed, ErrWrongType)
	}
	if len(e.GetPayload()) > limit || size > limit+EnvelopeOverhead {
		return nil, fmt.Errorf("%v payload %d bytes > %d: %w", t, len(e.GetPayload()), limit, ErrTooLarge)
	}
	now := time.Now()
	if o.Now != nil {
		now = o.Now()
	}
	w := o.Window
	if w <= 0 {
		w = DefaultWindow
	}
	ts := e.GetTimestampMs()
	if d := now.UnixMilli() - ts; d > w.Milliseconds() {
		return nil, fmt.Errorf("timestamp %d is %d ms old: %w", ts, d, ErrStale)
	} else if -d > w.Milliseconds() {
		return nil, fmt.Errorf("timestamp %d is %d ms ahead: %w", ts, -d, ErrFuture)
	}
	sender, err := Signer(e)
	if err != nil {
		return nil, err
	}
	msg, err := DecodePayload(t, e.GetPayload())
	if err != nil {
		return nil, err
	}
	if s, ok := senderField(msg); ok && common.BytesToAddress(s) != sender {
		return nil, fmt.Errorf("%v names %x, signed by %s: %w", t, s, sender, ErrSenderMismatch)
	}
	return &Opened{Envelope: e, Sender: sender, Digest: Digest(e), Message: msg}, nil
}

func contains(ts []MessageType, t MessageType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}
