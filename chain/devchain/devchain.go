package devchain

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
)

// Config configures a dev chain.
type Config struct {
	// Port is the HTTP JSON-RPC port on Host; 0 picks a free port, -1
	// serves no HTTP (in-process client only).
	Port int
	// Host is the interface JSON-RPC listens on; empty means 127.0.0.1.
	// Any other host (0.0.0.0 in a container) accepts every Host header, so
	// other machines can use the chain: development only.
	Host string
	// BlockTime is how often a block is committed.
	BlockTime time.Duration
	// ChainID of the chain.
	ChainID int64
	// Netuid and Params of the deployed subnet.
	Netuid uint16
	Params chain.Params
	// Fund lists accounts given Balance at genesis.
	Fund    []common.Address
	Balance *big.Int
	// Owner deploys the contracts and owns the registry; nil makes a fresh
	// key (funded at genesis).
	Owner *ecdsa.PrivateKey
	// Pool is paid into the emission pool by the owner after deployment.
	Pool *big.Int
	// AddressesFile, if set, receives the contracts' addresses as JSON.
	AddressesFile string
	// Journal, if set, is where the chain records its blocks so that the
	// next Run with the same Journal, Owner, Fund, Balance and ChainID
	// resumes it (see journal.go). Resuming needs Owner.
	Journal string
}

// DefaultConfig is a 1-second chain with id 1337 and netuid 1.
func DefaultConfig() Config {
	coin := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	return Config{
		Port:      8545,
		BlockTime: time.Second,
		ChainID:   1337,
		Netuid:    1,
		Params:    chain.DefaultParams(),
		Balance:   new(big.Int).Mul(coin, big.NewInt(1_000_000)),
		Pool:      new(big.Int).Mul(coin, big.NewInt(1_000)),
	}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.Port < -1 || c.Port > 65535:
		return fmt.Errorf("devchain: port %d out of range", c.Port)
	case c.BlockTime <= 0:
		return fmt.Errorf("devchain: block time %v must be positive", c.BlockTime)
	case c.ChainID <= 0:
		return fmt.Errorf("devchain: chain id %d must be positive", c.ChainID)
	case c.Balance == nil || c.Balance.Sign() <= 0:
		return errors.New("devchain: balance must be positive")
	}
	return nil
}

// Info is what a running dev chain tells its users; it is also the JSON of
// AddressesFile.
type Info struct {
	ChainID   int64            `json:"chainId"`
	Netuid    uint16           `json:"netuid"`
	RPC       string           `json:"rpc,omitempty"`
	Registry  common.Address   `json:"registry"`
	Ledger    common.Address   `json:"ledger"`
	Owner     common.Address   `json:"owner"`
	Funded    []common.Address `json:"funded"`
	BlockTime string           `json:"blockTime"`
}

// Addresses returns the contract addresses.
func (i Info) Addresses() chain.Addresses {
	return chain.Addresses{Registry: i.Registry, Ledger: i.Ledger}
}

// Chain is a running dev chain.
type Chain struct {
	cfg   Config
	log   *zap.Logger
	ready chan struct{}

	mu      sync.Mutex
	backend *simulated.Backend
	info    Info
	owner   *chain.Client
}

// Option configures a Chain.
type Option func(*Chain) error

// WithLogger sets the logger.
func WithLogger(l *zap.Logger) Option {
	return func(c *Chain) error {
		c.log = l.Named("devchain")
		return nil
	}
}

// New returns a dev chain with cfg; Run starts it.
func New(cfg Config, opts ...Option) (*Chain, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Chain{cfg: cfg, log: zap.NewNop(), ready: make(chan struct{})}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ChainConfig is the dev chain's rules: every fork up to Prague, none after.
func ChainConfig(chainID int64) *params.ChainConfig {
	cc := *params.AllDevChainProtocolChanges
	cc.ChainID = big.NewInt(chainID)
	cc.OsakaTime = nil
	cc.BogotaTime = nil
	bs := *cc.BlobScheduleConfig
	cc.BlobScheduleConfig = &bs
	return &cc
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Ready is closed once the chain serves and the contracts are deployed.
func (c *Chain) Ready() <-chan struct{} { return c.ready }

// Info returns the chain's addresses; valid after Ready.
func (c *Chain) Info() Info {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info
}

// Backend returns the in-process JSON-RPC client; valid after Ready.
func (c *Chain) Backend() simulated.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.backend.Client()
}

// Owner returns a client signed with the registry owner's key; valid after
// Ready.
func (c *Chain) Owner() *chain.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.owner
}

// Run starts the chain, commits a block every BlockTime, deploys the
// contracts, and runs until ctx ends; then it shuts the node down.
func (c *Chain) Run(ctx context.Context) error {
	owner := c.cfg.Owner
	if owner == nil {
		k, err := crypto.GenerateKey()
		if err != nil {
			return err
		}
		owner = k
	}
	ownerAddr := crypto.PubkeyToAddress(owner.PublicKey)
	alloc := types.GenesisAlloc{ownerAddr: {Balance: c.cfg.Balance}}
	for _, a := range c.cfg.Fund {
		alloc[a] = types.Account{Balance: c.cfg.Balance}
	}
	host := c.cfg.Host
	if host == "" {
		host = "127.0.0.1"
	}
	port := c.cfg.Port
	if port == 0 {
		p, err := freePort()
		if err != nil {
			return fmt.Errorf("devchain: pick a port: %w", err)
		}
		port = p
	}
	var url string
	if port > 0 {
		// A busy port would only surface as a log line inside the node.
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			return fmt.Errorf("devchain: port %d: %w", port, err)
		}
		l.Close()
		dial := host
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			dial = "127.0.0.1"
		}
		url = "http://" + net.JoinHostPort(dial, strconv.Itoa(port))
	}
	var recs []journalRecord
	if c.cfg.Journal != "" {
		var err error
		if recs, err = readJournal(c.cfg.Journal); err != nil {
			return fmt.Errorf("devchain: journal %s: %w", c.cfg.Journal, err)
		}
		if len(recs) > 0 && c.cfg.Owner == nil {
			return fmt.Errorf("devchain: journal %s: resuming needs the owner key the chain was made with", c.cfg.Journal)
		}
	}
	cc := ChainConfig(c.cfg.ChainID)
	backend := simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = cc
		ec.NetworkId = uint64(c.cfg.ChainID)
		if port > 0 {
			nc.HTTPHost = host
			nc.HTTPPort = port
			if host != "127.0.0.1" {
				nc.HTTPVirtualHosts = []string{"*"}
			}
			nc.HTTPModules = []string{"eth", "net", "web3"}
		}
	})
	defer backend.Close()

	var resumed *Info
	var jr *journal
	if c.cfg.Journal != "" {
		if len(recs) > 0 {
			c.log.Info("replaying the journal", zap.String("journal", c.cfg.Journal), zap.Int("records", len(recs)))
			var err error
			if resumed, err = replay(ctx, backend, recs); err != nil {
				return fmt.Errorf("devchain: replay %s: %w (it was made with other keys or settings: remove it to start a new chain)", c.cfg.Journal, err)
			}
		}
		var err error
		if jr, err = openJournal(c.cfg.Journal); err != nil {
			return fmt.Errorf("devchain: journal: %w", err)
		}
		defer func() {
			if h, err := backend.Client().BlockNumber(context.Background()); err == nil {
				_ = jr.append(journalRecord{Head: h})
			}
			_ = jr.close()
		}()
	}

	var wg sync.WaitGroup
	commitCtx, stopCommit := context.WithCancel(context.Background())
	defer func() {
		stopCommit()
		wg.Wait()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Blocks come fast while the contracts deploy, then every BlockTime.
		fast := min(c.cfg.BlockTime, 10*time.Millisecond)
		t := time.NewTicker(fast)
		defer t.Stop()
		ready := c.ready
		for {
			select {
			case <-commitCtx.Done():
				return
			case <-ready:
				ready = nil
				t.Reset(c.cfg.BlockTime)
			case <-t.C:
				backend.Commit()
				if jr != nil {
					if err := jr.recordHead(commitCtx, backend.Client()); err != nil && commitCtx.Err() == nil {
						c.log.Warn("journal", zap.Error(err))
					}
				}
			}
		}
	}()

	poll := min(c.cfg.BlockTime/4, 100*time.Millisecond)
	copts := []chain.Option{chain.WithLogger(c.log), chain.WithReceiptPoll(max(poll, time.Millisecond))}
	var oc *chain.Client
	if resumed != nil {
		var err error
		if oc, err = chain.New(backend.Client(), resumed.Addresses(), append(copts, chain.WithKey(owner))...); err != nil {
			return fmt.Errorf("devchain: %w", err)
		}
	} else {
		var err error
		if oc, _, err = chain.Deploy(ctx, backend.Client(), owner, c.cfg.Netuid, c.cfg.Params, copts...); err != nil {
			return fmt.Errorf("devchain: %w", err)
		}
		if c.cfg.Pool != nil && c.cfg.Pool.Sign() > 0 {
			if _, err := oc.Fund(ctx, c.cfg.Pool); err != nil {
				return fmt.Errorf("devchain: %w", err)
			}
		}
	}
	addrs := oc.Addresses()
	info := Info{
		ChainID: c.cfg.ChainID, Netuid: c.cfg.Netuid, RPC: url, Registry: addrs.Registry, Ledger: addrs.Ledger,
		Owner: ownerAddr, Funded: append([]common.Address(nil), c.cfg.Fund...), BlockTime: c.cfg.BlockTime.String(),
	}
	if c.cfg.AddressesFile != "" {
		b, _ := json.MarshalIndent(info, "", "  ")
		if err := os.MkdirAll(filepath.Dir(c.cfg.AddressesFile), 0o755); err != nil {
			return fmt.Errorf("devchain: %w", err)
		}
		if err := atomicfile.WriteFile(c.cfg.AddressesFile, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("devchain: write addresses: %w", err)
		}
	}
	if jr != nil && resumed == nil {
		if err := jr.append(journalRecord{Info: &info}); err != nil {
			return fmt.Errorf("devchain: journal: %w", err)
		}
	}
	c.mu.Lock()
	c.backend, c.info, c.owner = backend, info, oc
	c.mu.Unlock()
	c.log.Info("dev chain ready", zap.String("rpc", url), zap.Int64("chain_id", c.cfg.ChainID),
		zap.Stringer("registry", addrs.Registry), zap.Stringer("ledger", addrs.Ledger))
	close(c.ready)
	<-ctx.Done()
	return nil
}
