package devnet

import (
	"os"
	"syscall"
)

// sysProcAttr puts a child in its own process group (a Ctrl-C in the
// terminal reaches only the supervisor, which stops the children in order)
// and has the kernel kill it if the supervising thread dies, so a killed
// supervisor leaves no orphans.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// terminate sends SIGTERM to the child's process group.
func terminate(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGTERM) }

// kill sends SIGKILL to the child's process group.
func kill(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGKILL) }
