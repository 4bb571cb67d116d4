//go:build unix

package devnet_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/internal/devnet"
)

// TestMain lets the test binary act as a child: GANGLION_DEVNET_CHILD
// selects its behaviour.
func TestMain(m *testing.M) {
	switch os.Getenv("GANGLION_DEVNET_CHILD") {
	case "":
		os.Exit(m.Run())
	case "crash": // write a line and fail at once
		fmt.Println("crashing")
		os.Exit(3)
	case "polite": // run until SIGTERM, then exit 0
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		fmt.Println("running")
		<-c
		fmt.Println("bye")
		os.Exit(0)
	case "stubborn": // ignore SIGTERM
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("running")
		time.Sleep(time.Hour)
	}
	os.Exit(2)
}

func proc(t *testing.T, dir, name, mode string) devnet.Proc {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return devnet.Proc{Name: name, Path: exe, Env: append(os.Environ(), "GANGLION_DEVNET_CHILD="+mode),
		LogPath: filepath.Join(dir, "logs", name+".log")}
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{1, 100 * time.Millisecond}, {2, 200 * time.Millisecond}, {3, 400 * time.Millisecond}, {5, time.Second}, {50, time.Second}} {
		if got := devnet.Backoff(tc.n, 100*time.Millisecond, time.Second); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestNewRejectsBadProcs(t *testing.T) {
	dir := t.TempDir()
	good := proc(t, dir, "a", "polite")
	for name, procs := range map[string][]devnet.Proc{
		"no name":   {{Path: "x", LogPath: "y"}},
		"duplicate": {good, good},
		"no log":    {{Name: "b", Path: "x"}},
	} {
		if _, err := devnet.New(procs); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := devnet.New(nil, devnet.WithBackoff(time.Second, time.Millisecond, time.Second)); err == nil {
		t.Error("inverted backoff accepted")
	}
}

// TestRestartsAndStops: a crashing child is restarted with backoff and its
// attempts all land in its log; at stop a polite child exits on SIGTERM, a
// stubborn one is killed after the grace period, and none is left running.
func TestRestartsAndStops(t *testing.T) {
	dir := t.TempDir()
	procs := []devnet.Proc{proc(t, dir, "crash", "crash"), proc(t, dir, "polite", "polite"), proc(t, dir, "stubborn", "stubborn")}
	s, err := devnet.New(procs, devnet.WithGrace(time.Second), devnet.WithBackoff(20*time.Millisecond, 200*time.Millisecond, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	status := func(name string) devnet.Status {
		for _, st := range s.Status() {
			if st.Name == name {
				return st
			}
		}
		t.Fatalf("no status for %s", name)
		return devnet.Status{}
	}
	logOf := func(name string) string {
		b, _ := os.ReadFile(filepath.Join(dir, "logs", name+".log"))
		return string(b)
	}
	waitFor(t, "three runs of the crashing child", func() bool { return strings.Count(logOf("crash"), "restarting in") >= 3 })
	if st := status("crash"); st.Starts < 3 || !strings.Contains(st.LastExit, "exit status 3") {
		t.Fatalf("crash status %+v", st)
	}
	waitFor(t, "children running", func() bool {
		return strings.Contains(logOf("polite"), "running") && strings.Contains(logOf("stubborn"), "running")
	})
	if n := strings.Count(logOf("crash"), "crashing"); n < 3 {
		t.Fatalf("crash log has %d attempts:\n%s", n, logOf("crash"))
	}
	if !strings.Contains(logOf("crash"), "restarting in") {
		t.Fatalf("crash log:\n%s", logOf("crash"))
	}
	pids := map[string]int{"polite": status("polite").PID, "stubborn": status("stubborn").PID}
	for name, pid := range pids {
		if pid == 0 || !alive(pid) {
			t.Fatalf("%s not running (pid %d)", name, pid)
		}
	}
	if st := status("polite"); st.Starts != 1 {
		t.Fatalf("polite child restarted: %+v", st)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return")
	}
	if took := time.Since(start); took < time.Second {
		t.Fatalf("returned after %v, before the stubborn child's grace period", took)
	}
	for name, pid := range pids {
		if alive(pid) {
			t.Fatalf("%s (pid %d) still alive after Run returned", name, pid)
		}
	}
	if !strings.Contains(logOf("polite"), "bye") {
		t.Fatalf("polite child did not get SIGTERM:\n%s", logOf("polite"))
	}
	for _, st := range s.Status() {
		if st.Running {
			t.Fatalf("%+v still marked running", st)
		}
	}
}

func TestUnwritableLog(t *testing.T) {
	dir := t.TempDir()
	p := proc(t, dir, "x", "polite")
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p.LogPath = filepath.Join(dir, "file", "x.log") // parent is a file
	s, err := devnet.New([]devnet.Proc{p})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background()); err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
}

func TestLockIsExclusive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "devnet.lock")
	unlock, err := devnet.Lock(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := devnet.Lock(p); !errors.Is(err, devnet.ErrLocked) {
		t.Fatalf("second lock: %v", err)
	}
	unlock()
	again, err := devnet.Lock(p)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again()
}
