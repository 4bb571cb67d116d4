package chain

import (
	"bytes"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
)

// Emission is one uid's share of an epoch: amount (in the chain's smallest
// unit, wei on the dev chain) paid to account.
type Emission struct {
	UID     uint16
	Account common.Address
	Amount  *big.Int
}

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// Leaf is the Merkle leaf of an emission,
// keccak256(bytes.concat(keccak256(abi.encode(epoch, uid, account, amount)))):
// the double hash keeps a leaf from being read as an inner node.
func Leaf(epoch uint64, e Emission) common.Hash {
	amount := e.Amount
	if amount == nil {
		amount = new(big.Int)
	}
	inner := crypto.Keccak256(
		common.LeftPadBytes(new(big.Int).SetUint64(epoch).Bytes(), 32),
		common.LeftPadBytes(new(big.Int).SetUint64(uint64(e.UID)).Bytes(), 32),
		common.LeftPadBytes(e.Account[:], 32),
		math.U256Bytes(new(big.Int).Set(amount)),
	)
	return crypto.Keccak256Hash(inner)
}

// hashPair is the sorted-pair inner node keccak256(min ‖ max).
func hashPair(a, b common.Hash) common.Hash {
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	return crypto.Keccak256Hash(a[:], b[:])
}

// Tree is the Merkle tree of one epoch's emissions. Leaves are ordered by uid;
// an odd node at the end of a level moves up unchanged. Inner nodes hash the
// sorted pair, so a proof is just the list of siblings.
type Tree struct {
	epoch     uint64
	emissions []Emission
	index     map[uint16]int
	levels    [][]common.Hash // levels[0] = leaves
	total     *big.Int
}

// NewTree builds the tree of an epoch's emissions.
func NewTree(epoch uint64, emissions []Emission) (*Tree, error) {
	if len(emissions) == 0 {
		return nil, ErrEmptyTree
	}
	es := make([]Emission, len(emissions))
	copy(es, emissions)
	sort.Slice(es, func(i, j int) bool { return es[i].UID < es[j].UID })
	t := &Tree{epoch: epoch, emissions: es, index: make(map[uint16]int, len(es)), total: new(big.Int)}
	leaves := make([]common.Hash, len(es))
	for i, e := range es {
		if e.Amount == nil || e.Amount.Sign() < 0 || e.Amount.Cmp(maxUint256) > 0 {
			return nil, fmt.Errorf("%w: uid %d", ErrInvalidAmount, e.UID)
		}
		if _, dup := t.index[e.UID]; dup {
			return nil, fmt.Errorf("%w: %d", ErrDuplicateUID, e.UID)
		}
		t.index[e.UID] = i
		t.total.Add(t.total, e.Amount)
		leaves[i] = Leaf(epoch, e)
	}
	if t.total.Cmp(maxUint256) > 0 {
		return nil, fmt.Errorf("%w: total overflows uint256", ErrInvalidAmount)
	}
	t.levels = [][]common.Hash{leaves}
	for level := leaves; len(level) > 1; {
		next := make([]common.Hash, (len(level)+1)/2)
		for i := range next {
			if 2*i+1 < len(level) {
				next[i] = hashPair(level[2*i], level[2*i+1])
			} else {
				next[i] = level[2*i]
			}
		}
		t.levels = append(t.levels, next)
		level = next
	}
	return t, nil
}

// Epoch is the epoch the tree's leaves commit to.
func (t *Tree) Epoch() uint64 { return t.epoch }

// Root is the emissions root to put in the EpochReport.
func (t *Tree) Root() common.Hash { return t.levels[len(t.levels)-1][0] }

// Total is the sum of all amounts, the report's TotalEmission.
func (t *Tree) Total() *big.Int { return new(big.Int).Set(t.total) }

// Emissions returns the leaves' emissions ordered by uid.
func (t *Tree) Emissions() []Emission {
	out := make([]Emission, len(t.emissions))
	copy(out, t.emissions)
	return out
}

// Report returns the EpochReport of this tree for netuid.
func (t *Tree) Report(netuid uint16) EpochReport {
	return EpochReport{Netuid: netuid, Epoch: t.epoch, EmissionsRoot: t.Root(), TotalEmission: t.Total()}
}

// Proof returns uid's emission and its Merkle proof.
func (t *Tree) Proof(uid uint16) (Emission, []common.Hash, error) {
	i, ok := t.index[uid]
	if !ok {
		return Emission{}, nil, fmt.Errorf("%w: %d", ErrNotInTree, uid)
	}
	var proof []common.Hash
	for _, level := range t.levels[:len(t.levels)-1] {
		sib := i ^ 1
		if sib < len(level) {
			proof = append(proof, level[sib])
		}
		i /= 2
	}
	return t.emissions[t.index[uid]], proof, nil
}

// VerifyProof reports whether proof leads from leaf to root, as the contract
// checks it.
func VerifyProof(root, leaf common.Hash, proof []common.Hash) bool {
	h := leaf
	for _, p := range proof {
		h = hashPair(h, p)
	}
	return h == root
}
