package validator

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap/zaptest"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/chain/devchain"
	"github.com/ganglion-subnet/ganglion/chain/devchain/devchaintest"
)

var coin = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

func coins(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), coin) }

const testNetuid = 3

// subnet is a dev chain with validators (uids 0..v-1, staked as given) and
// miners (uids v..).
type subnet struct {
	dev        *devchain.Chain
	owner      *chain.Client
	valKeys    []*ecdsa.PrivateKey
	validators []*chain.Client
	minerKeys  []*ecdsa.PrivateKey
	miners     []*chain.Client
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func newSubnet(t *testing.T, stakes []int64, nMiners int, epochLength uint64) *subnet {
	t.Helper()
	return newSubnetWithKeys(t, stakes, make([]*ecdsa.PrivateKey, len(stakes)+nMiners), epochLength, 10*time.Millisecond)
}

// newSubnetWithKeys registers keys[:len(stakes)] as validators and the rest
// as miners; nil keys are generated.
func newSubnetWithKeys(t *testing.T, stakes []int64, keys []*ecdsa.PrivateKey, epochLength uint64, blockTime time.Duration, opts ...func(*devchain.Config)) *subnet {
	t.Helper()
	ctx := testCtx(t)
	cfg := devchain.DefaultConfig()
	cfg.Port = -1
	cfg.BlockTime = blockTime
	cfg.Netuid = testNetuid
	cfg.Params.MaxUIDs = 32
	cfg.Params.MaxValidators = uint16(len(stakes))
	cfg.Params.ImmunityPeriod = 0
	if epochLength > 0 {
		cfg.Params.EpochLength = epochLength
	}
	for i, k := range keys {
		if k == nil {
			var err error
			if k, err = crypto.GenerateKey(); err != nil {
				t.Fatal(err)
			}
			keys[i] = k
		}
		cfg.Fund = append(cfg.Fund, crypto.PubkeyToAddress(k.PublicKey))
	}
	for _, o := range opts {
		o(&cfg)
	}
	dev := devchaintest.Start(t, cfg, devchain.WithLogger(zaptest.NewLogger(t)))
	s := &subnet{dev: dev, owner: dev.Owner(), valKeys: keys[:len(stakes)], minerKeys: keys[len(stakes):]}
	for i, k := range s.valKeys {
		c := s.client(t, k)
		if _, _, err := c.Register(ctx, chain.RoleValidator); err != nil {
			t.Fatalf("register validator %d: %v", i, err)
		}
		if stakes[i] > 0 {
			if _, err := c.Stake(ctx, coins(stakes[i])); err != nil {
				t.Fatalf("stake %d: %v", i, err)
			}
		}
		s.validators = append(s.validators, c)
	}
	for i, k := range s.minerKeys {
		c := s.client(t, k)
		if _, _, err := c.Register(ctx, chain.RoleMiner); err != nil {
			t.Fatalf("register miner %d: %v", i, err)
		}
		s.miners = append(s.miners, c)
	}
	return s
}

func (s *subnet) client(t *testing.T, key *ecdsa.PrivateKey) *chain.Client {
	t.Helper()
	c, err := chain.New(s.dev.Backend(), s.dev.Info().Addresses(), chain.WithKey(key), chain.WithReceiptPoll(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
