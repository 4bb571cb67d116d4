package p2p

import "errors"

// Sentinel errors.
var (
	// ErrStreamBroken: an infer stream ended (reset, closed, timed out or the
	// peer went away) before its final frame.
	ErrStreamBroken = errors.New("p2p: infer stream broken")
	// ErrNoWaiter: nobody awaits the query id an incoming stream names.
	ErrNoWaiter = errors.New("p2p: no one awaits this query")
	// ErrAuthorMismatch: an envelope's signer is not the libp2p peer that
	// authored the message or opened the stream.
	ErrAuthorMismatch = errors.New("p2p: envelope signer is not the sending peer")
	// ErrNotMember: the signer is not a registered member in the required role.
	ErrNotMember = errors.New("p2p: sender is not a registered member")
	// ErrClosed: the node or the awaiting registration is closed.
	ErrClosed = errors.New("p2p: closed")
	// ErrDuplicateWait: the query id is already awaited.
	ErrDuplicateWait = errors.New("p2p: query id already awaited")
)
