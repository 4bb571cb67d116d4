package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/models"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/challenge"
	"github.com/ganglion-subnet/ganglion/validator/store"
	"github.com/ganglion-subnet/ganglion/validator/verify"
)

func (a *app) validatorDataDir(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	h, err := a.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, "validator"), nil
}

func (a *app) validatorCmd() *cobra.Command {
	var (
		cf                   clientFlags
		model, tokenizer     string
		dataDir, listen      string
		bootstrap            []string
		api                  apiFlags
		blockTime, timeout   time.Duration
		perMiner, threads    int
		sample               int
		emission, versionKey uint64
	)
	cmd := &cobra.Command{
		Use:   "validator --key NAME --model PATH|random [--rpc URL --registry ADDR --ledger ADDR] [--bootstrap ADDR...] [--api ADDR] [--metrics ADDR]",
		Short: "Run a validator: challenge and verify miners, commit-reveal weights, settle epochs on chain",
		Long: "Run a validator. It syncs the metagraph from the registry, probes every registered miner with\n" +
			"unpredictable challenges, verifies each answer by exact re-execution, keeps scores in DATA/state.db,\n" +
			"commits and reveals a weight row every epoch on the weights topic, runs Yuma Consensus at each\n" +
			"epoch boundary, signs the emissions report and relays it once more than 2/3 of stake has signed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, key, err := a.startRole(cmd, cf.key, cf.pwFile)
			if err != nil {
				return err
			}
			defer func() { _ = log.Sync() }()
			ctx, stop := context.WithCancel(cmd.Context())
			defer stop()
			cf.useConfig(cmd, cfg.Chain)
			dctx, dcancel := context.WithTimeout(ctx, cf.timeout)
			client, err := a.client(dctx, &cf)
			dcancel()
			if err != nil {
				return err
			}
			netuid, err := client.Netuid(ctx)
			if err != nil {
				return err
			}
			chainID, err := client.ChainID(ctx)
			if err != nil {
				return err
			}
			modelPath, tok := a.resolveModel(model, tokenizer)
			m, err := loadModel(modelPath, tok, models.DefaultShape(), 0)
			if err != nil {
				return err
			}
			defer m.close()
			e, err := models.NewEngine(m.w)
			if err != nil {
				return err
			}
			w, err := e.NewWorker(models.Threads(threads))
			if err != nil {
				return err
			}
			dir, err := a.validatorDataDir(dataDir)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			st, err := store.Open(filepath.Join(dir, "state.db"))
			if err != nil {
				return err
			}
			defer st.Close()
			reg := newRegistry()
			outbox := filepath.Join(dir, "outbox.json")
			if err := st.SetOutboxPath(outbox); err != nil {
				return err
			}
			relayer, err := chain.NewRelayer(client, outbox, chain.WithRelayerLogger(log), chain.WithRelayerMetrics(chain.NewMetrics(reg)),
				chain.WithRelayStagger(2*blockTime)) // validators take turns to send finalize
			if err != nil {
				return err
			}
			ms := chain.NewMetagraphSync(client, blockTime, log)
			if _, err := ms.Refresh(ctx); err != nil {
				return fmt.Errorf("metagraph: %w", err)
			}
			pcfg := p2p.FromConfig(cfg.P2P, cfg.Chain)
			pcfg.NetUID, pcfg.ChainID = uint32(netuid), chainID.Uint64()
			if listen != "" {
				pcfg.ListenAddrs = []string{listen}
			}
			pcfg.Bootstrap = append(pcfg.Bootstrap, bootstrap...)
			node, err := p2p.New(key, pcfg, p2p.WithLogger(log), p2p.WithMembership(validator.NewMembership(ms)), p2p.WithMetrics(p2p.NewMetrics(reg)))
			if err != nil {
				return err
			}
			defer node.Close()
			registerPeers(reg, node)
			// The challenge secret and the position-sampling seed must be
			// unpredictable to miners: from the OS's random source.
			var nonce challenge.Secret
			var pseed [8]byte
			if _, err := rand.Read(nonce[:]); err != nil {
				return err
			}
			if _, err := rand.Read(pseed[:]); err != nil {
				return err
			}
			modelID, err := models.ParseID(m.id)
			if err != nil {
				return err
			}
			vm := validator.NewMetrics(reg)
			d := validator.NewDriver(key, client, ms, st, relayer, node, log, validator.DriverConfig{Emission: emission, VersionKey: versionKey, Poll: blockTime, Metrics: vm})
			stops := []int{m.eos}
			p := validator.NewProber(node, w, st, nonce, validator.ProberConfig{
				ModelID: modelID, Tokenizer: m.tok, BOS: m.bos, Vocab: m.w.Config.Vocab, Stop: stops,
				Timeout: timeout, Verify: verify.Options{Sample: sample, PositionSeed: binary.LittleEndian.Uint64(pseed[:])}, Metrics: vm,
			}, log)
			v, err := validator.New(node, ms, d, p, validator.Config{PerMiner: perMiner, BlockTime: blockTime}, log)
			if err != nil {
				return err
			}
			reg.MustRegister(scoreCollector{st.Scores})
			stopMetrics, err := serveMetrics(cmd.OutOrStdout(), cfg.Metrics.Listen, metricsHandler(reg, nil), log)
			if err != nil {
				return err
			}
			defer stopMetrics()
			var gw *gateway.Gateway
			if api.addr != "" {
				var scores *storeScores
				gw, scores, err = a.validatorAPI(cmd.OutOrStdout(), api, node, modelName(model, 0), m, st, ms, reg, log.Named("api"))
				if err != nil {
					return err
				}
				go scores.run(ctx, 5*time.Second)
			}
			go func() { _ = node.Run(ctx) }()
			log.Info("validator started", zap.Stringer("address", node.Address()), zap.Stringer("peer", node.ID()),
				zap.Uint16("netuid", netuid), zap.String("model", m.id), zap.String("data", dir))
			if gw == nil {
				return v.Run(ctx)
			}
			gwErr := make(chan error, 1)
			go func() {
				err := gw.Run(ctx)
				if err != nil {
					log.Error("api stopped", zap.Error(err))
					stop()
				}
				gwErr <- err
			}()
			err = v.Run(ctx)
			stop()
			if gerr := <-gwErr; err == nil || errors.Is(err, context.Canceled) {
				if gerr != nil {
					return gerr
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	cf.register(cmd, true)
	f.StringVar(&model, "model", "", "model file or name in HOME/models (\"random\": the built-in random model)")
	f.StringVar(&tokenizer, "tokenizer", "", "tokenizer file for models that carry none")
	f.StringVar(&dataDir, "data", "", "state directory (default HOME/validator)")
	f.StringVar(&listen, "listen", "", "libp2p listen multiaddr (default from config)")
	f.StringSliceVar(&bootstrap, "bootstrap", nil, "peers to dial (multiaddrs with /p2p/ID)")
	f.String("metrics", "", "serve /metrics and /healthz here; empty turns them off (metrics.listen)")
	bindFlag(f, "metrics", "metrics.listen")
	f.DurationVar(&blockTime, "block-time", time.Second, "the chain's block interval (probe schedule, polling)")
	f.DurationVar(&timeout, "probe-timeout", 30*time.Second, "time a miner has to answer a probe")
	f.IntVar(&perMiner, "probes-per-miner", 2, "probes per registered miner per epoch")
	f.IntVar(&threads, "threads", 1, "threads of the verifying worker")
	f.IntVar(&sample, "verify-sample", 0, "re-check this many positions per receipt (0: all)")
	f.Uint64Var(&emission, "emission", 1_000_000_000, "emission per epoch in gwei (1e9 = one coin)")
	f.Uint64Var(&versionKey, "version-key", 0, "weights version key")
	api.register(cmd)
	cmd.AddCommand(a.validatorExplainCmd())
	return cmd
}

// errNotScored: `validator explain` (validator_explain.go) found no score
// for the uid.
var errNotScored = errors.New("the validator has not scored this uid")
