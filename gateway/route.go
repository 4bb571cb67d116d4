package gateway

import (
	"context"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// minerInfo is what the gateway knows of one miner from its announcements.
type minerInfo struct {
	addr     [20]byte
	peer     peer.ID
	models   map[string]*protocol.ModelInfo // by raw model id
	seen     time.Time
	inflight int
	busyTill time.Time
}

func (g *Gateway) followAnnounces(ctx context.Context, sub *p2p.Subscription) {
	for {
		msg, err := sub.Next(ctx)
		if err != nil {
			return
		}
		a, ok := msg.Message.(*protocol.Announce)
		if !ok {
			continue
		}
		g.noteAnnounce(ctx, msg.From, a)
	}
}

func (g *Gateway) noteAnnounce(ctx context.Context, from peer.ID, a *protocol.Announce) {
	var addr [20]byte
	copy(addr[:], a.Miner)
	g.minersMu.Lock()
	mi := g.miners[addr]
	if mi == nil {
		mi = &minerInfo{addr: addr}
		g.miners[addr] = mi
	}
	mi.peer = from
	mi.seen = time.Now()
	mi.models = map[string]*protocol.ModelInfo{}
	for _, m := range a.Models {
		mi.models[string(m.ModelId)] = m
	}
	n := 0
	for k, x := range g.miners {
		if time.Since(x.seen) > 2*g.cfg.AnnounceTTL && x.inflight == 0 {
			delete(g.miners, k) // gone for long: forget it
			continue
		}
		for _, m := range g.list {
			if x.models[string(m.ID)] != nil {
				n++
				break
			}
		}
	}
	g.minersMu.Unlock()
	g.metrics.Miners.Set(float64(n))
	// Pre-connect so the query reaches the miner directly.
	if g.node.Host().Network().Connectedness(from) != 1 { // 1: Connected
		pi := peer.AddrInfo{ID: from}
		for _, s := range a.ListenAddrs {
			if m, err := ma.NewMultiaddr(s); err == nil {
				pi.Addrs = append(pi.Addrs, m)
			}
		}
		go func() {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := g.node.Connect(cctx, pi); err != nil {
				g.log.Debug("connect to announcing miner", zap.Stringer("peer", from), zap.Error(err))
			}
		}()
	}
}

// servingModel is one model with the number of miners announcing it.
type servingModel struct {
	m       *Model
	miners  int
	context uint32
}

// served lists the gateway's models that at least one live miner announces.
func (g *Gateway) served() []servingModel {
	g.minersMu.Lock()
	defer g.minersMu.Unlock()
	var out []servingModel
	for _, m := range g.list {
		s := servingModel{m: m}
		for _, mi := range g.miners {
			if time.Since(mi.seen) > g.cfg.AnnounceTTL {
				continue
			}
			if info := mi.models[string(m.ID)]; info != nil {
				s.miners++
				s.context = max(s.context, info.ContextLength)
			}
		}
		if s.miners > 0 {
			out = append(out, s)
		}
	}
	return out
}

// pick chooses a miner for model id, excluding tried ones: weighted random
// by score (uniform by default), divided by the miner's requests in flight
// from this gateway, skipping miners that said busy recently. It returns
// ok=false when none is left. The caller must call release.
func (g *Gateway) pick(id []byte, exclude map[[20]byte]bool) (mi minerInfo, ctxLen uint32, ok bool) {
	g.minersMu.Lock()
	defer g.minersMu.Unlock()
	now := time.Now()
	var cands []*minerInfo
	var weights []float64
	total := 0.0
	for _, x := range g.miners {
		info := x.models[string(id)]
		if info == nil || exclude[x.addr] || now.Sub(x.seen) > g.cfg.AnnounceTTL || now.Before(x.busyTill) {
			continue
		}
		w := 1.0
		if g.scores != nil {
			if s, ok := g.scores.Score(x.addr); ok && s > 0 && !math.IsInf(s, 0) {
				w = 0.05 + s // every miner keeps a chance
			} else {
				w = 0.05
			}
		}
		w /= float64(1 + x.inflight)
		cands = append(cands, x)
		weights = append(weights, w)
		total += w
	}
	if len(cands) == 0 {
		return minerInfo{}, 0, false
	}
	r := rand.Float64() * total
	k := len(cands) - 1
	for i, w := range weights {
		if r < w {
			k = i
			break
		}
		r -= w
	}
	c := cands[k]
	c.inflight++
	return *c, c.models[string(id)].ContextLength, true
}

func (g *Gateway) release(addr [20]byte, busyFor time.Duration) {
	g.minersMu.Lock()
	defer g.minersMu.Unlock()
	if x := g.miners[addr]; x != nil {
		x.inflight--
		if busyFor > 0 {
			x.busyTill = time.Now().Add(busyFor)
		}
	}
}

func addrHex(a [20]byte) string { return "0x" + hex.EncodeToString(a[:]) }
