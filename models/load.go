package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Errors callers may test with errors.Is.
var (
	// ErrUnsupported marks a file that is well formed but uses a format
	// version, tensor type or architecture this package cannot run.
	ErrUnsupported = errors.New("unsupported model file")
	// ErrUnknownFormat marks a file that is none of the supported formats.
	ErrUnknownFormat = errors.New("unknown model file format")
)

// Format names as reported in Model.Format and Info.Format.
const (
	FormatLlama2C     = "llama2.c"
	FormatGGUF        = "gguf"
	FormatSafetensors = "safetensors"
)

// Model is a loaded model file: its weights (usually aliasing a read-only
// memory map shared by every worker), its tokenizer when the file carries
// one, and its identity. Close releases the map; the Weights must not be used
// afterwards.
type Model struct {
	Weights      *Weights
	Tokenizer    *Tokenizer // nil when the file has none (llama2.c: pass WithTokenizer)
	ID           string     // sha256 of the whole model file, lowercase hex
	Format       string     // FormatLlama2C, FormatGGUF or FormatSafetensors
	Path         string
	ChatTemplate string // GGUF tokenizer.chat_template, if present
	BOS, EOS     int    // from the tokenizer; 1 and 2 (llama2.c's) without one
	Mapped       bool   // the weights alias a memory map (false: a heap copy)

	file *mmapped
}

// Close unmaps the file. It is safe to call more than once.
func (m *Model) Close() error {
	if m == nil {
		return nil
	}
	f := m.file
	m.file = nil
	return f.Close()
}

// Progress receives how far a long operation is: done of total bytes
// (total is -1 when unknown). It is called from the caller's goroutine.
type Progress func(done, total int64)

// LoadOption adjusts Load.
type LoadOption func(*loadOptions) error

type loadOptions struct {
	progress  Progress
	tokenizer string
	config    string
	noMmap    bool
}

// WithProgress reports hashing progress (the slow part of loading a large
// file) to fn.
func WithProgress(fn Progress) LoadOption {
	return func(o *loadOptions) error { o.progress = fn; return nil }
}

// WithTokenizer loads the model's tokenizer from path — a llama2.c
// tokenizer.bin or any GGUF file with a vocabulary — replacing one carried by
// the model file.
func WithTokenizer(path string) LoadOption {
	return func(o *loadOptions) error {
		if path == "" {
			return errors.New("WithTokenizer: empty path")
		}
		o.tokenizer = path
		return nil
	}
}

// WithConfig names a safetensors model's config.json (default: config.json
// beside the weights file).
func WithConfig(path string) LoadOption {
	return func(o *loadOptions) error { o.config = path; return nil }
}

// WithoutMmap reads the file into memory instead of mapping it.
func WithoutMmap() LoadOption {
	return func(o *loadOptions) error { o.noMmap = true; return nil }
}

// Load opens a model file — a llama2.c checkpoint, a GGUF file or a
// safetensors file (with its config.json) — recognised by its magic number
// or extension. The file is memory-mapped read-only where the platform
// allows, so every worker shares one copy of the weights.
func Load(path string, opts ...LoadOption) (*Model, error) {
	var o loadOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	f, err := mmapOpen(path, o.noMmap)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	m, err := loadMapped(path, f, &o)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}

func loadMapped(path string, f *mmapped, o *loadOptions) (*Model, error) {
	data := f.Data
	m := &Model{Path: path, Mapped: f.Mapped, BOS: 1, EOS: 2, file: f}
	format, err := loadDetect(path, data)
	if err != nil {
		return nil, err
	}
	m.Format = format
	switch format {
	case FormatLlama2C:
		w, err := parseLlama2C(data)
		if err != nil {
			return nil, err
		}
		m.Weights = w
	case FormatGGUF:
		g, err := parseGGUF(data)
		if err != nil {
			return nil, err
		}
		w, err := g.weights()
		if err != nil {
			return nil, err
		}
		m.Weights = w
		if o.tokenizer == "" { // an explicit tokenizer replaces the file's, even one we cannot read
			tok, err := g.tokenizer()
			if err != nil {
				return nil, err
			}
			m.Tokenizer = tok
		}
		m.ChatTemplate, _ = g.str("tokenizer.chat_template")
	case FormatSafetensors:
		cfgPath := o.config
		if cfgPath == "" {
			cfgPath = filepath.Join(filepath.Dir(path), "config.json")
		}
		w, err := loadSafetensors(data, cfgPath)
		if err != nil {
			return nil, err
		}
		m.Weights = w
	}
	if o.tokenizer != "" {
		tok, err := LoadTokenizer(o.tokenizer, m.Weights.Config.Vocab)
		if err != nil {
			return nil, err
		}
		m.Tokenizer = tok
	}
	if m.Tokenizer != nil {
		// A tokenizer may be shorter than a padded embedding, never longer.
		if m.Tokenizer.Len() > m.Weights.Config.Vocab {
			return nil, fmt.Errorf("tokenizer has %d tokens, more than the model's vocabulary of %d", m.Tokenizer.Len(), m.Weights.Config.Vocab)
		}
		m.BOS, m.EOS = m.Tokenizer.BOS(), m.Tokenizer.EOS()
	}
	m.ID = loadHash(data, o.progress)
	return m, nil
}

// loadHash is the sha256 of data in lowercase hex, reporting progress every
// 16 MiB.
func loadHash(data []byte, progress Progress) string {
	h := sha256.New()
	const chunk = 16 << 20
	total := int64(len(data))
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		h.Write(data[off:end])
		if progress != nil {
			progress(int64(end), total)
		}
	}
	if progress != nil && len(data) == 0 {
		progress(0, 0)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadDetect recognises a model file by its magic number, falling back to
// its extension.
func loadDetect(path string, data []byte) (string, error) {
	switch {
	case len(data) >= 4 && bytes.Equal(data[:4], []byte("GGUF")):
		return FormatGGUF, nil
	case len(data) >= 8 && binary.LittleEndian.Uint32(data) == llama2cMagic:
		return FormatLlama2C, nil
	case looksLikeSafetensors(data):
		return FormatSafetensors, nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".gguf":
		return FormatGGUF, nil
	case ".safetensors":
		return FormatSafetensors, nil
	case ".bin":
		return FormatLlama2C, nil
	}
	if isLlama2C(data) {
		return FormatLlama2C, nil
	}
	return "", ErrUnknownFormat
}

// ParseID decodes a model id (the lowercase hex sha256 of a model file, as in
// Model.ID) into its 32 bytes, the form wire messages carry.
func ParseID(id string) ([]byte, error) {
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("model id %q is not a sha256", id)
	}
	return b, nil
}
