package store_test

import (
	"path/filepath"
	"testing"

	"github.com/ganglion-subnet/ganglion/validator/store"
)

// TestRecentOutputs returns the latest outputs newest first, at most n.
func TestRecentOutputs(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.RecentOutputs(5); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v %v", got, err)
	}
	// Stored out of order; epoch 256 checks the big-endian key order.
	for _, e := range []uint64{3, 256, 1, 2} {
		if err := s.PutOutput(store.EpochOutput{Epoch: e, Total: "1", Incentive: []uint16{uint16(e)}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		n    int
		want []uint64
	}{{0, nil}, {-1, nil}, {2, []uint64{256, 3}}, {4, []uint64{256, 3, 2, 1}}, {10, []uint64{256, 3, 2, 1}}} {
		got, err := s.RecentOutputs(c.n)
		if err != nil || len(got) != len(c.want) {
			t.Fatalf("n=%d: %d outputs, %v", c.n, len(got), err)
		}
		for i, o := range got {
			if o.Epoch != c.want[i] || o.Incentive[0] != uint16(c.want[i]) {
				t.Fatalf("n=%d: output %d is %+v, want epoch %d", c.n, i, o, c.want[i])
			}
		}
	}
}
