package store

import (
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/scoring"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := open(t, path)
	miner := common.HexToAddress("0x1111")
	val := common.HexToAddress("0x2222")
	now := time.Unix(1700000000, 0)
	for i, sc := range []float64{1, 0, 0.5} {
		if _, err := s.RecordScore(miner, 3, scoring.Terms{Outcome: scoring.OK, Score: sc, FirstDivergence: i - 1}, 0.5, now); err != nil {
			t.Fatal(err)
		}
	}
	commit := PendingCommit{Epoch: 7, Commit: common.HexToHash("0xabc"), Salt: []byte{1, 2, 3}, UIDs: []uint16{1, 3}, Values: []uint16{65535, 9}}
	reveal := RevealedRow{Epoch: 6, Validator: val, UIDs: []uint16{3}, Values: []uint16{65535}}
	out := EpochOutput{Epoch: 6, Root: common.HexToHash("0xdef"), Total: big.NewInt(1e9).String(), Emissions: []string{"0", "1000000000"}}
	for _, err := range []error{s.PutCommit(commit), s.PutReveal(reveal), s.PutOutput(out), s.SetOutboxPath("/x/outbox.json")} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	ms, err := s.Score(miner)
	if err != nil {
		t.Fatal(err)
	}
	// EMA: 1, then 0.5·0 + 0.5·1 = 0.5, then 0.5·0.5 + 0.5·0.5 = 0.5.
	if ms.EMA.N != 3 || ms.EMA.Value != 0.5 || len(ms.Recent) != 3 || ms.UID != 3 || ms.Recent[2].FirstDivergence != 1 {
		t.Fatalf("score after reopen = %+v", ms)
	}
	c, err := s.Commit(7)
	if err != nil || c.Commit != commit.Commit || string(c.Salt) != string(commit.Salt) || len(c.UIDs) != 2 {
		t.Fatalf("commit after reopen = %+v, %v", c, err)
	}
	rs, err := s.Reveals(6)
	if err != nil || len(rs) != 1 || rs[0].Validator != val {
		t.Fatalf("reveals after reopen = %+v, %v", rs, err)
	}
	if rs, _ := s.Reveals(7); len(rs) != 0 {
		t.Fatalf("reveals of another epoch leaked: %+v", rs)
	}
	o, err := s.LastOutput()
	if err != nil || o.Root != out.Root || o.Total != out.Total {
		t.Fatalf("output after reopen = %+v, %v", o, err)
	}
	if p, _ := s.OutboxPath(); p != "/x/outbox.json" {
		t.Fatalf("outbox path = %q", p)
	}
	if _, err := s.Commit(8); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing commit: err = %v, want ErrNotFound", err)
	}
}

func TestRecentTermsAreBounded(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer s.Close()
	m := common.HexToAddress("0x1")
	for i := range MaxTerms + 5 {
		if _, err := s.RecordScore(m, 0, scoring.Terms{FirstDivergence: i}, 0.1, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	ms, _ := s.Score(m)
	if len(ms.Recent) != MaxTerms || ms.Recent[0].FirstDivergence != 5 || ms.EMA.N != MaxTerms+5 {
		t.Fatalf("recent = %d terms, first %d, n %d", len(ms.Recent), ms.Recent[0].FirstDivergence, ms.EMA.N)
	}
}

func TestInterruptedTransactionLeavesPreviousState(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer s.Close()
	m := common.HexToAddress("0x1")
	if _, err := s.RecordScore(m, 1, scoring.Terms{Score: 1}, 0.5, time.Now()); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	cases := []struct {
		name string
		fail func() error
	}{
		{"error", func() error { return boom }},
		{"panic", func() error { panic(boom) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			func() {
				defer func() { recover() }()
				err := s.Update(func(tx *Tx) error {
					if _, err := tx.RecordScore(m, 1, scoring.Terms{Score: 0}, 0.5, time.Now()); err != nil {
						return err
					}
					if err := tx.PutCommit(PendingCommit{Epoch: 1}); err != nil {
						return err
					}
					return tc.fail()
				})
				if !errors.Is(err, boom) {
					t.Errorf("Update err = %v, want boom", err)
				}
			}()
			ms, _ := s.Score(m)
			if ms.EMA.N != 1 || ms.EMA.Value != 1 {
				t.Fatalf("score changed by an aborted transaction: %+v", ms.EMA)
			}
			if _, err := s.Commit(1); !errors.Is(err, ErrNotFound) {
				t.Fatalf("commit written by an aborted transaction: %v", err)
			}
		})
	}
}

// TestKillMidWriteKeepsConsistentState runs a child process that writes a
// score and a commit for the same counter in each transaction, kills it
// with SIGKILL, and checks the file reopens with both at the same value.
func TestKillMidWriteKeepsConsistentState(t *testing.T) {
	if p := os.Getenv("GANGLION_STORE_CHILD"); p != "" {
		s, err := Open(p)
		if err != nil {
			os.Exit(3)
		}
		m := common.HexToAddress("0x1")
		for i := uint64(1); ; i++ {
			_ = s.Update(func(tx *Tx) error {
				if _, err := tx.RecordScore(m, 0, scoring.Terms{}, 0.5, time.Now()); err != nil {
					return err
				}
				if err := tx.SetOutboxPath(strconv.FormatUint(i, 10)); err != nil {
					return err
				}
				return tx.PutCommit(PendingCommit{Epoch: 0, VersionKey: i})
			})
		}
	}
	path := filepath.Join(t.TempDir(), "s.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidWriteKeepsConsistentState$")
	cmd.Env = append(os.Environ(), "GANGLION_STORE_CHILD="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child has committed some transactions, then kill it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		fi, err := os.Stat(path)
		if err == nil && fi.Size() > 0 {
			time.Sleep(300 * time.Millisecond)
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child never created the store")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	s := open(t, path)
	defer s.Close()
	ms, err := s.Score(common.HexToAddress("0x1"))
	if err != nil {
		t.Fatalf("no score after kill: %v", err)
	}
	c, err := s.Commit(0)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.OutboxPath()
	if ms.EMA.N == 0 || c.VersionKey != ms.EMA.N || p != strconv.FormatUint(ms.EMA.N, 10) {
		t.Fatalf("inconsistent state after kill: score n=%d commit=%d meta=%q", ms.EMA.N, c.VersionKey, p)
	}
	t.Logf("child committed %d transactions before SIGKILL", ms.EMA.N)
}

func TestPeerCommitsAndAllReveals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	a, b := common.HexToAddress("0xa"), common.HexToAddress("0xb")
	for _, err := range []error{
		s.PutPeerCommit(a, 4, common.Hash{1}), s.PutPeerCommit(b, 4, common.Hash{2}), s.PutPeerCommit(a, 5, common.Hash{3}),
		s.PutReveal(RevealedRow{Epoch: 3, Validator: a}), s.PutReveal(RevealedRow{Epoch: 4, Validator: b}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	pc, err := s.PeerCommits(4)
	if err != nil || len(pc) != 2 || pc[0].Validator != a || pc[1].Commit != (common.Hash{2}) {
		t.Fatalf("peer commits = %+v, %v", pc, err)
	}
	rs, err := s.AllReveals()
	if err != nil || len(rs) != 2 || rs[0].Epoch != 3 || rs[1].Validator != b {
		t.Fatalf("all reveals = %+v, %v", rs, err)
	}
}

// BenchmarkRecordScore measures one score update: a read-modify-write
// transaction fsynced on commit.
func BenchmarkRecordScore(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := common.HexToAddress("0x1")
	for b.Loop() {
		if _, err := s.RecordScore(m, 1, scoring.Terms{Score: 0.5}, 0.1, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOpenReadOnlyWhileLocked: a reader gets ErrLocked (after its timeout)
// while a writer holds the file, and reads it once the writer is gone.
func TestOpenReadOnlyWhileLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	if _, err := OpenReadOnly(path, 10*time.Millisecond); err == nil {
		t.Fatal("opened a missing file")
	}
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	miner := common.HexToAddress("0xaa")
	if _, err := w.RecordScore(miner, 3, scoring.Terms{Score: 0.5}, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(path, 50*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("open while the writer runs: %v, want ErrLocked", err)
	}
	w.Close()
	r, err := OpenReadOnly(path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if ms, err := r.Score(miner); err != nil || ms.EMA.Value != 0.5 {
		t.Fatalf("score %+v %v", ms, err)
	}
}
