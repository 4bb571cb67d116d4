package devnet

import (
	"os"
	"syscall"
)

// Windows has neither process groups for signals nor SIGTERM: stopping a
// child kills it.
func sysProcAttr() *syscall.SysProcAttr { return nil }

func terminate(p *os.Process) error { return p.Kill() }

func kill(p *os.Process) error { return p.Kill() }
