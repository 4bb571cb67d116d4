package subtensor

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Compact vectors from the SCALE specification's examples and its mode
// boundaries.
func TestCompact(t *testing.T) {
	cases := []struct {
		n   uint64
		hex string
	}{
		{0, "00"}, {1, "04"}, {42, "a8"}, {63, "fc"},
		{64, "0101"}, {69, "1501"}, {16383, "fdff"},
		{16384, "02000100"}, {1<<30 - 1, "feffffff"},
		{1 << 30, "0300000040"}, {1<<32 - 1, "03ffffffff"},
		{1 << 32, "070000000001"}, {1<<64 - 1, "13ffffffffffffffff"},
	}
	for _, c := range cases {
		got := AppendCompact(nil, c.n)
		if hex.EncodeToString(got) != c.hex {
			t.Errorf("compact(%d) = %x, want %s", c.n, got, c.hex)
		}
		v, n, err := ReadCompact(append(got, 0xee))
		if err != nil || v != c.n || n != len(got) {
			t.Errorf("read %s = %d, %d, %v", c.hex, v, n, err)
		}
	}
	for _, bad := range []string{"", "01", "0100", "020000", "02000000", "03000000", "0300000000", "17000000000000000000"} {
		if _, _, err := ReadCompact(unhex(t, bad)); !errors.Is(err, ErrScale) {
			t.Errorf("ReadCompact(%s): %v", bad, err)
		}
	}
}

func TestU16s(t *testing.T) {
	v := []uint16{0, 1, 65535, 0x0102}
	b := AppendU16s(nil, v)
	if want := "10" + "0000" + "0100" + "ffff" + "0201"; hex.EncodeToString(b) != want {
		t.Fatalf("Vec<u16> = %x, want %s", b, want)
	}
	got, n, err := ReadU16s(b)
	if err != nil || n != len(b) || !slices.Equal(got, v) {
		t.Fatalf("ReadU16s = %v %d %v", got, n, err)
	}
	if _, _, err := ReadU16s(unhex(t, "fdff00")); !errors.Is(err, ErrScale) {
		t.Fatalf("huge length accepted: %v", err)
	}
}

func FuzzReadU16s(f *testing.F) {
	f.Add(AppendU16s(nil, []uint16{1, 2, 3}))
	f.Add([]byte{0x03, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, n, err := ReadU16s(b)
		if err != nil {
			return
		}
		if n > len(b) || !bytes.Equal(AppendU16s(nil, v), b[:n]) {
			t.Fatalf("round trip of %x: %v (%d bytes)", b, v, n)
		}
	})
}

// The expected values were computed independently of this package: the SCALE
// bytes are written out by hand below and hashed with Python's
// hashlib.blake2b(data, digest_size=32) (BlakeTwo256 is unkeyed BLAKE2b-256).
// No published vector with a literal hash was found: Subtensor's own tests
// and the bittensor SDK's compute the hash at run time.
func TestCommitHashV2Vector(t *testing.T) {
	var hotkey AccountID
	for i := range hotkey {
		hotkey[i] = 1
	}
	uids, values, salt := []uint16{0, 1, 2}, []uint16{1000, 2000, 3000}, []uint16{123, 456}
	wantPayload := "0101010101010101010101010101010101010101010101010101010101010101" + // hotkey
		"0100" + // netuid 1 (u16 LE)
		"0c" + "0000" + "0100" + "0200" + // uids: compact(3), 0, 1, 2
		"0c" + "e803" + "d007" + "b80b" + // values: compact(3), 1000, 2000, 3000
		"08" + "7b00" + "c801" + // salt: compact(2), 123, 456
		"0100000000000000" // version_key 1 (u64 LE)
	if got := hex.EncodeToString(CommitPayload(hotkey, 1, uids, values, salt, 1)); got != wantPayload {
		t.Fatalf("payload\n got %s\nwant %s", got, wantPayload)
	}
	want := common.HexToHash("0x705896646d81fcd93c2a555e543029e66a6ccb7d7cfc2a7addf8a831a6ec513e")
	if got := CommitHash(hotkey, 1, uids, values, salt, 1); got != want {
		t.Fatalf("commit hash %s, want %s", got, want)
	}
	if CommitHash(hotkey, 1, uids, values, []uint16{124, 456}, 1) == want {
		t.Fatal("salt does not change the hash")
	}
}

// Same method: Python's hashlib.blake2b(b"evm:" + address, digest_size=32).
func TestMirrorAccount(t *testing.T) {
	got := MirrorAccount(common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"))
	if hex.EncodeToString(got[:]) != "c4518fa0ed143e016e4a1410193704924b890de8f854b94c7a6037651ec65dd0" {
		t.Fatalf("mirror account %x", got)
	}
}

func TestSelectors(t *testing.T) {
	for sig, want := range map[string]string{
		"setWeights(uint16,uint16[],uint16[],uint64)":             "34af16d6",
		"commitWeights(uint16,bytes32)":                           "a5077557",
		"revealWeights(uint16,uint16[],uint16[],uint16[],uint64)": "66ba946f",
		"burnedRegister(uint16,bytes32)":                          "4054ecca",
	} {
		if got := hex.EncodeToString(crypto.Keccak256([]byte(sig))[:4]); got != want {
			t.Errorf("%s: keccak selector %s, CHAIN.md says %s", sig, got, want)
		}
		m, ok := NeuronABI.Methods[sig[:bytes.IndexByte([]byte(sig), '(')]]
		if !ok || hex.EncodeToString(m.ID) != want {
			t.Errorf("%s: ABI method id %x", sig, m.ID)
		}
	}
	if NeuronPrecompile != common.HexToAddress("0x0000000000000000000000000000000000000804") {
		t.Fatalf("neuron precompile %s", NeuronPrecompile)
	}
}

func TestQuantize(t *testing.T) {
	got, err := Quantize([]float64{0, 0.5, 2, 1})
	if err != nil || !slices.Equal(got, []uint16{0, 16384, 65535, 32768}) {
		t.Fatalf("Quantize = %v %v", got, err)
	}
	if got, _ := Quantize([]float64{0, 0}); !slices.Equal(got, []uint16{0, 0}) {
		t.Fatalf("zero row %v", got)
	}
	for _, bad := range [][]float64{{-1}, {1, nanf()}} {
		if _, err := Quantize(bad); !errors.Is(err, ErrWeights) {
			t.Errorf("Quantize(%v): %v", bad, err)
		}
	}
}

func nanf() float64 { z := 0.0; return z / z }

// decode recovers sender, target, selector and arguments of a signed
// transaction from its raw bytes alone.
func decode(t *testing.T, raw []byte) (common.Address, *types.Transaction, string, []any) {
	t.Helper()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		t.Fatal(err)
	}
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NeuronABI.MethodById(tx.Data()[:4])
	if err != nil {
		t.Fatal(err)
	}
	args, err := m.Inputs.Unpack(tx.Data()[4:])
	if err != nil {
		t.Fatal(err)
	}
	return from, tx, m.Name, args
}

func TestSignedNeuronCalls(t *testing.T) {
	key, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	p := TxParams{ChainID: big.NewInt(ChainIDTestnet), Nonce: 7, Gas: 500000, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(20_000_000_000)}
	uids, values, salt := []uint16{0, 3, 255}, []uint16{65535, 100, 0}, []uint16{9, 8, 7}
	hash := CommitHash(MirrorAccount(addr), 12, uids, values, salt, 42)

	setData, err := PackSetWeights(12, uids, values, 42)
	if err != nil {
		t.Fatal(err)
	}
	commitData, _ := PackCommitWeights(12, hash)
	revealData, _ := PackRevealWeights(12, uids, values, salt, 42)
	cases := []struct {
		data     []byte
		method   string
		selector string
		args     []any
	}{
		{setData, "setWeights", "34af16d6", []any{uint16(12), uids, values, uint64(42)}},
		{commitData, "commitWeights", "a5077557", []any{uint16(12), [32]byte(hash)}},
		{revealData, "revealWeights", "66ba946f", []any{uint16(12), uids, values, salt, uint64(42)}},
	}
	for _, c := range cases {
		tx, err := SignNeuronCall(key, p, c.data)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := tx.MarshalBinary()
		if raw[0] != types.DynamicFeeTxType {
			t.Fatalf("%s: type %d", c.method, raw[0])
		}
		from, dec, name, args := decode(t, raw)
		if from != addr || *dec.To() != NeuronPrecompile || dec.Nonce() != 7 || dec.ChainId().Int64() != ChainIDTestnet || dec.Gas() != 500000 {
			t.Fatalf("%s: from %s to %s nonce %d chain %v", c.method, from, dec.To(), dec.Nonce(), dec.ChainId())
		}
		if name != c.method || hex.EncodeToString(dec.Data()[:4]) != c.selector {
			t.Fatalf("%s: decoded %s selector %x", c.method, name, dec.Data()[:4])
		}
		for i, want := range c.args {
			switch w := want.(type) {
			case []uint16:
				if !slices.Equal(args[i].([]uint16), w) {
					t.Fatalf("%s arg %d: %v want %v", c.method, i, args[i], w)
				}
			default:
				if args[i] != want {
					t.Fatalf("%s arg %d: %v want %v", c.method, i, args[i], want)
				}
			}
		}
	}
	// The revealed data hashes to the committed hash.
	_, _, _, rargs := decode(t, mustRaw(t, key, p, revealData))
	if CommitHash(MirrorAccount(addr), rargs[0].(uint16), rargs[1].([]uint16), rargs[2].([]uint16), rargs[3].([]uint16), rargs[4].(uint64)) != hash {
		t.Fatal("reveal does not match commit")
	}
	if _, err := PackSetWeights(1, []uint16{1}, nil, 0); !errors.Is(err, ErrLength) {
		t.Fatalf("length mismatch: %v", err)
	}
	for _, bad := range []TxParams{{}, {ChainID: big.NewInt(1)}, {ChainID: big.NewInt(1), Gas: 1}, {ChainID: big.NewInt(1), Gas: 1, GasTipCap: big.NewInt(2), GasFeeCap: big.NewInt(1)}} {
		if _, err := SignNeuronCall(key, bad, setData); err == nil {
			t.Errorf("params %+v accepted", bad)
		}
	}
}

func mustRaw(t *testing.T, key *ecdsa.PrivateKey, p TxParams, data []byte) []byte {
	t.Helper()
	tx, err := SignNeuronCall(key, p, data)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
