package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/models"
)

func (a *app) modelsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "models",
		Short: "Run, inspect, benchmark and export Llama-family models",
	}
	cmd.AddCommand(a.modelsRunCmd(), a.modelsInspectCmd(), a.modelsPullCmd(), a.modelsExportRandomCmd(), a.modelsBenchCmd())
	return cmd
}

// modelsDir is where pulled models live: HOME/models.
func (a *app) modelsDir() (string, error) {
	h, err := a.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, "models"), nil
}

// resolveModel maps a catalogue name (e.g. stories260K) to its pulled file in
// HOME/models, with the catalogue's tokenizer when none is given. Paths and
// "random" pass through.
func (a *app) resolveModel(model, tokenizer string) (string, string) {
	if model == "random" || model == "" {
		return model, tokenizer
	}
	if _, err := os.Stat(model); err == nil {
		return model, tokenizer
	}
	e, ok := models.LookupCatalogue(model)
	if !ok || e.Kind != "model" {
		return model, tokenizer
	}
	dir, err := a.modelsDir()
	if err != nil {
		return model, tokenizer
	}
	p := filepath.Join(dir, e.File)
	if _, err := os.Stat(p); err != nil {
		return model, tokenizer
	}
	if tokenizer == "" && e.Tokenizer != "" {
		if te, ok := models.LookupCatalogue(e.Tokenizer); ok {
			if tp := filepath.Join(dir, te.File); fileExists(tp) {
				tokenizer = tp
			}
		}
	}
	return p, tokenizer
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (a *app) modelsPullCmd() *cobra.Command {
	var dir, sum, mirror string
	var list, quiet bool
	cmd := &cobra.Command{
		Use:   "pull NAME|URL",
		Short: "Download a model or tokenizer into HOME/models (resumable, sha256-checked)",
		Long: "Download a catalogue entry (see --list) or any http(s) URL into the data directory (HOME/models,\n" +
			"or --dir). Interrupted downloads resume; files are checked against the catalogue's sha256 (or --sha256).\n" +
			"A model pulled by name also pulls its tokenizer, and `models run --model NAME` then finds both.",
		Args: func(cmd *cobra.Command, args []string) error {
			if list {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if list {
				tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tKIND\tSIZE\tVERIFIED\tDESCRIPTION")
				for _, e := range models.Catalogue() {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%v\t%s\n", e.Name, e.Kind, e.Size, e.Verified(), e.Description)
				}
				return tw.Flush()
			}
			if dir == "" {
				d, err := a.modelsDir()
				if err != nil {
					return err
				}
				dir = d
			}
			names := []string{args[0]}
			if e, ok := models.LookupCatalogue(args[0]); ok && e.Tokenizer != "" {
				names = append(names, e.Tokenizer)
			}
			for _, name := range names {
				var opts []models.PullOption
				if sum != "" && name == args[0] {
					opts = append(opts, models.WithSHA256(sum))
				}
				if mirror != "" {
					opts = append(opts, models.WithMirror(mirror))
				}
				bar := &progressBar{w: a.stderr, name: name, quiet: quiet}
				opts = append(opts, models.WithPullProgress(bar.update))
				res, err := models.Pull(cmd.Context(), name, dir, opts...)
				bar.done()
				if err != nil {
					return err
				}
				state := "downloaded"
				switch {
				case res.Cached:
					state = "already present"
				case res.Resumed:
					state = "resumed"
				}
				check := "sha256 verified"
				if !res.Verified {
					check = "sha256 not published; computed"
				}
				fmt.Fprintf(out, "%s: %s (%d bytes, %s %s) -> %s\n", name, state, res.Size, check, res.SHA256, res.Path)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "download folder (default HOME/models)")
	f.StringVar(&sum, "sha256", "", "expected sha256 of the file (for URLs, or to override the catalogue)")
	f.StringVar(&mirror, "mirror", "", "fetch catalogue entries from this base URL instead of their hosts")
	f.BoolVar(&list, "list", false, "list the catalogue")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	return cmd
}

// progressBar draws a one-line download progress bar on a terminal-ish writer.
type progressBar struct {
	w     io.Writer
	name  string
	quiet bool
	last  time.Time
	drawn bool
}

func (p *progressBar) update(done, total int64) {
	if p.quiet || time.Since(p.last) < 200*time.Millisecond && done != total {
		return
	}
	p.last = time.Now()
	p.drawn = true
	if total <= 0 {
		fmt.Fprintf(p.w, "\r%s: %.1f MB", p.name, float64(done)/1e6)
		return
	}
	const width = 30
	n := int(width * done / total)
	fmt.Fprintf(p.w, "\r%s: [%s%s] %5.1f%% of %.1f MB", p.name, strings.Repeat("=", n), strings.Repeat(" ", width-n),
		100*float64(done)/float64(total), float64(total)/1e6)
}

func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// shapeFlags binds the random model's shape flags.
func shapeFlags(cmd *cobra.Command, s *models.Shape) {
	f := cmd.Flags()
	f.IntVar(&s.Dim, "dim", s.Dim, "random model: embedding width")
	f.IntVar(&s.Hidden, "hidden", s.Hidden, "random model: feed-forward width")
	f.IntVar(&s.Layers, "layers", s.Layers, "random model: transformer blocks")
	f.IntVar(&s.Heads, "heads", s.Heads, "random model: attention heads")
	f.IntVar(&s.KVHeads, "kv-heads", s.KVHeads, "random model: key/value heads")
	f.IntVar(&s.Vocab, "vocab", s.Vocab, "random model: vocabulary size")
	f.IntVar(&s.SeqLen, "seq-len", s.SeqLen, "random model: context length")
	f.BoolVar(&s.Shared, "shared", s.Shared, "random model: share the classifier with the embedding")
}

// loaded is a model ready to run: weights, optional tokenizer and identity.
type loaded struct {
	w     *models.Weights
	tok   *models.Tokenizer
	id    string
	bos   int
	eos   int
	tmpl  string // GGUF chat template, if any
	close func() error
}

// modelName is the readable id a model is served under: the file's base name
// without extension, or random-SEED (what miners name it too).
func modelName(model string, seed uint64) string {
	if model == "random" {
		if seed == 0 {
			seed = 42
		}
		return fmt.Sprintf("random-%d", seed)
	}
	return strings.TrimSuffix(filepath.Base(model), filepath.Ext(model))
}

// loadModel opens PATH, or builds the random model for "random".
func loadModel(path, tokenizer string, shape models.Shape, seed uint64) (*loaded, error) {
	if path == "" {
		return nil, errors.New("--model is required (a model file, or \"random\")")
	}
	if path == "random" {
		if seed == 0 {
			seed = 42
		}
		w, err := models.Random(shape, seed)
		if err != nil {
			return nil, err
		}
		// Like any model, the random model's id is the sha256 of its file:
		// the llama2.c file `ganglion models export-random` writes for it.
		h := sha256.New()
		if err := models.WriteLlama2C(h, w); err != nil {
			return nil, err
		}
		l := &loaded{w: w, bos: 1, eos: 2, id: hex.EncodeToString(h.Sum(nil)), close: func() error { return nil }}
		if tokenizer != "" {
			if l.tok, err = models.LoadTokenizer(tokenizer, w.Config.Vocab); err != nil {
				return nil, err
			}
		}
		return l, nil
	}
	var opts []models.LoadOption
	if tokenizer != "" {
		opts = append(opts, models.WithTokenizer(tokenizer))
	}
	m, err := models.Load(path, opts...)
	if err != nil {
		return nil, err
	}
	return &loaded{w: m.Weights, tok: m.Tokenizer, id: m.ID, bos: m.BOS, eos: m.EOS, tmpl: m.ChatTemplate, close: m.Close}, nil
}

// runOutput is `models run --json`.
type runOutput struct {
	Model        string   `json:"model"`
	ModelID      string   `json:"model_id"`
	PromptTokens []int    `json:"prompt_tokens"`
	Tokens       []int    `json:"tokens"`
	Text         string   `json:"text"`
	LogitsSHA256 []string `json:"logits_sha256"`
	Rolling      string   `json:"rolling_sha256"`
	Seed         uint64   `json:"seed"`
	Temperature  float32  `json:"temperature"`
	TopP         float32  `json:"top_p"`
	TopK         int      `json:"top_k"`
	FinishReason string   `json:"finish_reason"`
}

func (a *app) modelsRunCmd() *cobra.Command {
	var (
		model, tokenizer, prompt string
		temp, topP               float32
		topK, maxTokens, threads int
		ctxLen                   int
		seed                     uint64
		asJSON, direct           bool
	)
	shape := models.DefaultShape()
	cmd := &cobra.Command{
		Use:   "run --model PATH|random [--tokenizer PATH] [--prompt TEXT]",
		Short: "Generate text with a model, streaming it to stdout",
		Long: "Generate text with a model file (llama2.c, GGUF or safetensors) or the built-in random model\n" +
			"(--model random, weights from --seed). Exact mode: the same flags give the same tokens and the same\n" +
			"logits digests on every machine. --json prints one object with the tokens and per-position digests.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			weightSeed := uint64(42) // the random model's weights: --seed, else 42
			if cmd.Flags().Changed("seed") {
				weightSeed = seed
			} else {
				var b [8]byte
				if _, err := rand.Read(b[:]); err != nil {
					return err
				}
				seed = binary.LittleEndian.Uint64(b[:]) | 1
			}
			model, tokenizer := a.resolveModel(model, tokenizer)
			m, err := loadModel(model, tokenizer, shape, weightSeed)
			if err != nil {
				return err
			}
			defer m.close()
			if maxTokens < 0 {
				return fmt.Errorf("--max-tokens %d: must not be negative", maxTokens)
			}
			ids := []int{m.bos}
			if prompt != "" {
				if m.tok == nil {
					return errors.New("--prompt needs a tokenizer (--tokenizer PATH, or a model file that carries one)")
				}
				ids = m.tok.Encode(prompt, true, false)
			}
			// A file may declare a shorter context than the run needs
			// (llama.cpp's converter writes 128): extend it as llama.cpp's -c does.
			need := len(ids) + maxTokens
			if maxTokens == 0 {
				need = 0
			}
			ctx := max(m.w.Config.SeqLen, need, ctxLen)
			if ctxLen > 0 {
				ctx = ctxLen
			}
			e, err := models.NewEngine(m.w, models.ContextLength(ctx))
			if err != nil {
				return err
			}
			w, err := e.NewWorker(models.Threads(threads), models.UseGraph(!direct))
			if err != nil {
				return err
			}
			smp := models.Sampler{Temperature: temp, TopP: topP, TopK: topK, Seed: seed}
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			var text strings.Builder
			prev := ids[len(ids)-1]
			stops := []int{m.bos, m.eos}
			emit := func(tok int) error {
				if tok == m.bos || tok == m.eos {
					return nil
				}
				var piece string
				if m.tok != nil {
					piece = m.tok.DecodeToken(prev, tok)
				} else {
					piece = strconv.Itoa(tok) + " "
				}
				prev = tok
				text.WriteString(piece)
				if asJSON {
					return nil
				}
				if _, err := out.WriteString(piece); err != nil {
					return err
				}
				return out.Flush()
			}
			r, err := w.Generate(ids, models.GenerateOptions{Sampler: smp, MaxTokens: maxTokens, Stop: stops}, emit)
			if err != nil {
				return err
			}
			if !asJSON {
				_, err := out.WriteString("\n")
				return err
			}
			res := runOutput{Model: model, ModelID: m.id, PromptTokens: r.Prompt, Tokens: r.Tokens, Text: text.String(),
				Rolling: hex.EncodeToString(r.Rolling[:]), Seed: seed, Temperature: temp, TopP: topP, TopK: topK,
				FinishReason: "length"}
			if n := len(r.Tokens); n > 0 && (r.Tokens[n-1] == m.bos || r.Tokens[n-1] == m.eos) {
				res.FinishReason = "stop"
			}
			for _, d := range r.Digests {
				res.LogitsSHA256 = append(res.LogitsSHA256, hex.EncodeToString(d[:]))
			}
			return json.NewEncoder(out).Encode(res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "", "model file (llama2.c .bin, .gguf, .safetensors) or \"random\"")
	f.StringVar(&tokenizer, "tokenizer", "", "llama2.c tokenizer.bin (needed for llama2.c files)")
	f.StringVar(&prompt, "prompt", "", "prompt text (default: BOS only)")
	f.Float32Var(&temp, "temperature", 0.8, "sampling temperature; 0 is greedy")
	f.Float32Var(&topP, "top-p", 0.9, "nucleus sampling threshold; 0 or 1 turns it off")
	f.IntVar(&topK, "top-k", 0, "keep only the K most likely tokens; 0 turns it off")
	f.Uint64Var(&seed, "seed", 0, "sampling seed, and the random model's weight seed (default: random for sampling, 42 for weights)")
	f.IntVar(&maxTokens, "max-tokens", 256, "generated tokens at most; 0 runs to the end of the context")
	f.IntVar(&ctxLen, "context", 0, "context length (default: the model's, extended to fit the prompt and --max-tokens)")
	f.IntVar(&threads, "threads", runtime.GOMAXPROCS(0), "threads per step (results do not depend on it)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object with tokens, text and per-position logits digests")
	f.BoolVar(&direct, "direct", false, "call the kernels directly instead of through the gorgonia graph (same bits; faster for tiny models)")
	shapeFlags(cmd, &shape)
	return cmd
}

func (a *app) modelsInspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect PATH",
		Short: "Show a model file's format, shape, parameter count, tensor types and sha256",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := models.Inspect(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(in)
			}
			c := in.Config
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 1, ' ', 0)
			fmt.Fprintf(tw, "path:\t%s\n", in.Path)
			fmt.Fprintf(tw, "format:\t%s\n", in.Format)
			fmt.Fprintf(tw, "size:\t%d bytes\n", in.Size)
			fmt.Fprintf(tw, "sha256:\t%s\n", in.SHA256)
			fmt.Fprintf(tw, "shape:\tdim %d, hidden %d, layers %d, heads %d, kv heads %d, vocab %d, context %d\n",
				c.Dim, c.Hidden, c.Layers, c.Heads, c.KVHeads, c.Vocab, c.SeqLen)
			fmt.Fprintf(tw, "parameters:\t%d\n", in.Params)
			var types []string
			for _, n := range in.TypeNames() {
				types = append(types, fmt.Sprintf("%s×%d", n, in.Types[n]))
			}
			fmt.Fprintf(tw, "tensors:\t%d (%s)\n", in.Tensors, strings.Join(types, ", "))
			fmt.Fprintf(tw, "shared classifier:\t%v\n", in.SharedOutput)
			if in.Vocab > 0 {
				fmt.Fprintf(tw, "tokenizer:\t%d tokens\n", in.Vocab)
			}
			for _, p := range in.Problems {
				fmt.Fprintf(tw, "problem:\t%s\n", p)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) modelsExportRandomCmd() *cobra.Command {
	var out string
	var seed uint64
	shape := models.DefaultShape()
	cmd := &cobra.Command{
		Use:   "export-random --out FILE [--seed S] [shape flags]",
		Short: "Write the built-in random model as a llama2.c v0 checkpoint",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("--out is required")
			}
			w, err := models.Random(shape, seed)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := models.WriteLlama2C(&buf, w); err != nil {
				return err
			}
			if err := atomicfile.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("export-random: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d bytes)\n", out, buf.Len())
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output file")
	cmd.Flags().Uint64Var(&seed, "seed", 42, "xorshift64* seed (not 0)")
	shapeFlags(cmd, &shape)
	return cmd
}

func (a *app) modelsBenchCmd() *cobra.Command {
	var (
		model, tokenizer       string
		tokens, threads, batch int
		seed                   uint64
		direct                 bool
	)
	shape := models.Shape15M()
	cmd := &cobra.Command{
		Use:   "bench [--model PATH|random] [--tokens N] [--threads T] [--batch B]",
		Short: "Measure generation speed in tokens per second (default: the random \"15M\" shape)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			model, tokenizer := a.resolveModel(model, tokenizer)
			m, err := loadModel(model, tokenizer, shape, seed)
			if err != nil {
				return err
			}
			defer m.close()
			if tokens < 1 || batch < 1 {
				return errors.New("--tokens and --batch must be at least 1")
			}
			e, err := models.NewEngine(m.w, models.ContextLength(max(m.w.Config.SeqLen, tokens+1)))
			if err != nil {
				return err
			}
			w, err := e.NewWorker(models.Threads(threads), models.UseGraph(!direct))
			if err != nil {
				return err
			}
			sess := make([]*models.Session, batch)
			toks := make([]int, batch)
			for i := range sess {
				sess[i], toks[i] = e.NewSession(), m.bos
			}
			start := time.Now()
			rows := make([]models.Row, batch)
			for p := 0; p < tokens; p++ {
				for i := range rows {
					rows[i] = models.Row{Session: sess[i], Token: toks[i], Logits: true}
				}
				l, err := w.Forward(rows)
				if err != nil {
					return err
				}
				for i := range toks {
					toks[i] = models.Argmax(l[i])
				}
			}
			el := time.Since(start)
			n := tokens * batch
			path := "gorgonia graph"
			if direct {
				path = "direct kernels"
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "model %s: %d tokens (%d sequences × %d) in %v, %d threads, %s: %.1f tokens/s\n",
				model, n, batch, tokens, el.Round(time.Millisecond), threads, path, float64(n)/el.Seconds())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "random", "model file or \"random\"")
	f.StringVar(&tokenizer, "tokenizer", "", "llama2.c tokenizer.bin (unused for speed, accepted for symmetry)")
	f.IntVar(&tokens, "tokens", 128, "positions to generate per sequence")
	f.IntVar(&threads, "threads", 1, "threads per step")
	f.IntVar(&batch, "batch", 1, "concurrent sequences stepped together")
	f.Uint64Var(&seed, "seed", 42, "random model seed")
	f.BoolVar(&direct, "direct", false, "call the kernels directly instead of through the gorgonia graph")
	shapeFlags(cmd, &shape)
	return cmd
}
