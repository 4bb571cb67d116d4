// Package devchaintest runs development chains for tests. Only tests import
// it.
package devchaintest

import (
	"context"
	"testing"
	"time"

	"github.com/ganglion-subnet/ganglion/chain/devchain"
)

// Start runs a dev chain with cfg until the test ends (a Run error then
// fails the test) and returns it once its contracts are deployed.
func Start(t testing.TB, cfg devchain.Config, opts ...devchain.Option) *devchain.Chain {
	t.Helper()
	dev, err := devchain.New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- dev.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("dev chain: %v", err)
		}
	})
	select {
	case <-dev.Ready():
	case err := <-done:
		t.Fatalf("dev chain stopped: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("dev chain not ready after a minute")
	}
	return dev
}
