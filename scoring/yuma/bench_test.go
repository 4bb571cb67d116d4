package yuma

import (
	"math/rand"
	"syscall"
	"testing"
	"time"
)

// cpuTime is this process's user+system CPU time. The benchmarks report it
// per op as cpu-ns/op, which stays meaningful on a loaded shared machine
// where wall-clock ns/op does not.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// benchInput is a full-size subnet: n uids, the first v of them validators
// with stake, each validator setting a weight on every uid, and the bonds
// of a previous epoch.
func benchInput(tb testing.TB, n, v int, liquid bool) Input {
	rng := rand.New(rand.NewSource(1))
	stake := make([]uint64, n)
	for i := 0; i < v; i++ {
		stake[i] = 1_000_000_000_000 + uint64(rng.Int63n(1_000_000_000_000))
	}
	for i := v; i < n; i++ {
		stake[i] = uint64(rng.Int63n(1000)) // miners: dust, no permit
	}
	in := DefaultInput(stake)
	in.MaxAllowedValidators = v
	in.LiquidAlpha = liquid
	in.Weights = make([][]Entry, n)
	for i := 0; i < v; i++ {
		row := make([]Entry, n)
		for j := range row {
			row[j] = Entry{uint16(j), uint16(rng.Intn(65536))}
		}
		in.Weights[i] = row
	}
	prev, err := Run(in)
	if err != nil {
		tb.Fatal(err)
	}
	in.Bonds = prev.Bonds
	in.ValidatorPermits = prev.NewValidatorPermits
	return in
}

func benchmarkEpoch(b *testing.B, n, v int, yuma3, liquid bool) {
	in := benchInput(b, n, v, liquid)
	in.Yuma3 = yuma3
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := Run(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkEpoch4096x64 is the target: 4 096 uids, 64 validators
// with full weight rows, default parameters (Yuma3, fixed α).
func BenchmarkEpoch4096x64(b *testing.B) { benchmarkEpoch(b, 4096, 64, true, false) }

// BenchmarkEpoch4096x64LiquidAlpha adds per-cell liquid alpha (exp).
func BenchmarkEpoch4096x64LiquidAlpha(b *testing.B) { benchmarkEpoch(b, 4096, 64, true, true) }

// BenchmarkEpoch4096x64OriginalYuma runs the original Yuma bonds.
func BenchmarkEpoch4096x64OriginalYuma(b *testing.B) { benchmarkEpoch(b, 4096, 64, false, false) }

// TestBenchmarksRun runs each benchmark's workload once so they never rot
// (timing is only reported by go test -bench, never asserted).
func TestBenchmarksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	for _, c := range []struct{ yuma3, liquid bool }{{true, false}, {true, true}, {false, false}} {
		in := benchInput(t, 4096, 64, c.liquid)
		in.Yuma3 = c.yuma3
		out, err := Run(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Bonds) != 4096 || len(out.Bonds[0]) == 0 {
			t.Fatalf("yuma3=%v liquid=%v: no bonds for validator 0", c.yuma3, c.liquid)
		}
	}
}
