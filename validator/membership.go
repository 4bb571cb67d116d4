package validator

import (
	"context"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/p2p"
)

// Membership backs p2p's topic checks with the chain's metagraph: a
// validator is a member if it is registered as a validator with a permit
// and stake; a miner if it is registered as a miner. It reads the latest
// copy of a chain.MetagraphSync, so it is fast and safe for concurrent use.
type Membership struct{ sync *chain.MetagraphSync }

var _ p2p.Membership = (*Membership)(nil)

// NewMembership returns a membership check over s.
func NewMembership(s *chain.MetagraphSync) *Membership { return &Membership{sync: s} }

// IsMember reports whether addr is registered in role.
func (m *Membership) IsMember(addr common.Address, role p2p.Role) bool {
	n, ok := m.sync.Lookup(addr)
	if !ok {
		return false
	}
	switch role {
	case p2p.RoleValidator:
		return n.Role == chain.RoleValidator && n.ValidatorPermit && n.Stake != nil && n.Stake.Sign() > 0
	case p2p.RoleMiner:
		return n.Role == chain.RoleMiner
	}
	return false
}

// Run refreshes the metagraph until ctx ends (chain.MetagraphSync.Run).
func (m *Membership) Run(ctx context.Context) error { return m.sync.Run(ctx) }
