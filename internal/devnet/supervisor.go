package devnet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Proc is one supervised child process.
type Proc struct {
	Name    string   // unique; used in logs
	Path    string   // executable
	Args    []string // arguments after the executable
	Env     []string // environment (nil: the supervisor's own)
	LogPath string   // stdout and stderr are appended here
}

// Status is a snapshot of one child.
type Status struct {
	Name     string    `json:"name"`
	PID      int       `json:"pid"` // 0 while not running
	Running  bool      `json:"running"`
	Starts   int       `json:"starts"`
	LastExit string    `json:"last_exit,omitempty"`
	Since    time.Time `json:"since"` // start of the current run
}

// Supervisor runs a set of child processes until its context ends.
type Supervisor struct {
	procs      []Proc
	log        *zap.Logger
	grace      time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
	stable     time.Duration

	mu     sync.Mutex
	status map[string]*Status
}

// Option configures a Supervisor.
type Option func(*Supervisor) error

// WithLogger logs starts, exits and restarts.
func WithLogger(l *zap.Logger) Option {
	return func(s *Supervisor) error { s.log = l; return nil }
}

// WithGrace sets how long a child has between SIGTERM and SIGKILL
// (default 10 s).
func WithGrace(d time.Duration) Option {
	return func(s *Supervisor) error {
		if d <= 0 {
			return fmt.Errorf("devnet: grace %v must be positive", d)
		}
		s.grace = d
		return nil
	}
}

// WithBackoff sets the restart delay: min after the first exit, doubling
// up to max; a child that ran for stable before exiting starts over at min
// (defaults 500 ms, 30 s, 30 s).
func WithBackoff(minD, maxD, stable time.Duration) Option {
	return func(s *Supervisor) error {
		if minD <= 0 || maxD < minD || stable <= 0 {
			return fmt.Errorf("devnet: backoff %v..%v (stable %v) is not a range", minD, maxD, stable)
		}
		s.minBackoff, s.maxBackoff, s.stable = minD, maxD, stable
		return nil
	}
}

// New checks the processes and returns a supervisor; nothing starts before
// Run.
func New(procs []Proc, opts ...Option) (*Supervisor, error) {
	s := &Supervisor{log: zap.NewNop(), grace: 10 * time.Second, minBackoff: 500 * time.Millisecond,
		maxBackoff: 30 * time.Second, stable: 30 * time.Second, status: map[string]*Status{}}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	for _, p := range procs {
		switch {
		case p.Name == "":
			return nil, errors.New("devnet: a process without a name")
		case s.status[p.Name] != nil:
			return nil, fmt.Errorf("devnet: two processes named %q", p.Name)
		case p.Path == "" || p.LogPath == "":
			return nil, fmt.Errorf("devnet: process %q needs a path and a log file", p.Name)
		}
		s.status[p.Name] = &Status{Name: p.Name}
	}
	s.procs = append([]Proc(nil), procs...)
	return s, nil
}

// Backoff is the delay before restart number n (1 = the first restart).
func Backoff(n int, minD, maxD time.Duration) time.Duration {
	d := minD
	for i := 1; i < n && d < maxD; i++ {
		d *= 2
	}
	return min(d, maxD)
}

// Status returns a snapshot of every child, in the order given to New.
func (s *Supervisor) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.procs))
	for _, p := range s.procs {
		out = append(out, *s.status[p.Name])
	}
	return out
}

// Run starts every child and keeps it running until ctx ends, then stops
// them all (SIGTERM, SIGKILL after the grace period) and returns once every
// child has exited. It returns an error only if a log file cannot be opened.
func (s *Supervisor) Run(ctx context.Context) error {
	files := make([]*os.File, len(s.procs))
	defer func() {
		for _, f := range files {
			if f != nil {
				_ = f.Close()
			}
		}
	}()
	for i, p := range s.procs {
		if err := os.MkdirAll(filepath.Dir(p.LogPath), 0o700); err != nil {
			return fmt.Errorf("devnet: %s: %w", p.Name, err)
		}
		f, err := os.OpenFile(p.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("devnet: %s: %w", p.Name, err)
		}
		files[i] = f
	}
	var wg sync.WaitGroup
	for i, p := range s.procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.keep(ctx, p, files[i])
		}()
	}
	wg.Wait()
	return nil
}

// keep runs p again and again until ctx ends.
func (s *Supervisor) keep(ctx context.Context, p Proc, logf *os.File) {
	// Children die with this thread (Pdeathsig on Linux): keep it alive
	// and ours while a child runs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	log := s.log.With(zap.String("node", p.Name))
	restarts := 0
	for {
		if ctx.Err() != nil {
			return
		}
		cmd := exec.Command(p.Path, p.Args...)
		cmd.Env = p.Env
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.SysProcAttr = sysProcAttr()
		fmt.Fprintf(logf, "=== devnet: starting %s at %s\n", p.Name, time.Now().UTC().Format(time.RFC3339))
		started := time.Now()
		var exitErr error
		if err := cmd.Start(); err != nil {
			exitErr = err
		} else {
			s.update(p.Name, func(st *Status) {
				st.PID, st.Running, st.Since = cmd.Process.Pid, true, started
				st.Starts++
			})
			log.Debug("started", zap.Int("pid", cmd.Process.Pid))
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case exitErr = <-exited:
			case <-ctx.Done():
				s.stop(cmd, exited, log)
				s.update(p.Name, func(st *Status) { st.PID, st.Running, st.LastExit = 0, false, "stopped" })
				fmt.Fprintf(logf, "=== devnet: stopped %s at %s\n", p.Name, time.Now().UTC().Format(time.RFC3339))
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) >= s.stable {
			restarts = 0
		}
		restarts++
		wait := Backoff(restarts, s.minBackoff, s.maxBackoff)
		desc := describeExit(exitErr)
		s.update(p.Name, func(st *Status) { st.PID, st.Running, st.LastExit = 0, false, desc })
		fmt.Fprintf(logf, "=== devnet: %s %s; restarting in %s\n", p.Name, desc, wait)
		log.Warn("node exited; restarting", zap.String("exit", desc), zap.Duration("after", time.Since(started).Round(time.Millisecond)),
			zap.Duration("backoff", wait), zap.String("log", p.LogPath))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// stop sends SIGTERM, waits for the grace period, then SIGKILL.
func (s *Supervisor) stop(cmd *exec.Cmd, exited <-chan error, log *zap.Logger) {
	if err := terminate(cmd.Process); err != nil {
		log.Debug("sigterm", zap.Error(err))
	}
	t := time.NewTimer(s.grace)
	defer t.Stop()
	select {
	case <-exited:
		return
	case <-t.C:
	}
	log.Warn("still running after the grace period: killing", zap.Duration("grace", s.grace))
	_ = kill(cmd.Process)
	<-exited
}

func (s *Supervisor) update(name string, fn func(*Status)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.status[name])
}

func describeExit(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exited with status 0"
	case errors.As(err, &ee):
		return ee.ProcessState.String()
	default:
		return "failed to start: " + err.Error()
	}
}
