package gateway_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ganglion-subnet/ganglion/gateway"
)

// TestKeysSharedFileLosesNothing: two stores on one file (a running gateway
// and the CLI) creating, revoking and flushing at once never overwrite each
// other's keys.
func TestKeysSharedFileLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	var stores [2]*gateway.Keys
	for i := range stores {
		k, err := gateway.OpenKeys(path)
		if err != nil {
			t.Fatal(err)
		}
		stores[i] = k
	}
	const each = 25
	var wg sync.WaitGroup
	for i, k := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				name := fmt.Sprintf("s%d-k%d", i, j)
				if _, err := k.Create(name, 10); err != nil {
					t.Error(err)
					return
				}
				if j%5 == 0 {
					if err := k.Revoke(name); err != nil {
						t.Error(err)
					}
				}
				if err := k.Flush(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	k, err := gateway.OpenKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	list := k.List()
	revoked := 0
	for _, x := range list {
		if x.Revoked {
			revoked++
		}
	}
	if len(list) != 2*each || revoked != 2*each/5 {
		t.Fatalf("%d keys (%d revoked) on disk, want %d (%d)", len(list), revoked, 2*each, 2*each/5)
	}
}
