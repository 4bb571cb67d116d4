package p2p

import (
	"sync"

	"github.com/ethereum/go-ethereum/common"
)

// Role is what a member is registered as.
type Role uint8

// Roles.
const (
	RoleMiner Role = iota + 1
	RoleValidator
)

func (r Role) String() string {
	switch r {
	case RoleMiner:
		return "miner"
	case RoleValidator:
		return "validator"
	}
	return "unknown"
}

// Membership answers whether an address is registered (and staked) in a
// role. The topic validators call it for every message, from several
// goroutines at once: it must be fast and safe for concurrent use. The chain
// package backs it with the on-chain registry.
type Membership interface {
	IsMember(addr common.Address, role Role) bool
}

// AllowAll accepts every address in every role (development only).
type AllowAll struct{}

// IsMember returns true.
func (AllowAll) IsMember(common.Address, Role) bool { return true }

// StaticMembership is a fixed, editable member list (tests, dev networks).
// The zero value is empty and ready to use.
type StaticMembership struct {
	mu sync.RWMutex
	m  map[common.Address]map[Role]bool
}

// Add registers addr in roles.
func (s *StaticMembership) Add(addr common.Address, roles ...Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[common.Address]map[Role]bool)
	}
	if s.m[addr] == nil {
		s.m[addr] = make(map[Role]bool)
	}
	for _, r := range roles {
		s.m[addr][r] = true
	}
}

// Remove deregisters addr from every role.
func (s *StaticMembership) Remove(addr common.Address) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, addr)
}

// IsMember reports whether addr is registered in role.
func (s *StaticMembership) IsMember(addr common.Address, role Role) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.m[addr][role]
}
