package weights

import (
	"errors"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/protocol"
	"github.com/ganglion-subnet/ganglion/scoring"
	"github.com/ganglion-subnet/ganglion/scoring/yuma"
)

func TestRowQuantisesLikeSetWeights(t *testing.T) {
	scores := []float64{0, 0.2, 0.4, 0, 0.1}
	uids, values, err := Row(scores)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := yuma.QuantizeWeights(scoring.Normalize(scores))
	if !slices.Equal(uids, []uint16{1, 2, 4}) {
		t.Fatalf("uids = %v", uids)
	}
	for i, u := range uids {
		if values[i] != want[u] {
			t.Fatalf("uid %d: %d, want %d", u, values[i], want[u])
		}
	}
	if values[1] != 65535 {
		t.Fatalf("the best miner must get 65535, got %d", values[1])
	}
	if u, v, err := Row([]float64{0, 0}); err != nil || len(u) != 0 || len(v) != 0 {
		t.Fatalf("all-zero scores: %v %v %v", u, v, err)
	}
}

var (
	va = common.HexToAddress("0xa")
	vb = common.HexToAddress("0xb")
)

func commitReveal(t *testing.T, b *Book, v common.Address, epoch uint64, uids, values []uint16) *protocol.WeightReveal {
	t.Helper()
	r, err := NewReveal(v, epoch, 1, uids, values)
	if err != nil {
		t.Fatal(err)
	}
	if err := protocol.Validate(r); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(v, epoch, protocol.WeightCommitHash(r), epoch); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCommitRevealTiming(t *testing.T) {
	tests := []struct {
		name     string
		revealAt uint64
		mutate   func(*protocol.WeightReveal)
		want     error
	}{
		{"next epoch", 6, nil, nil},
		{"same epoch", 5, nil, ErrWrongEpoch},
		{"late", 7, nil, ErrWrongEpoch},
		{"changed value", 6, func(r *protocol.WeightReveal) { r.Values[0]++ }, ErrMismatch},
		{"changed salt", 6, func(r *protocol.WeightReveal) { r.Salt[0] ^= 1 }, ErrMismatch},
		{"other validator", 6, func(r *protocol.WeightReveal) { r.Validator = vb.Bytes() }, ErrNoCommit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBook()
			r := commitReveal(t, b, va, 5, []uint16{1, 2}, []uint16{65535, 100})
			if tc.mutate != nil {
				tc.mutate(r)
			}
			row, err := b.Reveal(r, tc.revealAt)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Reveal err = %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				if len(b.Latest()) != 0 {
					t.Fatal("a rejected reveal became a row")
				}
				return
			}
			if row.Epoch != 5 || !slices.Equal(row.Values, []uint16{65535, 100}) || len(b.Latest()) != 1 {
				t.Fatalf("row = %+v", row)
			}
			if _, err := b.Reveal(r, tc.revealAt); !errors.Is(err, ErrAlreadyRevealed) {
				t.Fatalf("second reveal: %v", err)
			}
		})
	}
}

func TestCommitRules(t *testing.T) {
	b := NewBook()
	if err := b.Commit(va, 4, common.Hash{1}, 5); !errors.Is(err, ErrWrongEpoch) {
		t.Fatalf("commit for a past epoch: %v", err)
	}
	if err := b.Commit(va, 5, common.Hash{1}, 5); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(va, 5, common.Hash{1}, 5); err != nil {
		t.Fatalf("the same commit again: %v", err)
	}
	if err := b.Commit(va, 5, common.Hash{2}, 5); !errors.Is(err, ErrDuplicateCommit) {
		t.Fatalf("second commit: %v", err)
	}
}

func TestMissingRevealExpiresAndOldRowStays(t *testing.T) {
	b := NewBook()
	r := commitReveal(t, b, va, 1, []uint16{3}, []uint16{65535})
	if _, err := b.Reveal(r, 2); err != nil {
		t.Fatal(err)
	}
	commitReveal(t, b, va, 2, []uint16{4}, []uint16{65535}) // never revealed
	commitReveal(t, b, vb, 2, []uint16{4}, []uint16{65535}) // never revealed
	if m := b.Expire(3); len(m) != 0 {
		t.Fatalf("expired too early: %v", m)
	}
	m := b.Expire(4)
	if !slices.Equal(m, []common.Address{va, vb}) {
		t.Fatalf("expired = %v", m)
	}
	l := b.Latest()
	if len(l) != 1 || l[0].Validator != va || l[0].UIDs[0] != 3 {
		t.Fatalf("latest = %+v, want va's epoch-1 row", l)
	}
}

func TestMatrixPlacesRowsByValidatorUID(t *testing.T) {
	rows := []Revealed{
		{Validator: va, UIDs: []uint16{2, 9}, Values: []uint16{65535, 7}},
		{Validator: vb, UIDs: []uint16{1}, Values: []uint16{65535}},
		{Validator: common.HexToAddress("0xc"), UIDs: []uint16{1}, Values: []uint16{1}},
	}
	uid := map[common.Address]uint16{va: 0, vb: 3}
	m := Matrix(rows, 4, func(a common.Address) (uint16, bool) { u, ok := uid[a]; return u, ok })
	if len(m) != 4 || len(m[0]) != 1 || m[0][0] != (yuma.Entry{UID: 2, Value: 65535}) || len(m[3]) != 1 || m[1] != nil {
		t.Fatalf("matrix = %v", m)
	}
}
