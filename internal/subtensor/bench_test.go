package subtensor

import "testing"

// BenchmarkCommitHash256 hashes a full 256-uid weight row.
func BenchmarkCommitHash256(b *testing.B) {
	uids, values := make([]uint16, 256), make([]uint16, 256)
	for i := range uids {
		uids[i], values[i] = uint16(i), uint16(i*251)
	}
	salt := []uint16{1, 2, 3, 4, 5, 6, 7, 8}
	var hotkey AccountID
	for b.Loop() {
		_ = CommitHash(hotkey, 1, uids, values, salt, 1)
	}
}

func TestBenchmarksRun(t *testing.T) {
	if r := testing.Benchmark(BenchmarkCommitHash256); r.N == 0 {
		t.Error("BenchmarkCommitHash256 did not run")
	}
}
