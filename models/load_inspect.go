package models

import (
	"fmt"
	"path/filepath"
	"sort"
)

// Info describes a model file without running it (for `ganglion models
// inspect`). Inspect fills what the file declares even when Load would
// refuse it (for example K-quant tensors), and lists such problems in
// Problems.
type Info struct {
	Path         string
	Format       string
	Size         int64  // bytes
	SHA256       string // lowercase hex of the whole file
	Config       Config // zero fields when the file does not declare them
	Params       int64  // values in all weight tensors stored in the file
	Tensors      int
	Types        map[string]int // tensor storage type (F32, Q8_0, Q4_K, ...) → number of tensors
	SharedOutput bool           // the classifier reuses the embedding
	Vocab        int            // tokenizer entries carried by the file (0: none)
	Metadata     map[string]string
	Problems     []string // reasons Load would fail, empty when it would succeed
}

// TypeNames is Types' keys in a stable order.
func (i Info) TypeNames() []string {
	names := make([]string, 0, len(i.Types))
	for n := range i.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Inspect reads a model file's header and reports its format, shape,
// parameter count, tensor types, size and sha256.
func Inspect(path string, opts ...LoadOption) (Info, error) {
	var o loadOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return Info{}, err
		}
	}
	f, err := mmapOpen(path, o.noMmap)
	if err != nil {
		return Info{}, fmt.Errorf("inspect: %w", err)
	}
	defer f.Close()
	cfg := o.config
	if cfg == "" {
		cfg = filepath.Join(filepath.Dir(path), "config.json")
	}
	info, err := inspectData(path, f.Data, cfg)
	if err != nil {
		return info, fmt.Errorf("inspect %s: %w", path, err)
	}
	info.SHA256 = loadHash(f.Data, o.progress)
	return info, nil
}

func inspectData(path string, data []byte, configPath string) (Info, error) {
	info := Info{Path: path, Size: int64(len(data)), Types: map[string]int{}, Metadata: map[string]string{}}
	format, err := loadDetect(path, data)
	if err != nil {
		return info, err
	}
	info.Format = format
	problem := func(err error) {
		if err != nil {
			info.Problems = append(info.Problems, err.Error())
		}
	}
	switch format {
	case FormatLlama2C:
		w, err := parseLlama2C(data)
		if err != nil {
			return info, err
		}
		info.Config = w.Config
		info.SharedOutput = &w.Output.Data[0] == &w.Embedding.Data[0]
		c := w.Config
		d, kv := int64(c.Dim), int64(c.KVDim())
		info.Params = int64(c.Vocab)*d + int64(c.Layers)*(2*d+2*d*d+2*kv*d+3*int64(c.Hidden)*d) + d
		info.Tensors = 2 + 9*c.Layers
		if !info.SharedOutput {
			info.Params += int64(c.Vocab) * d
			info.Tensors++
		}
		info.Types["F32"] = info.Tensors
	case FormatGGUF:
		g, err := parseGGUF(data)
		if err != nil {
			return info, err
		}
		for _, t := range g.tensors {
			info.Params += t.elements()
			info.Types[ggufTypeName(t.typ)]++
		}
		info.Tensors = len(g.tensors)
		for _, k := range g.keys {
			if k == "tokenizer.ggml.tokens" || k == "tokenizer.ggml.scores" || k == "tokenizer.ggml.token_type" || k == "tokenizer.ggml.merges" {
				continue
			}
			info.Metadata[k] = ggufDescribe(g.kv[k])
		}
		if toks, ok := g.kv["tokenizer.ggml.tokens"].([]string); ok {
			info.Vocab = len(toks)
		}
		_, hasOutput := g.byName["output.weight"]
		info.SharedOutput = !hasOutput
		c, err := g.config()
		info.Config = c
		problem(err)
		if err == nil {
			_, err = g.weights()
			problem(err)
		}
		_, err = g.tokenizer()
		problem(err)
	case FormatSafetensors:
		s, err := parseSafetensors(data)
		if err != nil {
			return info, err
		}
		for _, n := range s.names {
			t := s.tensors[n]
			e := int64(1)
			for _, d := range t.Shape {
				e *= int64(d)
			}
			info.Params += e
			info.Types[t.DType]++
		}
		info.Tensors = len(s.names)
		for k, v := range s.metadata {
			info.Metadata[k] = v
		}
		_, hasHead := s.tensors["lm_head.weight"]
		info.SharedOutput = !hasHead
		c, hc, err := readHFConfig(configPath)
		info.Config = c
		problem(err)
		if err == nil {
			info.SharedOutput = hc.TieWordEmbeddings || !hasHead
			_, err = s.weights(c, hc.TieWordEmbeddings)
			problem(err)
		}
	}
	return info, nil
}
