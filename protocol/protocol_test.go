package protocol

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// testKeyHex is the fixed key of the golden vectors. Never use it for money.
const testKeyHex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

var testDomain = Domain{ChainID: 31337, NetUID: 7}

var testTime = time.UnixMilli(1767225600000) // 2026-01-01T00:00:00Z

func testKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ethcrypto.HexToECDSA(testKeyHex)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func seq(n int, f func(i int) byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = f(i)
	}
	return b
}

// sampleMessages returns one valid message of every type, signed by key.
func sampleMessages(key *ecdsa.PrivateKey) []proto.Message {
	addr := ethcrypto.PubkeyToAddress(key.PublicKey).Bytes()
	qid := seq(QueryIDSize, func(i int) byte { return byte(i) })
	model := seq(HashSize, func(i int) byte { return byte(0xa0 + i) })
	miner := seq(AddressSize, func(i int) byte { return byte(0x10 + i) })
	reveal := &WeightReveal{Validator: addr, Epoch: 12, Uids: []uint32{0, 1, 5}, Values: []uint32{65535, 0, 1234},
		Salt: seq(HashSize, func(i int) byte { return byte(i * 3) }), VersionKey: 1}
	return []proto.Message{
		&Query{QueryId: qid, Sender: addr, ModelId: model, PromptTokens: []uint32{1, 15043, 3186},
			Sampling:   &SamplingParams{Temperature: 0.7, TopP: 0.9, TopK: 40, MaxTokens: 16, StopTokenIds: []uint32{2}},
			Targets:    []*Target{{Uid: 3, Miner: miner, Seed: 0xdeadbeef}, {Uid: 4, Miner: addr, Seed: 42}},
			DeadlineMs: testTime.UnixMilli() + 10000, TimestampMs: testTime.UnixMilli()},
		&TokenChunk{QueryId: qid, Index: 0, Tokens: []uint32{450, 4996}, Text: "The sky"},
		&Receipt{QueryId: qid, ModelId: model, Miner: addr, PromptTokens: []uint32{1, 15043, 3186},
			OutputTokens:  []uint32{450, 4996, 2},
			LogitDigests:  [][]byte{seq(32, func(i int) byte { return 1 }), seq(32, func(i int) byte { return 2 }), seq(32, func(i int) byte { return 3 })},
			RollingDigest: seq(32, func(i int) byte { return byte(255 - i) }),
			Timings:       &Timings{QueueUs: 120, FirstTokenUs: 5300, TotalUs: 20100}, FinishReason: FinishReason_FINISH_REASON_STOP},
		&Reject{QueryId: qid, Reason: RejectReason_REJECT_REASON_BUSY, RetryAfterMs: 500, Message: "queue full"},
		&Announce{Miner: addr, Models: []*ModelInfo{{ModelId: model, Name: "stories15M", ContextLength: 256, MaxConcurrency: 4}},
			SoftwareVersion: "ganglion/0.1.0", ListenAddrs: []string{"/ip4/127.0.0.1/tcp/4001"}},
		&WeightCommit{Validator: addr, Epoch: 12, Commit: WeightCommitHash(reveal).Bytes(), VersionKey: 1},
		reveal,
		&ReportSignature{Validator: addr, Netuid: 7, Epoch: 12, EmissionsRoot: model,
			Total: common.LeftPadBytes(big.NewInt(1e18).Bytes(), 32), Signature: seq(65, func(i int) byte { return byte(i) })},
	}
}

type golden struct {
	Key     string    `json:"key"`
	Address string    `json:"address"`
	ChainID uint64    `json:"chain_id"`
	NetUID  uint32    `json:"netuid"`
	Vectors []vector  `json:"vectors"`
	Commit  string    `json:"weight_commit_hash"`
	Frames  []frameGV `json:"frames"`
}

type vector struct {
	Type         string `json:"type"`
	TimestampMs  int64  `json:"timestamp_ms"`
	Nonce        uint64 `json:"nonce"`
	Payload      string `json:"payload"`
	SigningBytes string `json:"signing_bytes"`
	Digest       string `json:"digest"`
	Signature    string `json:"signature"`
	Envelope     string `json:"envelope"`
}

type frameGV struct {
	Type  string `json:"type"`
	Frame string `json:"frame"`
}

func buildGolden(t *testing.T) golden {
	key := testKey(t)
	g := golden{Key: testKeyHex, Address: ethcrypto.PubkeyToAddress(key.PublicKey).Hex(), ChainID: testDomain.ChainID, NetUID: testDomain.NetUID}
	for i, m := range sampleMessages(key) {
		typ := TypeOf(m)
		e, err := SealNonce(key, testDomain, typ, m, testTime, 0x0102030405060708+uint64(i))
		if err != nil {
			t.Fatalf("seal %v: %v", typ, err)
		}
		enc, err := Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		g.Vectors = append(g.Vectors, vector{
			Type: typ.String(), TimestampMs: e.TimestampMs, Nonce: e.Nonce,
			Payload: hex.EncodeToString(e.Payload), SigningBytes: hex.EncodeToString(SigningBytes(e)),
			Digest: Digest(e).Hex(), Signature: hex.EncodeToString(e.Signature), Envelope: hex.EncodeToString(enc),
		})
		if typ == MessageType_MESSAGE_TYPE_WEIGHT_COMMIT {
			g.Commit = hex.EncodeToString(m.(*WeightCommit).Commit)
		}
		var ft FrameType
		body := e.Payload
		switch typ {
		case MessageType_MESSAGE_TYPE_TOKEN_CHUNK:
			ft = FrameChunk
		case MessageType_MESSAGE_TYPE_RECEIPT:
			ft, body = FrameReceipt, enc
		case MessageType_MESSAGE_TYPE_REJECT:
			ft, body = FrameReject, enc
		default:
			continue
		}
		g.Frames = append(g.Frames, frameGV{Type: ft.String(), Frame: hex.EncodeToString(AppendFrame(nil, ft, body))})
	}
	return g
}

// TestGoldenVectors pins signing bytes, digests, signatures, envelope and
// frame encodings. Regenerate with: go test ./protocol -run Golden -update
func TestGoldenVectors(t *testing.T) {
	got := buildGolden(t)
	path := filepath.Join("testdata", "golden.json")
	enc, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	enc = append(enc, '\n')
	if *update {
		if err := os.WriteFile(path, enc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(want, enc) {
		t.Fatalf("golden vectors differ from %s; if the change is intended run with -update and document it in docs/protocol.md", path)
	}
	// Every stored envelope opens and yields the golden key's address.
	var g golden
	if err := json.Unmarshal(want, &g); err != nil {
		t.Fatal(err)
	}
	o := &Opener{Domain: testDomain, Now: func() time.Time { return testTime }}
	for _, v := range g.Vectors {
		b, _ := hex.DecodeString(v.Envelope)
		op, err := o.Open(b)
		if err != nil {
			t.Fatalf("%s: %v", v.Type, err)
		}
		if op.Sender.Hex() != g.Address || op.Digest.Hex() != v.Digest {
			t.Errorf("%s: sender %s digest %s", v.Type, op.Sender, op.Digest)
		}
	}
}

// TestSigningBytesLayout checks the layout field by field, independently of
// SigningBytes' implementation.
func TestSigningBytesLayout(t *testing.T) {
	e := &Envelope{Version: 1, ChainId: 0x0102, Netuid: 0x03, Type: MessageType_MESSAGE_TYPE_QUERY,
		TimestampMs: -2, Nonce: 0xaabb, Payload: []byte{0xde, 0xad}}
	want := "67616e676c696f6e2f656e76656c6f70652f763100" + // "ganglion/envelope/v1\0"
		"00000001" + "0000000000000102" + "00000003" + "00000001" +
		"fffffffffffffffe" + "000000000000aabb" + "00000002" + "dead"
	if got := hex.EncodeToString(SigningBytes(e)); got != want {
		t.Fatalf("signing bytes\n got %s\nwant %s", got, want)
	}
	if Digest(e) != ethcrypto.Keccak256Hash(SigningBytes(e)) {
		t.Fatal("digest is not keccak256 of the signing bytes")
	}
}

func TestOpen(t *testing.T) {
	key := testKey(t)
	other, _ := ethcrypto.GenerateKey()
	addr := ethcrypto.PubkeyToAddress(key.PublicKey)
	q := sampleMessages(key)[0].(*Query)
	seal := func(k *ecdsa.PrivateKey, d Domain, m proto.Message, at time.Time) *Envelope {
		e, err := SealNonce(k, d, TypeOf(m), m, at, 1)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	enc := func(e *Envelope) []byte { b, _ := Marshal(e); return b }
	o := &Opener{Domain: testDomain, Window: 30 * time.Second, Now: func() time.Time { return testTime }}

	tampered := seal(key, testDomain, q, testTime)
	tampered.Nonce++
	highS := seal(key, testDomain, q, testTime)
	{ // s' = n - s, v' = 1 - v is the malleated twin of a valid signature.
		n := ethcrypto.S256().Params().N
		s := new(big.Int).SetBytes(highS.Signature[32:64])
		copy(highS.Signature[32:64], common.LeftPadBytes(new(big.Int).Sub(n, s).Bytes(), 32))
		highS.Signature[64] ^= 1
	}
	short := seal(key, testDomain, q, testTime)
	short.Signature = short.Signature[:64]
	badVersion := seal(key, testDomain, q, testTime)
	badVersion.Version = 2
	badField := proto.Clone(q).(*Query)
	badField.ModelId = badField.ModelId[:31]
	badFieldEnv := &Envelope{Version: 1, ChainId: testDomain.ChainID, Netuid: testDomain.NetUID,
		Type: MessageType_MESSAGE_TYPE_QUERY, TimestampMs: testTime.UnixMilli(), Nonce: 9}
	badFieldEnv.Payload, _ = Marshal(badField)
	badFieldEnv.Signature, _ = ethcrypto.Sign(Digest(badFieldEnv).Bytes(), key)
	big := proto.Clone(q).(*Query)
	big.PromptTokens = make([]uint32, 300<<10)
	bigEnv := &Envelope{Version: 1, ChainId: testDomain.ChainID, Netuid: testDomain.NetUID,
		Type: MessageType_MESSAGE_TYPE_QUERY, TimestampMs: testTime.UnixMilli(), Nonce: 9}
	bigEnv.Payload, _ = Marshal(big)
	bigEnv.Signature, _ = ethcrypto.Sign(Digest(bigEnv).Bytes(), key)

	tests := []struct {
		name    string
		data    []byte
		allowed []MessageType
		want    error
	}{
		{"valid", enc(seal(key, testDomain, q, testTime)), nil, nil},
		{"valid at window edge", enc(seal(key, testDomain, q, testTime.Add(-30*time.Second))), nil, nil},
		{"stale", enc(seal(key, testDomain, q, testTime.Add(-31*time.Second))), nil, ErrStale},
		{"future", enc(seal(key, testDomain, q, testTime.Add(31*time.Second))), nil, ErrFuture},
		{"other chain", enc(seal(key, Domain{ChainID: 1, NetUID: 7}, q, testTime)), nil, ErrWrongDomain},
		{"other netuid", enc(seal(key, Domain{ChainID: 31337, NetUID: 8}, q, testTime)), nil, ErrWrongDomain},
		{"tampered", enc(tampered), nil, ErrSenderMismatch},
		{"signed by another key", enc(seal(other, testDomain, q, testTime)), nil, ErrSenderMismatch},
		{"high s", enc(highS), nil, ErrBadSignature},
		{"short signature", enc(short), nil, ErrBadSignature},
		{"version", enc(badVersion), nil, ErrVersion},
		{"type not allowed", enc(seal(key, testDomain, q, testTime)), []MessageType{MessageType_MESSAGE_TYPE_ANNOUNCE}, ErrWrongType},
		{"bad field size", enc(badFieldEnv), nil, ErrMalformed},
		{"oversized payload", enc(bigEnv), nil, ErrTooLarge},
		{"oversized envelope", make([]byte, MaxEnvelopeSize+1), nil, ErrTooLarge},
		{"garbage", []byte{0xff, 0xff, 0xff}, nil, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op, err := o.Open(tc.data, tc.allowed...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.want == nil && op.Sender != addr {
				t.Fatalf("sender %s, want %s", op.Sender, addr)
			}
		})
	}
}

func TestSealRejects(t *testing.T) {
	key := testKey(t)
	q := sampleMessages(key)[0]
	if _, err := Seal(key, testDomain, MessageType_MESSAGE_TYPE_RECEIPT, q, testTime); !errors.Is(err, ErrWrongType) {
		t.Errorf("seal query as receipt: %v", err)
	}
	if _, err := Seal(key, testDomain, MessageType(99), q, testTime); !errors.Is(err, ErrWrongType) {
		t.Errorf("seal unknown type: %v", err)
	}
	big := &TokenChunk{QueryId: make([]byte, 16), Text: strings.Repeat("x", 65<<10)}
	if _, err := Seal(key, testDomain, MessageType_MESSAGE_TYPE_TOKEN_CHUNK, big, testTime); !errors.Is(err, ErrTooLarge) {
		t.Errorf("seal oversized: %v", err)
	}
	a, _ := Seal(key, testDomain, MessageType_MESSAGE_TYPE_QUERY, q, testTime)
	b, _ := Seal(key, testDomain, MessageType_MESSAGE_TYPE_QUERY, q, testTime)
	if a.Nonce == b.Nonce {
		t.Error("two seals share a nonce")
	}
}

func TestValidate(t *testing.T) {
	key := testKey(t)
	for _, m := range sampleMessages(key) {
		if err := Validate(m); err != nil {
			t.Errorf("%T: %v", m, err)
		}
	}
	bad := []proto.Message{
		&Query{QueryId: make([]byte, 15), Sender: make([]byte, 20), ModelId: make([]byte, 32)},
		&Query{QueryId: make([]byte, 16), Sender: make([]byte, 20), ModelId: make([]byte, 32), Targets: []*Target{{Miner: make([]byte, 3)}}},
		&TokenChunk{},
		&Receipt{QueryId: make([]byte, 16), ModelId: make([]byte, 32), Miner: make([]byte, 20), LogitDigests: [][]byte{{1}}},
		&Reject{},
		&Announce{Miner: make([]byte, 20), Models: []*ModelInfo{{ModelId: []byte{1}}}},
		&WeightCommit{Validator: make([]byte, 20), Commit: make([]byte, 31)},
		&WeightReveal{Validator: make([]byte, 20), Salt: make([]byte, 32), Uids: []uint32{1}},
		&WeightReveal{Validator: make([]byte, 20), Salt: make([]byte, 32), Uids: []uint32{70000}, Values: []uint32{1}},
		&ReportSignature{Validator: make([]byte, 20), EmissionsRoot: make([]byte, 32), Total: make([]byte, 32), Signature: make([]byte, 64)},
	}
	for _, m := range bad {
		if err := Validate(m); !errors.Is(err, ErrMalformed) {
			t.Errorf("%T %v: err = %v, want ErrMalformed", m, m, err)
		}
	}
}

func TestWeightCommitHashBindsEveryField(t *testing.T) {
	key := testKey(t)
	r := sampleMessages(key)[6].(*WeightReveal)
	base := WeightCommitHash(r)
	muts := []func(*WeightReveal){
		func(r *WeightReveal) { r.Epoch++ },
		func(r *WeightReveal) { r.VersionKey++ },
		func(r *WeightReveal) { r.Values[0]-- },
		func(r *WeightReveal) { r.Uids[2]++ },
		func(r *WeightReveal) { r.Salt[0] ^= 1 },
		func(r *WeightReveal) { r.Validator[0] ^= 1 },
		func(r *WeightReveal) { r.Uids = r.Uids[:2]; r.Values = r.Values[:2] },
	}
	for i, m := range muts {
		c := proto.Clone(r).(*WeightReveal)
		m(c)
		if WeightCommitHash(c) == base {
			t.Errorf("mutation %d does not change the commit", i)
		}
	}
}

func TestReplayCache(t *testing.T) {
	a := common.HexToAddress("0x01")
	b := common.HexToAddress("0x02")
	now := testTime
	c := NewReplayCache(3, time.Minute)
	steps := []struct {
		sender common.Address
		nonce  uint64
		id     string
		at     time.Duration
		want   error
	}{
		{a, 1, "m1", 0, nil},
		{a, 1, "m1", 0, ErrDuplicate},
		{a, 1, "other", 0, ErrReplay},
		{b, 1, "m2", 0, nil},
		{a, 2, "m3", 0, nil},
		{a, 3, "m4", 0, nil}, // capacity 3: evicts (a,1)
		{a, 1, "m5", 0, nil}, // forgotten after eviction
		{a, 3, "x", 59 * time.Second, ErrReplay},
		{a, 3, "x", 61 * time.Second, nil}, // expired
	}
	for i, s := range steps {
		err := c.Check(s.sender, s.nonce, s.id, now.Add(s.at))
		if !errors.Is(err, s.want) {
			t.Fatalf("step %d: err = %v, want %v", i, err, s.want)
		}
		if c.Len() > 3 {
			t.Fatalf("step %d: %d entries > capacity", i, c.Len())
		}
	}
}

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	bodies := [][]byte{{}, {1, 2, 3}, bytes.Repeat([]byte{7}, 300)}
	for _, b := range bodies {
		if err := WriteFrame(&buf, FrameChunk, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFrame(&buf, FrameType(9), nil); !errors.Is(err, ErrWrongType) {
		t.Fatalf("unknown frame type: %v", err)
	}
	if err := WriteFrame(&buf, FrameChunk, make([]byte, 65<<10)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized chunk: %v", err)
	}
	r := bufio.NewReader(&buf)
	for i, want := range bodies {
		ft, got, err := ReadFrame(r)
		if err != nil || ft != FrameChunk || !bytes.Equal(got, want) {
			t.Fatalf("frame %d: %v %v %x", i, ft, err, got)
		}
	}
	if _, _, err := ReadFrame(r); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	bad := []struct {
		name string
		data []byte
		want error
	}{
		{"empty frame", []byte{0}, ErrMalformed},
		{"huge length", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, ErrTooLarge},
		{"unknown type", []byte{1, 9}, ErrMalformed},
		{"chunk over limit", AppendFrame(nil, FrameChunk, make([]byte, 64<<10+1)), ErrTooLarge},
		{"truncated body", []byte{5, 1, 0}, io.ErrUnexpectedEOF},
		{"truncated length", []byte{0x80}, io.ErrUnexpectedEOF},
		{"overlong varint", bytes.Repeat([]byte{0x80}, 11), ErrMalformed},
	}
	for _, tc := range bad {
		_, _, err := ReadFrame(bufio.NewReader(bytes.NewReader(tc.data)))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestTopics(t *testing.T) {
	if got := Topic(7, TopicQuery); got != "/ganglion/7/query/1" {
		t.Fatal(got)
	}
	for kind, types := range TopicTypes {
		for _, ty := range types {
			if MaxPayloadSize(ty) == 0 {
				t.Errorf("%s carries %v without a size limit", kind, ty)
			}
		}
	}
}

// TestDocsWorkedExample keeps docs/protocol.md's worked example equal to the
// golden vectors.
func TestDocsWorkedExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "protocol.md"))
	if err != nil {
		t.Skipf("docs not present: %v", err)
	}
	text := strings.ReplaceAll(string(doc), "\n", "")
	g := buildGolden(t)
	for _, v := range g.Vectors {
		if v.Type != "MESSAGE_TYPE_REJECT" {
			continue
		}
		for name, want := range map[string]string{"payload": v.Payload, "digest": v.Digest, "signature": v.Signature, "envelope": v.Envelope} {
			if !strings.Contains(text, want) {
				t.Errorf("docs/protocol.md lacks the golden %s %s", name, want)
			}
		}
	}
	for _, f := range g.Frames {
		if f.Type == "reject" && !strings.Contains(text, f.Frame) {
			t.Errorf("docs/protocol.md lacks the golden reject frame")
		}
	}
}
