package testnet_test

import (
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/internal/testnet"
)

func TestStartupTiming(t *testing.T) {
	s := time.Now()
	nw := testnet.New(t, 12, testnet.Options{})
	t.Logf("start %v", time.Since(s))
	s = time.Now()
	nw.ConnectAll()
	t.Logf("connect %v", time.Since(s))
	s = time.Now()
	nw.Close()
	t.Logf("close %v", time.Since(s))
}
