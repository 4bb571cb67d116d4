package p2p_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/protocol"
)

// TestMetricsExported: a node built WithMetrics(NewMetrics(reg)) exports
// ganglion_p2p_* series that move when it validates messages.
func TestMetricsExported(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := p2p.NewMetrics(reg)
	nw := testnet.New(t, 1, testnet.Options{NodeOptions: func(int) []p2p.Option { return []p2p.Option{p2p.WithMetrics(m)} }})
	if nw.P2P(0).Metrics() != m {
		t.Fatal("node does not use the given metrics")
	}
	if _, err := nw.P2P(0).Publish(ctxT(t, 5*time.Second), query(newQueryID(t), nw.Node(0).Address)); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "ganglion_p2p_") {
			t.Errorf("metric %s lacks the ganglion_p2p_ prefix", mf.GetName())
		}
		if mf.GetName() == "ganglion_p2p_messages_validated_total" {
			for _, x := range mf.GetMetric() {
				for _, l := range x.GetLabel() {
					if l.GetName() == "topic" && l.GetValue() == protocol.Topic(testnet.NetUID, protocol.TopicQuery) && x.GetCounter().GetValue() == 1 {
						found = true
					}
				}
			}
		}
	}
	if !found {
		t.Error("the published query was not counted as validated")
	}
}
