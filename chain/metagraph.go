package chain

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain/bindings"
)

// Role is what a hotkey registered as.
type Role uint8

// Roles, as the SubnetRegistry numbers them.
const (
	RoleMiner     Role = 1
	RoleValidator Role = 2
)

func (r Role) String() string {
	switch r {
	case RoleMiner:
		return "miner"
	case RoleValidator:
		return "validator"
	}
	return "none"
}

// Params are a subnet's owner-set parameters.
type Params struct {
	EpochLength    uint64   // blocks per epoch
	MaxUIDs        uint16   // uid slots
	MaxValidators  uint16   // validator permits (top-k by stake)
	ImmunityPeriod uint64   // blocks a new uid cannot be replaced
	MinStake       *big.Int // stake needed for a validator permit
	Deposit        *big.Int // registration deposit (burned)
}

// DefaultParams are the dev chain's subnet parameters.
func DefaultParams() Params {
	return Params{
		EpochLength:    360,
		MaxUIDs:        256,
		MaxValidators:  64,
		ImmunityPeriod: 4096,
		MinStake:       new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil), // 1 coin
		Deposit:        new(big.Int).Exp(big.NewInt(10), big.NewInt(16), nil), // 0.01 coin
	}
}

func (p Params) binding() bindings.SubnetRegistryParams {
	return bindings.SubnetRegistryParams{
		EpochLength: p.EpochLength, MaxUids: p.MaxUIDs, MaxValidators: p.MaxValidators,
		ImmunityPeriod: p.ImmunityPeriod, MinStake: orZero(p.MinStake), Deposit: orZero(p.Deposit),
	}
}

func paramsFrom(b bindings.SubnetRegistryParams) Params {
	return Params{
		EpochLength: b.EpochLength, MaxUIDs: b.MaxUids, MaxValidators: b.MaxValidators,
		ImmunityPeriod: b.ImmunityPeriod, MinStake: b.MinStake, Deposit: b.Deposit,
	}
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// Neuron is one uid of the metagraph.
type Neuron struct {
	UID             uint16
	Hotkey          common.Address
	Role            Role
	ValidatorPermit bool
	RegisteredAt    uint64   // block
	EmissionEpoch   uint64   // epoch of the latest claimed emission
	Stake           *big.Int // validators only
	Emission        *big.Int // latest claimed emission (the pruning score)
}

// Metagraph is a subnet's registry state read in one call at one block.
type Metagraph struct {
	Params
	Netuid         uint16
	Version        uint64   // validator-set version
	PermittedStake *big.Int // total stake of permitted validators
	Block          uint64
	Neurons        []Neuron // index = uid

	byHotkey map[common.Address]int
}

func newMetagraph(netuid uint16, out bindings.MetagraphOutput) *Metagraph {
	m := &Metagraph{
		Params: paramsFrom(out.P), Netuid: netuid, Version: out.Version, PermittedStake: out.TotalPermitted,
		Block: out.BlockNumber, Neurons: make([]Neuron, len(out.Ns)), byHotkey: make(map[common.Address]int, len(out.Ns)),
	}
	for i, n := range out.Ns {
		m.Neurons[i] = Neuron{
			UID: n.Uid, Hotkey: n.Hotkey, Role: Role(n.Role), ValidatorPermit: n.ValidatorPermit,
			RegisteredAt: n.RegisteredAt, EmissionEpoch: n.EmissionEpoch, Stake: n.Stake, Emission: n.Emission,
		}
		m.byHotkey[n.Hotkey] = i
	}
	return m
}

// Lookup returns the neuron registered with hotkey.
func (m *Metagraph) Lookup(hotkey common.Address) (Neuron, bool) {
	if m.byHotkey == nil { // built elsewhere, e.g. decoded from JSON
		for _, n := range m.Neurons {
			if n.Hotkey == hotkey {
				return n, true
			}
		}
		return Neuron{}, false
	}
	i, ok := m.byHotkey[hotkey]
	if !ok {
		return Neuron{}, false
	}
	return m.Neurons[i], true
}

// VotingPower is hotkey's stake if it holds a validator permit, else 0.
func (m *Metagraph) VotingPower(hotkey common.Address) *big.Int {
	n, ok := m.Lookup(hotkey)
	if !ok || !n.ValidatorPermit {
		return new(big.Int)
	}
	return new(big.Int).Set(n.Stake)
}

// Validators returns the neurons holding a validator permit, by uid.
func (m *Metagraph) Validators() []Neuron {
	var out []Neuron
	for _, n := range m.Neurons {
		if n.ValidatorPermit {
			out = append(out, n)
		}
	}
	return out
}

// Quorum sums the voting power of signers (each counted once) and reports
// whether it is more than 2/3 of the permitted stake, the contract's rule.
func (m *Metagraph) Quorum(signers []common.Address) (signed, total *big.Int, ok bool) {
	signed = new(big.Int)
	seen := map[common.Address]bool{}
	for _, s := range signers {
		if seen[s] {
			continue
		}
		seen[s] = true
		signed.Add(signed, m.VotingPower(s))
	}
	total = new(big.Int).Set(orZero(m.PermittedStake))
	return signed, total, HasQuorum(signed, total)
}

// HasQuorum is the finalisation rule 3·signed > 2·total (and total > 0).
func HasQuorum(signed, total *big.Int) bool {
	if total.Sign() == 0 {
		return false
	}
	l := new(big.Int).Mul(signed, big.NewInt(3))
	r := new(big.Int).Mul(total, big.NewInt(2))
	return l.Cmp(r) > 0
}
