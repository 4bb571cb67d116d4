package protocol

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
)

// Field sizes.
const (
	QueryIDSize = 16
	AddressSize = 20
	HashSize    = 32
	SigSize     = 65
)

// NewMessage returns an empty message of type t, or nil for an unknown type.
func NewMessage(t MessageType) proto.Message {
	switch t {
	case MessageType_MESSAGE_TYPE_QUERY:
		return new(Query)
	case MessageType_MESSAGE_TYPE_TOKEN_CHUNK:
		return new(TokenChunk)
	case MessageType_MESSAGE_TYPE_RECEIPT:
		return new(Receipt)
	case MessageType_MESSAGE_TYPE_REJECT:
		return new(Reject)
	case MessageType_MESSAGE_TYPE_ANNOUNCE:
		return new(Announce)
	case MessageType_MESSAGE_TYPE_WEIGHT_COMMIT:
		return new(WeightCommit)
	case MessageType_MESSAGE_TYPE_WEIGHT_REVEAL:
		return new(WeightReveal)
	case MessageType_MESSAGE_TYPE_REPORT_SIGNATURE:
		return new(ReportSignature)
	}
	return nil
}

func typeOf(m proto.Message) MessageType {
	switch m.(type) {
	case *Query:
		return MessageType_MESSAGE_TYPE_QUERY
	case *TokenChunk:
		return MessageType_MESSAGE_TYPE_TOKEN_CHUNK
	case *Receipt:
		return MessageType_MESSAGE_TYPE_RECEIPT
	case *Reject:
		return MessageType_MESSAGE_TYPE_REJECT
	case *Announce:
		return MessageType_MESSAGE_TYPE_ANNOUNCE
	case *WeightCommit:
		return MessageType_MESSAGE_TYPE_WEIGHT_COMMIT
	case *WeightReveal:
		return MessageType_MESSAGE_TYPE_WEIGHT_REVEAL
	case *ReportSignature:
		return MessageType_MESSAGE_TYPE_REPORT_SIGNATURE
	}
	return MessageType_MESSAGE_TYPE_UNSPECIFIED
}

// TypeOf returns the MessageType of a message value.
func TypeOf(m proto.Message) MessageType { return typeOf(m) }

// DecodePayload decodes and validates the payload of a message of type t.
func DecodePayload(t MessageType, b []byte) (proto.Message, error) {
	m := NewMessage(t)
	if m == nil {
		return nil, fmt.Errorf("type %v: %w", t, ErrWrongType)
	}
	if limit := payloadLimits[t]; len(b) > limit {
		return nil, fmt.Errorf("%v payload %d bytes > %d: %w", t, len(b), limit, ErrTooLarge)
	}
	if err := proto.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("%v: %v: %w", t, err, ErrMalformed)
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// senderField returns the address field that must equal the signer.
func senderField(m proto.Message) ([]byte, bool) {
	switch m := m.(type) {
	case *Query:
		return m.GetSender(), true
	case *Receipt:
		return m.GetMiner(), true
	case *Announce:
		return m.GetMiner(), true
	case *WeightCommit:
		return m.GetValidator(), true
	case *WeightReveal:
		return m.GetValidator(), true
	case *ReportSignature:
		return m.GetValidator(), true
	}
	return nil, false
}

func need(field string, b []byte, n int) error {
	if len(b) != n {
		return fmt.Errorf("%s is %d bytes, want %d: %w", field, len(b), n, ErrMalformed)
	}
	return nil
}

// Validate checks the shape of a decoded message: fixed-size fields have
// their size, paired lists have equal lengths, u16 values fit.
func Validate(m proto.Message) error {
	switch m := m.(type) {
	case *Query:
		if err := need("query.query_id", m.GetQueryId(), QueryIDSize); err != nil {
			return err
		}
		if err := need("query.sender", m.GetSender(), AddressSize); err != nil {
			return err
		}
		if err := need("query.model_id", m.GetModelId(), HashSize); err != nil {
			return err
		}
		for i, t := range m.GetTargets() {
			if err := need(fmt.Sprintf("query.targets[%d].miner", i), t.GetMiner(), AddressSize); err != nil {
				return err
			}
		}
	case *TokenChunk:
		return need("token_chunk.query_id", m.GetQueryId(), QueryIDSize)
	case *Receipt:
		if err := need("receipt.query_id", m.GetQueryId(), QueryIDSize); err != nil {
			return err
		}
		if err := need("receipt.model_id", m.GetModelId(), HashSize); err != nil {
			return err
		}
		if err := need("receipt.miner", m.GetMiner(), AddressSize); err != nil {
			return err
		}
		for i, d := range m.GetLogitDigests() {
			if err := need(fmt.Sprintf("receipt.logit_digests[%d]", i), d, HashSize); err != nil {
				return err
			}
		}
		if len(m.GetRollingDigest()) != 0 {
			return need("receipt.rolling_digest", m.GetRollingDigest(), HashSize)
		}
	case *Reject:
		return need("reject.query_id", m.GetQueryId(), QueryIDSize)
	case *Announce:
		if err := need("announce.miner", m.GetMiner(), AddressSize); err != nil {
			return err
		}
		for i, mi := range m.GetModels() {
			if err := need(fmt.Sprintf("announce.models[%d].model_id", i), mi.GetModelId(), HashSize); err != nil {
				return err
			}
		}
	case *WeightCommit:
		if err := need("weight_commit.validator", m.GetValidator(), AddressSize); err != nil {
			return err
		}
		return need("weight_commit.commit", m.GetCommit(), HashSize)
	case *WeightReveal:
		if err := need("weight_reveal.validator", m.GetValidator(), AddressSize); err != nil {
			return err
		}
		if err := need("weight_reveal.salt", m.GetSalt(), HashSize); err != nil {
			return err
		}
		if len(m.GetUids()) != len(m.GetValues()) {
			return fmt.Errorf("weight_reveal: %d uids, %d values: %w", len(m.GetUids()), len(m.GetValues()), ErrMalformed)
		}
		for i := range m.GetUids() {
			if m.Uids[i] > 0xffff || m.Values[i] > 0xffff {
				return fmt.Errorf("weight_reveal[%d]: uid %d value %d exceed u16: %w", i, m.Uids[i], m.Values[i], ErrMalformed)
			}
		}
	case *ReportSignature:
		if err := need("report_signature.validator", m.GetValidator(), AddressSize); err != nil {
			return err
		}
		if err := need("report_signature.emissions_root", m.GetEmissionsRoot(), HashSize); err != nil {
			return err
		}
		if err := need("report_signature.total", m.GetTotal(), HashSize); err != nil {
			return err
		}
		return need("report_signature.signature", m.GetSignature(), SigSize)
	default:
		return fmt.Errorf("%T: %w", m, ErrWrongType)
	}
	return nil
}

// WeightCommitTag starts the preimage of a weight commit hash.
const WeightCommitTag = "ganglion/weights/v1\x00"

// WeightCommitHash returns the commit a WeightCommit carries for reveal r:
//
//	keccak256(WeightCommitTag || validator (20) || epoch u64 || version_key u64 ||
//	          n u32 || n × (uid u16 || value u16) || salt (32))
//
// big-endian. r must pass Validate.
func WeightCommitHash(r *WeightReveal) common.Hash {
	b := make([]byte, 0, len(WeightCommitTag)+20+20+4*len(r.GetUids())+32)
	b = append(b, WeightCommitTag...)
	b = append(b, common.BytesToAddress(r.GetValidator()).Bytes()...)
	b = binary.BigEndian.AppendUint64(b, r.GetEpoch())
	b = binary.BigEndian.AppendUint64(b, r.GetVersionKey())
	b = binary.BigEndian.AppendUint32(b, uint32(len(r.GetUids())))
	for i, u := range r.GetUids() {
		b = binary.BigEndian.AppendUint16(b, uint16(u))
		b = binary.BigEndian.AppendUint16(b, uint16(r.GetValues()[i]))
	}
	b = append(b, r.GetSalt()...)
	return ethcrypto.Keccak256Hash(b)
}
