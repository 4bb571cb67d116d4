package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain/bindings"
)

// Backend is the JSON-RPC surface the Client uses. *ethclient.Client
// implements it, and so does the dev chain's in-process client. Methods are
// called concurrently.
type Backend interface {
	ChainID(ctx context.Context) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error)
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error)
}

// Addresses are a subnet's two contracts.
type Addresses struct {
	Registry common.Address `json:"registry"`
	Ledger   common.Address `json:"ledger"`
}

// Client reads and writes a subnet's SubnetRegistry and EmissionsLedger over
// JSON-RPC. Transactions are EIP-1559, signed with the client's key, with a
// locally managed nonce, an EstimateGas limit, retries with backoff on
// transient RPC errors, and custom reverts decoded into *ContractError. A
// Client is safe for concurrent use; its transactions are sent one at a time.
type Client struct {
	backend Backend
	addrs   Addresses
	key     *ecdsa.PrivateKey
	from    common.Address
	log     *zap.Logger
	metrics *Metrics

	attempts  int
	backoff   time.Duration
	poll      time.Duration
	gasMargin uint64 // percent added to EstimateGas

	reg    *bindings.SubnetRegistry
	ledger *bindings.EmissionsLedger
	abis   map[string]*abi.ABI

	mu       sync.Mutex // guards chainID, netuid
	chainID  *big.Int
	netuid   *uint16
	txMu     sync.Mutex // serialises sends; guards nonce
	nonce    uint64
	nonceSet bool
}

// Option configures a Client.
type Option func(*Client) error

// WithKey makes the client able to send transactions, signed with key.
func WithKey(key *ecdsa.PrivateKey) Option {
	return func(c *Client) error {
		if key == nil {
			return errors.New("chain: nil key")
		}
		c.key = key
		c.from = crypto.PubkeyToAddress(key.PublicKey)
		return nil
	}
}

// WithLogger sets the logger.
func WithLogger(l *zap.Logger) Option {
	return func(c *Client) error {
		c.log = l.Named("chain")
		return nil
	}
}

// WithMetrics sets the metrics.
func WithMetrics(m *Metrics) Option {
	return func(c *Client) error {
		c.metrics = m
		return nil
	}
}

// WithRetry sets how often a transient RPC failure is tried (attempts ≥ 1)
// and the first backoff, doubled after each failure.
func WithRetry(attempts int, backoff time.Duration) Option {
	return func(c *Client) error {
		if attempts < 1 || backoff < 0 {
			return fmt.Errorf("chain: retry attempts %d backoff %v", attempts, backoff)
		}
		c.attempts, c.backoff = attempts, backoff
		return nil
	}
}

// WithReceiptPoll sets how often a pending transaction's receipt is asked for.
func WithReceiptPoll(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("chain: receipt poll %v", d)
		}
		c.poll = d
		return nil
	}
}

// WithChainID fixes the chain id instead of asking the endpoint.
func WithChainID(id *big.Int) Option {
	return func(c *Client) error {
		c.chainID = new(big.Int).Set(id)
		return nil
	}
}

// New returns a Client of the contracts at addrs through backend. It makes no
// RPC call.
func New(backend Backend, addrs Addresses, opts ...Option) (*Client, error) {
	c := &Client{
		backend: backend, addrs: addrs, log: zap.NewNop(), metrics: NopMetrics(),
		attempts: 5, backoff: 200 * time.Millisecond, poll: 100 * time.Millisecond, gasMargin: 20,
		reg: bindings.NewSubnetRegistry(), ledger: bindings.NewEmissionsLedger(),
	}
	regABI, ledABI := c.reg.GetABI(), c.ledger.GetABI()
	c.abis = map[string]*abi.ABI{"SubnetRegistry": &regABI, "EmissionsLedger": &ledABI}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Dial connects to a JSON-RPC endpoint (http, ws or ipc) and returns a Client.
func Dial(ctx context.Context, url string, addrs Addresses, opts ...Option) (*Client, error) {
	ec, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	return New(ec, addrs, opts...)
}

// Address is the client's sending account (zero without a key).
func (c *Client) Address() common.Address { return c.from }

// Addresses are the contracts the client talks to.
func (c *Client) Addresses() Addresses { return c.addrs }

// Backend is the JSON-RPC backend.
func (c *Client) Backend() Backend { return c.backend }

// ChainID returns the endpoint's chain id (asked once).
func (c *Client) ChainID(ctx context.Context) (*big.Int, error) {
	c.mu.Lock()
	id := c.chainID
	c.mu.Unlock()
	if id != nil {
		return new(big.Int).Set(id), nil
	}
	id, err := retry(ctx, c, "chain id", func() (*big.Int, error) { return c.backend.ChainID(ctx) })
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.chainID = id
	c.mu.Unlock()
	return new(big.Int).Set(id), nil
}

// Domain returns the EIP-712 domain of the client's ledger.
func (c *Client) Domain(ctx context.Context) (Domain, error) {
	id, err := c.ChainID(ctx)
	if err != nil {
		return Domain{}, err
	}
	return Domain{ChainID: id, Contract: c.addrs.Ledger}, nil
}

// Netuid returns the registry's netuid (asked once).
func (c *Client) Netuid(ctx context.Context) (uint16, error) {
	c.mu.Lock()
	n := c.netuid
	c.mu.Unlock()
	if n != nil {
		return *n, nil
	}
	v, err := callUnpack(ctx, c, c.addrs.Registry, c.reg.PackNetuid(), c.reg.UnpackNetuid)
	if err != nil {
		return 0, fmt.Errorf("read netuid: %w", err)
	}
	c.mu.Lock()
	c.netuid = &v
	c.mu.Unlock()
	return v, nil
}

// Balance returns account's balance at the latest block.
func (c *Client) Balance(ctx context.Context, account common.Address) (*big.Int, error) {
	return retry(ctx, c, "balance", func() (*big.Int, error) { return c.backend.BalanceAt(ctx, account, nil) })
}

// ---- registry ----

// Metagraph reads the whole registry in one call.
func (c *Client) Metagraph(ctx context.Context) (*Metagraph, error) {
	netuid, err := c.Netuid(ctx)
	if err != nil {
		return nil, err
	}
	out, err := callUnpack(ctx, c, c.addrs.Registry, c.reg.PackMetagraph(), c.reg.UnpackMetagraph)
	if err != nil {
		return nil, fmt.Errorf("read metagraph: %w", err)
	}
	return newMetagraph(netuid, out), nil
}

// Register registers the client's key as a miner or validator, paying the
// subnet's deposit, and returns its uid.
func (c *Client) Register(ctx context.Context, role Role) (uint16, *types.Receipt, error) {
	p, err := callUnpack(ctx, c, c.addrs.Registry, c.reg.PackGetParams(), c.reg.UnpackGetParams)
	if err != nil {
		return 0, nil, fmt.Errorf("register: read params: %w", err)
	}
	rcpt, err := c.transact(ctx, "register", &c.addrs.Registry, c.reg.PackRegister(uint8(role)), p.Deposit)
	if err != nil {
		return 0, nil, fmt.Errorf("register: %w", err)
	}
	for _, l := range rcpt.Logs {
		if ev, err := c.reg.UnpackRegisteredEvent(l); err == nil && ev.Hotkey == c.from {
			return ev.Uid, rcpt, nil
		}
	}
	return 0, rcpt, fmt.Errorf("register: no Registered event in %s", rcpt.TxHash)
}

// Stake adds amount to the client's validator stake.
func (c *Client) Stake(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	r, err := c.transact(ctx, "stake", &c.addrs.Registry, c.reg.PackStake(), amount)
	if err != nil {
		return nil, fmt.Errorf("stake: %w", err)
	}
	return r, nil
}

// Unstake returns amount of the client's stake.
func (c *Client) Unstake(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	r, err := c.transact(ctx, "unstake", &c.addrs.Registry, c.reg.PackUnstake(amount), nil)
	if err != nil {
		return nil, fmt.Errorf("unstake: %w", err)
	}
	return r, nil
}

// SetParams changes the subnet's parameters (registry owner only).
func (c *Client) SetParams(ctx context.Context, p Params) (*types.Receipt, error) {
	r, err := c.transact(ctx, "setParams", &c.addrs.Registry, c.reg.PackSetParams(p.binding()), nil)
	if err != nil {
		return nil, fmt.Errorf("set params: %w", err)
	}
	return r, nil
}

// ---- ledger ----

// Fund adds amount to the emission pool.
func (c *Client) Fund(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	r, err := c.transact(ctx, "fund", &c.addrs.Ledger, c.ledger.PackFund(), amount)
	if err != nil {
		return nil, fmt.Errorf("fund: %w", err)
	}
	return r, nil
}

func reportBinding(r EpochReport) bindings.EmissionsLedgerEpochReport {
	return bindings.EmissionsLedgerEpochReport{Netuid: r.Netuid, Epoch: r.Epoch, EmissionsRoot: r.EmissionsRoot, TotalEmission: r.total()}
}

// HashReport asks the ledger for report r's EIP-712 digest.
func (c *Client) HashReport(ctx context.Context, r EpochReport) (common.Hash, error) {
	h, err := callUnpack(ctx, c, c.addrs.Ledger, c.ledger.PackHashReport(reportBinding(r)), c.ledger.UnpackHashReport)
	return common.Hash(h), err
}

// Attest submits one validator's signature on r. It reports whether r is now
// final.
func (c *Client) Attest(ctx context.Context, r EpochReport, sig []byte) (bool, *types.Receipt, error) {
	rcpt, err := c.transact(ctx, "attest", &c.addrs.Ledger, c.ledger.PackAttest(reportBinding(r), sig), nil)
	if err != nil {
		return false, nil, fmt.Errorf("attest epoch %d: %w", r.Epoch, err)
	}
	for _, l := range rcpt.Logs {
		if _, err := c.ledger.UnpackEpochFinalizedEvent(l); err == nil {
			return true, rcpt, nil
		}
	}
	return false, rcpt, nil
}

// SortSignatures recovers the signer of each signature on r and returns the
// signatures ordered by ascending signer, without duplicate signers, as
// finalizeWithSignatures wants them.
func SortSignatures(d Domain, r EpochReport, sigs [][]byte) ([][]byte, []common.Address, error) {
	type signed struct {
		addr common.Address
		sig  []byte
	}
	var list []signed
	seen := map[common.Address]bool{}
	for i, s := range sigs {
		a, err := RecoverSigner(d, r, s)
		if err != nil {
			return nil, nil, fmt.Errorf("signature %d: %w", i, err)
		}
		if seen[a] {
			continue
		}
		seen[a] = true
		list = append(list, signed{a, s})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].addr.Cmp(list[j].addr) < 0 })
	out := make([][]byte, len(list))
	addrs := make([]common.Address, len(list))
	for i, s := range list {
		out[i], addrs[i] = s.sig, s.addr
	}
	return out, addrs, nil
}

// Finalize sends r with signatures (any order; sorted and de-duplicated
// here) to finalizeWithSignatures.
func (c *Client) Finalize(ctx context.Context, r EpochReport, sigs [][]byte) (*types.Receipt, error) {
	d, err := c.Domain(ctx)
	if err != nil {
		return nil, err
	}
	sorted, _, err := SortSignatures(d, r, sigs)
	if err != nil {
		return nil, fmt.Errorf("finalize epoch %d: %w", r.Epoch, err)
	}
	return c.FinalizeRaw(ctx, r, sorted)
}

// FinalizeRaw sends r with sigs exactly as given.
func (c *Client) FinalizeRaw(ctx context.Context, r EpochReport, sigs [][]byte) (*types.Receipt, error) {
	rcpt, err := c.transact(ctx, "finalizeWithSignatures", &c.addrs.Ledger, c.ledger.PackFinalizeWithSignatures(reportBinding(r), sigs), nil)
	if err != nil {
		return nil, fmt.Errorf("finalize epoch %d: %w", r.Epoch, err)
	}
	return rcpt, nil
}

// Claim pays e's amount to e.Account for epoch, proven by proof.
func (c *Client) Claim(ctx context.Context, epoch uint64, e Emission, proof []common.Hash) (*types.Receipt, error) {
	p := make([][32]byte, len(proof))
	for i, h := range proof {
		p[i] = h
	}
	r, err := c.transact(ctx, "claim", &c.addrs.Ledger, c.ledger.PackClaim(epoch, e.UID, e.Account, orZero(e.Amount), p), nil)
	if err != nil {
		return nil, fmt.Errorf("claim epoch %d uid %d: %w", epoch, e.UID, err)
	}
	return r, nil
}

// IsClaimed reports whether (epoch, uid) was claimed.
func (c *Client) IsClaimed(ctx context.Context, epoch uint64, uid uint16) (bool, error) {
	return callUnpack(ctx, c, c.addrs.Ledger, c.ledger.PackIsClaimed(epoch, uid), c.ledger.UnpackIsClaimed)
}

// EpochStatus is an epoch's state on the ledger.
type EpochStatus struct {
	Epoch         uint64
	Finalized     bool
	EmissionsRoot common.Hash
	TotalEmission *big.Int
	Remaining     *big.Int // not yet claimed
	LatestEpoch   uint64   // highest finalised epoch
	Pool          *big.Int // funds not reserved for finalised epochs
}

// EpochStatus reads epoch's state.
func (c *Client) EpochStatus(ctx context.Context, epoch uint64) (EpochStatus, error) {
	e, err := callUnpack(ctx, c, c.addrs.Ledger, c.ledger.PackGetEpoch(epoch), c.ledger.UnpackGetEpoch)
	if err != nil {
		return EpochStatus{}, fmt.Errorf("epoch %d status: %w", epoch, err)
	}
	latest, err := callUnpack(ctx, c, c.addrs.Ledger, c.ledger.PackLatestEpoch(), c.ledger.UnpackLatestEpoch)
	if err != nil {
		return EpochStatus{}, fmt.Errorf("latest epoch: %w", err)
	}
	pool, err := callUnpack(ctx, c, c.addrs.Ledger, c.ledger.PackAvailable(), c.ledger.UnpackAvailable)
	if err != nil {
		return EpochStatus{}, fmt.Errorf("pool: %w", err)
	}
	return EpochStatus{
		Epoch: epoch, Finalized: e.EmissionsRoot != (common.Hash{}), EmissionsRoot: e.EmissionsRoot, TotalEmission: e.TotalEmission,
		Remaining: e.Remaining, LatestEpoch: latest, Pool: pool,
	}, nil
}

// AttestedStake returns the stake that attested r under the current
// validator-set version, the total permitted stake and that version.
func (c *Client) AttestedStake(ctx context.Context, r EpochReport) (signed, total *big.Int, version uint64, err error) {
	out, err := callUnpack(ctx, c, c.addrs.Ledger, c.ledger.PackAttestedStake(reportBinding(r)), c.ledger.UnpackAttestedStake)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("attested stake: %w", err)
	}
	return out.Signed, out.Total, out.Version, nil
}

// ---- deployment ----

// Deploy deploys a SubnetRegistry for netuid with params and an
// EmissionsLedger reading it, links them, and returns a Client of the pair
// signed with deployer (the registry's owner) and the receipts of the three
// transactions (registry, ledger, link).
func Deploy(ctx context.Context, backend Backend, deployer *ecdsa.PrivateKey, netuid uint16, p Params, opts ...Option) (*Client, []*types.Receipt, error) {
	c, err := New(backend, Addresses{}, append([]Option{WithKey(deployer)}, opts...)...)
	if err != nil {
		return nil, nil, err
	}
	var rcpts []*types.Receipt
	regCode := append(common.FromHex(bindings.SubnetRegistryMetaData.Bin), c.reg.PackConstructor(netuid, p.binding())...)
	rcpt, err := c.transact(ctx, "deploy SubnetRegistry", nil, regCode, nil)
	if err != nil {
		return nil, rcpts, fmt.Errorf("deploy registry: %w", err)
	}
	rcpts = append(rcpts, rcpt)
	c.addrs.Registry = rcpt.ContractAddress
	ledCode := append(common.FromHex(bindings.EmissionsLedgerMetaData.Bin), c.ledger.PackConstructor(c.addrs.Registry)...)
	rcpt, err = c.transact(ctx, "deploy EmissionsLedger", nil, ledCode, nil)
	if err != nil {
		return nil, rcpts, fmt.Errorf("deploy ledger: %w", err)
	}
	rcpts = append(rcpts, rcpt)
	c.addrs.Ledger = rcpt.ContractAddress
	if rcpt, err = c.transact(ctx, "setLedger", &c.addrs.Registry, c.reg.PackSetLedger(c.addrs.Ledger), nil); err != nil {
		return nil, rcpts, fmt.Errorf("link ledger: %w", err)
	}
	return c, append(rcpts, rcpt), nil
}

// ---- plumbing ----

// call runs an eth_call against to and decodes custom reverts.
func (c *Client) call(ctx context.Context, to common.Address, data []byte) ([]byte, error) {
	msg := ethereum.CallMsg{From: c.from, To: &to, Data: data}
	return retry(ctx, c, "call", func() ([]byte, error) {
		out, err := c.backend.CallContract(ctx, msg, nil)
		return out, c.decodeErr(err)
	})
}

func callUnpack[T any](ctx context.Context, c *Client, to common.Address, data []byte, unpack func([]byte) (T, error)) (T, error) {
	out, err := c.call(ctx, to, data)
	if err != nil {
		var zero T
		return zero, err
	}
	if len(out) == 0 {
		var zero T
		return zero, fmt.Errorf("no contract at %s", to)
	}
	return unpack(out)
}

// Transact sends a transaction with calldata to (nil deploys) and waits for
// its receipt. It is the general form of the typed methods.
func (c *Client) Transact(ctx context.Context, to *common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, "transact", to, data, value)
}

func (c *Client) transact(ctx context.Context, what string, to *common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	if c.key == nil {
		return nil, ErrNoKey
	}
	tx, err := c.send(ctx, to, data, value)
	if err != nil {
		c.metrics.TxFailed.Inc()
		return nil, err
	}
	c.log.Debug("transaction sent", zap.String("call", what), zap.Stringer("tx", tx.Hash()), zap.Uint64("nonce", tx.Nonce()), zap.Uint64("gas_limit", tx.Gas()))
	rcpt, err := c.wait(ctx, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), err)
	}
	c.metrics.GasUsed.Add(float64(rcpt.GasUsed))
	if rcpt.Status != types.ReceiptStatusSuccessful {
		c.metrics.TxFailed.Inc()
		// Replay the call at the block before to learn the custom error.
		msg := ethereum.CallMsg{From: c.from, To: to, Data: data, Value: value, Gas: tx.Gas()}
		prev := new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1))
		if _, err := c.backend.CallContract(ctx, msg, prev); err != nil {
			if de := c.decodeErr(err); de != nil {
				return rcpt, de
			}
		}
		return rcpt, fmt.Errorf("%w: %s (gas used %d of %d)", ErrTxFailed, tx.Hash(), rcpt.GasUsed, tx.Gas())
	}
	c.metrics.TxSent.Inc()
	c.log.Debug("transaction mined", zap.String("call", what), zap.Stringer("tx", tx.Hash()), zap.Uint64("gas_used", rcpt.GasUsed))
	return rcpt, nil
}

// send builds, signs and sends one transaction under the nonce lock.
func (c *Client) send(ctx context.Context, to *common.Address, data []byte, value *big.Int) (*types.Transaction, error) {
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	if value == nil {
		value = new(big.Int)
	}
	c.txMu.Lock()
	defer c.txMu.Unlock()
	for resync := 0; ; resync++ {
		if !c.nonceSet {
			n, err := retry(ctx, c, "nonce", func() (uint64, error) { return c.backend.PendingNonceAt(ctx, c.from) })
			if err != nil {
				return nil, err
			}
			c.nonce, c.nonceSet = n, true
		}
		gas, err := retry(ctx, c, "estimate gas", func() (uint64, error) {
			g, err := c.backend.EstimateGas(ctx, ethereum.CallMsg{From: c.from, To: to, Data: data, Value: value})
			return g, c.decodeErr(err)
		})
		if err != nil {
			return nil, err
		}
		gas += gas * c.gasMargin / 100
		tip, err := retry(ctx, c, "gas tip", func() (*big.Int, error) { return c.backend.SuggestGasTipCap(ctx) })
		if err != nil {
			return nil, err
		}
		head, err := retry(ctx, c, "head", func() (*types.Header, error) { return c.backend.HeaderByNumber(ctx, nil) })
		if err != nil {
			return nil, err
		}
		feeCap := new(big.Int).Add(tip, new(big.Int).Mul(orZero(head.BaseFee), big.NewInt(2)))
		tx, err := types.SignNewTx(c.key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: c.nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Value: value, Data: data,
		})
		if err != nil {
			return nil, fmt.Errorf("sign transaction: %w", err)
		}
		_, err = retry(ctx, c, "send", func() (struct{}, error) {
			err := c.backend.SendTransaction(ctx, tx)
			if err != nil && strings.Contains(err.Error(), "already known") {
				return struct{}{}, nil // an earlier attempt got through
			}
			if err != nil && strings.Contains(err.Error(), "insufficient funds") {
				// EstimateGas passed on the latest block, so the pool's view of
				// the balance lags behind the head: try again shortly.
				return struct{}{}, lagError{err}
			}
			return struct{}{}, err
		})
		if err != nil {
			if isNonceError(err) && resync < 2 {
				c.nonceSet = false
				continue
			}
			c.nonceSet = false // the pool may or may not hold it: ask again next time
			return nil, fmt.Errorf("send transaction: %w", err)
		}
		c.nonce++
		return tx, nil
	}
}

// lagError marks an error caused by a node's components lagging behind each
// other; it is worth retrying.
type lagError struct{ error }

func (e lagError) Unwrap() error { return e.error }

func isNonceError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "nonce too low") || strings.Contains(s, "nonce too high") || strings.Contains(s, "replacement transaction underpriced")
}

// wait polls for a receipt until ctx ends.
func (c *Client) wait(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	t := time.NewTicker(c.poll)
	defer t.Stop()
	transient := 0
	for {
		r, err := c.backend.TransactionReceipt(ctx, hash)
		switch {
		case err == nil && r != nil:
			// Read-your-writes: a node can serve the receipt a moment before
			// its "latest" block includes it (and a load-balanced endpoint
			// may ask another node); wait until the head has caught up so the
			// next call sees the new state.
			head, herr := c.backend.HeaderByNumber(ctx, nil)
			if herr == nil && head.Number.Cmp(r.BlockNumber) >= 0 {
				return r, nil
			}
		case err == nil, errors.Is(err, ethereum.NotFound), err != nil && strings.Contains(err.Error(), "indexing is in progress"):
		case isTransient(err) && transient < c.attempts:
			transient++
		default:
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// decodeErr turns a revert carrying custom-error data into *ContractError.
func (c *Client) decodeErr(err error) error {
	if err == nil {
		return nil
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if b, herr := hexutil.Decode(s); herr == nil {
				if ce := decodeRevert(b, c.abis); ce != nil {
					return ce
				}
			}
		}
	}
	return err
}

// retry runs f until it succeeds, fails with a non-transient error, or the
// attempts run out, backing off exponentially.
func retry[T any](ctx context.Context, c *Client, what string, f func() (T, error)) (T, error) {
	wait := c.backoff
	var last error
	for i := 0; i < c.attempts; i++ {
		v, err := f()
		if err == nil {
			return v, nil
		}
		last = err
		if !isTransient(err) || ctx.Err() != nil {
			break
		}
		c.metrics.Retries.Inc()
		c.log.Debug("transient RPC error, retrying", zap.String("call", what), zap.Int("attempt", i+1), zap.Error(err))
		select {
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
	var zero T
	return zero, last
}

// isTransient reports whether err is worth retrying: network trouble, rate
// limits and server errors, but never a revert or a rejected transaction.
func isTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ce *ContractError
	if errors.As(err, &ce) {
		return false
	}
	var le lagError
	if errors.As(err, &le) {
		return true
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		return false
	}
	var he rpc.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode == 429 || he.StatusCode >= 500
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	s := err.Error()
	for _, t := range []string{"connection refused", "connection reset", "broken pipe", "too many requests", "timeout", "EOF"} {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}
