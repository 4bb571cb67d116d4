package chain

import (
	"context"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"
)

// MetagraphSync keeps a recent copy of the subnet's metagraph for the roles:
// Run refreshes it every interval; Current, Lookup and VotingPower read the
// latest copy from any goroutine. A p2p membership check can be backed by
// Lookup directly.
type MetagraphSync struct {
	client   *Client
	interval time.Duration
	log      *zap.Logger

	mu      sync.RWMutex
	current *Metagraph
}

// NewMetagraphSync returns a sync reading through client every interval.
func NewMetagraphSync(client *Client, interval time.Duration, log *zap.Logger) *MetagraphSync {
	if log == nil {
		log = zap.NewNop()
	}
	return &MetagraphSync{client: client, interval: interval, log: log.Named("metagraph")}
}

// Refresh reads the metagraph now and makes it current.
func (s *MetagraphSync) Refresh(ctx context.Context) (*Metagraph, error) {
	mg, err := s.client.Metagraph(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.current == nil || mg.Block >= s.current.Block {
		s.current = mg
	}
	s.mu.Unlock()
	return mg, nil
}

// Current is the latest metagraph read, nil before the first.
func (s *MetagraphSync) Current() *Metagraph {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current
}

// Lookup finds hotkey in the current metagraph.
func (s *MetagraphSync) Lookup(hotkey common.Address) (Neuron, bool) {
	mg := s.Current()
	if mg == nil {
		return Neuron{}, false
	}
	return mg.Lookup(hotkey)
}

// Run refreshes every interval until ctx ends; failures are logged and
// retried at the next tick.
func (s *MetagraphSync) Run(ctx context.Context) error {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		if _, err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("refresh metagraph", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
