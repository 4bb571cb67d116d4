package validator

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// Listen feeds the weights and reports topics of node into the driver until
// ctx ends. The node has already checked each envelope's signature and that
// its author is a registered validator.
func (d *Driver) Listen(ctx context.Context, node *p2p.Node) error {
	ws, err := node.Subscribe(protocol.TopicWeights)
	if err != nil {
		return err
	}
	defer ws.Cancel()
	rs, err := node.Subscribe(protocol.TopicReports)
	if err != nil {
		return err
	}
	defer rs.Cancel()
	errc := make(chan error, 2)
	pump := func(sub *p2p.Subscription) {
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				errc <- err
				return
			}
			from := m.Sender
			if from == d.addr {
				continue
			}
			switch x := m.Message.(type) {
			case *protocol.WeightCommit:
				err = d.HandleCommit(from, x)
			case *protocol.WeightReveal:
				err = d.HandleReveal(from, x)
			case *protocol.ReportSignature:
				err = d.HandleReportSignature(ctx, from, x)
			}
			if err != nil {
				d.log.Debug("gossip message ignored", zap.Stringer("from", from), zap.Error(err))
			}
		}
	}
	go pump(ws)
	go pump(rs)
	err = <-errc
	cancelBoth := func() { ws.Cancel(); rs.Cancel() }
	cancelBoth()
	<-errc
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
