package validator

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/validator/weights"
)

// BenchmarkSettle256 settles an epoch of 16 validators and 240 miners, every
// validator weighting every miner: Yuma plus the emissions tree.
func BenchmarkSettle256(b *testing.B) {
	const nv, n = 16, 256
	mg := &chain.Metagraph{Netuid: 1, Params: chain.Params{MaxValidators: nv}}
	var rows []weights.Revealed
	for i := range n {
		nu := chain.Neuron{UID: uint16(i), Hotkey: common.BigToAddress(big.NewInt(int64(i + 1))), Role: chain.RoleMiner, Stake: new(big.Int)}
		if i < nv {
			nu.Role, nu.ValidatorPermit, nu.Stake = chain.RoleValidator, true, coins(int64(10+i))
		}
		mg.Neurons = append(mg.Neurons, nu)
	}
	for v := range nv {
		r := weights.Revealed{Validator: mg.Neurons[v].Hotkey}
		for u := nv; u < n; u++ {
			r.UIDs = append(r.UIDs, uint16(u))
			r.Values = append(r.Values, uint16(1000+(u*v)%60000))
		}
		rows = append(rows, r)
	}
	for b.Loop() {
		s, err := Settle(7, mg, rows, nil, 1_000_000_000)
		if err != nil || s.Tree == nil {
			b.Fatal(err)
		}
	}
}
