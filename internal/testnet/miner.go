package testnet

import (
	"context"
	"time"

	"github.com/ganglion-subnet/ganglion/miner"
)

// RoleMiner is the role name StartMiner attaches the miner under.
const RoleMiner = "miner"

// StartMiner runs a miner on node i (attached as Role(RoleMiner)) until
// the node is killed or the test ends; at cleanup it waits for the miner's
// graceful shutdown. A killed node's miner stops abruptly: its p2p node is
// already closed.
func (nw *Network) StartMiner(i int, cfg miner.Config, ms []miner.Model, opts ...miner.Option) *miner.Miner {
	nw.t.Helper()
	nd := nw.nodes[i]
	pn := nd.P2P()
	if pn == nil {
		nw.t.Fatalf("testnet: start miner on node %d: node killed", i)
	}
	m, err := miner.New(cfg, pn, ms, opts...)
	if err != nil {
		nw.t.Fatalf("testnet: start miner on node %d: %v", i, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			done <- err // keep it for a second caller
			if err != nil {
				nw.t.Errorf("testnet: miner on node %d: %v", i, err)
			}
		case <-time.After(time.Minute):
			nw.t.Errorf("testnet: miner on node %d did not stop", i)
		}
	}
	nd.mu.Lock()
	nd.roles[RoleMiner] = m
	nd.onKill = append(nd.onKill, cancel)
	nd.mu.Unlock()
	nw.t.Cleanup(stop)
	return m
}
