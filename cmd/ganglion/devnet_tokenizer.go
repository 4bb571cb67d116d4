package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
	"github.com/ganglion-subnet/ganglion/models"
)

// randomTokenizerBin builds a llama2.c tokenizer.bin for the random model
// (vocabulary 512), so the API can tokenize prompts and show answers as
// text when no real model could be pulled: <unk>, BOS, EOS, byte tokens for
// newline and printable ASCII (any ASCII text encodes; other characters
// become <unk>), then syllables, letters, digits and punctuation up to the
// vocabulary size. The random model's answers are random tokens whatever
// the vocabulary; printable pieces keep them readable.
func randomTokenizerBin(vocab int) []byte {
	pieces := []string{"<unk>", "\n<s>\n", "\n</s>\n", "<0x0A>"}
	for b := 0x20; b < 0x7f; b++ {
		pieces = append(pieces, fmt.Sprintf("<0x%02X>", b))
	}
	for _, p := range []string{".", ",", "!", "?", "▁"} {
		pieces = append(pieces, p)
	}
	for c := 'a'; c <= 'z'; c++ {
		pieces = append(pieces, "▁"+string(c), string(c))
	}
	for d := '0'; d <= '9'; d++ {
		pieces = append(pieces, string(d))
	}
	for _, c := range "bdfgklmnprstvz" {
		for _, v := range "aeiou" {
			pieces = append(pieces, "▁"+string(c)+string(v), string(c)+string(v))
		}
	}
	for _, e := range "nstlmrdk" {
		for _, c := range "bdfgklmnprst" {
			for _, v := range "aeiou" {
				pieces = append(pieces, "▁"+string(c)+string(v)+string(e))
			}
		}
	}
	for i := 0; len(pieces) < vocab; i++ { // larger vocabularies than the default shape's
		pieces = append(pieces, fmt.Sprintf("▁x%d", i))
	}
	pieces = pieces[:vocab]
	var buf bytes.Buffer
	maxLen := 0
	for _, p := range pieces {
		maxLen = max(maxLen, len(p))
	}
	_ = binary.Write(&buf, binary.LittleEndian, int32(maxLen))
	for i, p := range pieces {
		score := float32(0)
		if i >= 4+0x7f-0x20 {
			score = -float32(i) // earlier pieces merge first
		}
		_ = binary.Write(&buf, binary.LittleEndian, math.Float32bits(score))
		_ = binary.Write(&buf, binary.LittleEndian, int32(len(p)))
		buf.WriteString(p)
	}
	return buf.Bytes()
}

// writeRandomTokenizer writes the random model's tokenizer into dir and
// returns its path.
func writeRandomTokenizer(dir string) (string, error) {
	vocab := models.DefaultShape().Vocab
	p := filepath.Join(dir, fmt.Sprintf("random-tokenizer-%d.bin", vocab))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(p, randomTokenizerBin(vocab), 0o644); err != nil {
		return "", fmt.Errorf("devnet: random model tokenizer: %w", err)
	}
	return p, nil
}
