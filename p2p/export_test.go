package p2p

// WithOutboundQueueSize is withOutboundQueueSize for the external tests.
var WithOutboundQueueSize = withOutboundQueueSize

// WithPublishHold is withPublishHold for the external tests.
var WithPublishHold = withPublishHold
