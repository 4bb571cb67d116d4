//go:build unix && !linux

package devnet

import (
	"os"
	"syscall"
)

// sysProcAttr puts a child in its own process group. Outside Linux there is
// no parent-death signal: a supervisor killed with SIGKILL can leave
// children behind.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

func kill(p *os.Process) error { return p.Kill() }
