package validator

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/internal/logging"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// childEnv names the environment variable that turns the test binary into
// a validator process (TestMain): its value is a childConfig in JSON.
const childEnv = "GANGLION_VALIDATOR_CHILD"

func TestMain(m *testing.M) {
	if cfg := os.Getenv(childEnv); cfg != "" {
		if err := runChild(cfg); err != nil {
			fmt.Fprintln(os.Stderr, "child validator:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childConfig is what the child validator process needs: its key, its
// state directory, the dev chain's JSON-RPC endpoint and contracts, the
// peers to dial and the p2p members.
type childConfig struct {
	Key       string           `json:"key"`
	Dir       string           `json:"dir"`
	RPC       string           `json:"rpc"`
	Addresses chain.Addresses  `json:"addresses"`
	Peers     []string         `json:"peers"`
	Members   []common.Address `json:"members"`
}

// runChild runs an honest validator (the same components as `ganglion
// validator`) until the process is killed. It prints "addr MULTIADDR"
// lines, then "ready".
func runChild(raw string) error {
	var cfg childConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return err
	}
	key, err := crypto.HexToECDSA(cfg.Key)
	if err != nil {
		return err
	}
	log, err := logging.New(os.Stderr, "console", "warn")
	if err != nil {
		return err
	}
	ctx := context.Background()
	members := new(p2p.StaticMembership)
	for _, a := range cfg.Members {
		members.Add(a, p2p.RoleMiner, p2p.RoleValidator)
	}
	pc := p2p.DefaultConfig()
	pc.ChainID, pc.NetUID = testnet.ChainID, testnet.NetUID
	pc.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
	pc.StreamTimeout = 10 * time.Second
	pc.ScoreInspectPeriod = 100 * time.Millisecond
	pc.ReconnectInterval = time.Second
	node, err := p2p.New(key, pc, p2p.WithMembership(members), p2p.WithLogger(log))
	if err != nil {
		return err
	}
	defer node.Close()
	for _, s := range cfg.Peers {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = node.Connect(cctx, *ai)
		cancel()
		if err != nil {
			log.Warn("connect", zap.Error(err))
		}
	}
	c, err := chain.Dial(ctx, cfg.RPC, cfg.Addresses, chain.WithKey(key), chain.WithReceiptPoll(5*time.Millisecond))
	if err != nil {
		return err
	}
	st, err := store.Open(filepath.Join(cfg.Dir, "state.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	rl, err := chain.NewRelayer(c, filepath.Join(cfg.Dir, "outbox.json"))
	if err != nil {
		return err
	}
	wts, id, err := advModel()
	if err != nil {
		return err
	}
	e, err := models.NewEngine(wts)
	if err != nil {
		return err
	}
	w, err := e.NewWorker(models.Threads(1))
	if err != nil {
		return err
	}
	ms := chain.NewMetagraphSync(c, 20*time.Millisecond, log)
	d := NewDriver(key, c, ms, st, rl, node, log, DriverConfig{Poll: 20 * time.Millisecond})
	p := NewProber(node, w, st, challenge.Secret{2}, advProber(id, wts.Config.Vocab), log)
	v, err := New(node, ms, d, p, advValidatorConfig(), log)
	if err != nil {
		return err
	}
	for _, a := range node.Host().Addrs() {
		fmt.Printf("addr %s/p2p/%s\n", a, node.ID())
	}
	fmt.Println("ready")
	return v.Run(ctx)
}

// childValidator runs runChild in a child process of the test binary.
type childValidator struct {
	t   *testing.T
	cfg childConfig

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	stderr bytes.Buffer
	addrs  []ma.Multiaddr
	id     peer.ID
}

// start starts the child, connected to every live node of nw, and waits
// until it is ready; the live nodes learn its address.
func (c *childValidator) start(ctx context.Context, nw *testnet.Network) {
	c.t.Helper()
	c.cfg.Peers = nil
	for i := range nw.Len() {
		if n := nw.P2P(i); n != nil {
			for _, a := range n.Host().Addrs() {
				c.cfg.Peers = append(c.cfg.Peers, fmt.Sprintf("%s/p2p/%s", a, n.ID()))
			}
		}
	}
	raw, err := json.Marshal(c.cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	out, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	cmd.Stderr = &lockedWriter{mu: &c.mu, w: &c.stderr}
	c.mu.Unlock()
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan struct{})
	c.mu.Lock()
	c.cmd, c.done, c.addrs = cmd, done, nil
	c.mu.Unlock()
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "addr "):
				ai, err := peer.AddrInfoFromString(strings.TrimPrefix(line, "addr "))
				if err == nil {
					c.mu.Lock()
					c.id, c.addrs = ai.ID, append(c.addrs, ai.Addrs...)
					c.mu.Unlock()
				}
			case line == "ready":
				close(ready)
			}
		}
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-ready:
	case <-done:
		c.t.Fatalf("child validator exited before it was ready:\n%s", c.logs())
	case <-ctx.Done():
		c.t.Fatal("child validator not ready")
	}
	for i := range nw.Len() {
		if n := nw.P2P(i); n != nil {
			c.connect(n)
		}
	}
}

// connect tells n the child's addresses and dials it.
func (c *childValidator) connect(n *p2p.Node) {
	c.mu.Lock()
	ai := peer.AddrInfo{ID: c.id, Addrs: append([]ma.Multiaddr(nil), c.addrs...)}
	done := c.done
	c.mu.Unlock()
	if ai.ID == "" {
		return
	}
	select {
	case <-done: // killed: it dials everyone when it starts again
		return
	default:
	}
	n.Host().Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.PermanentAddrTTL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.Connect(ctx, ai); err != nil {
		c.t.Logf("connect to the child validator: %v", err)
	}
}

// kill sends SIGKILL and waits for the process to end.
func (c *childValidator) kill() {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

func (c *childValidator) logs() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stderr.String()
	if len(s) > 8000 {
		s = "…" + s[len(s)-8000:]
	}
	return s
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func keyHex(k *ecdsa.PrivateKey) string { return hex.EncodeToString(crypto.FromECDSA(k)) }

func keysAddr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }
