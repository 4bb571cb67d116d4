package chain

// Client returns the client the sync reads through (for read-only calls
// beside the metagraph, e.g. ledger events).
func (s *MetagraphSync) Client() *Client { return s.client }
