package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// RecentOutputs returns the outputs of the latest n epochs stored, newest
// first (read-only; for dashboards).
func (s *Store) RecentOutputs(n int) ([]EpochOutput, error) {
	var out []EpochOutput
	if n <= 0 {
		return out, nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bOutputs).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			var o EpochOutput
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("store: decode output %d: %w", binary.BigEndian.Uint64(k), err)
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}
