package models

import "fmt"

type ggufFile struct{}

func parseGGUF(data []byte) (*ggufFile, error) {
	return nil, fmt.Errorf("gguf: not implemented yet: %w", ErrUnsupported)
}
func (g *ggufFile) weights() (*Weights, error)     { return nil, ErrUnsupported }
func (g *ggufFile) tokenizer() (*Tokenizer, error) { return nil, ErrUnsupported }
func (g *ggufFile) str(key string) (string, bool)  { return "", false }
