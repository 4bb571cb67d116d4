package models

import (
	"strings"
	"testing"
)

func BenchmarkLoadStories260K(b *testing.B) {
	for _, f := range []string{"stories260K.bin", "stories260K.lcppconv.gguf", "rand64h192.lcpp.q4_0.gguf"} {
		path := formatsTestdata(b, f)
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				m, err := Load(path)
				if err != nil {
					b.Fatal(err)
				}
				m.Close()
			}
		})
	}
}

func BenchmarkTokenizerEncode(b *testing.B) {
	tok := formatsLoadTok(b, "llama2-tokenizer.bin", 32000)
	text := strings.Repeat("Once upon a time, there was a little girl named Lily. She loved to play outside. ", 50)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok.Encode(text, true, false)
	}
}

func BenchmarkTokenizerLoad(b *testing.B) {
	path := formatsTestdata(b, "llama2-tokenizer.bin")
	for b.Loop() {
		if _, err := LoadTokenizer(path, 32000); err != nil {
			b.Fatal(err)
		}
	}
}
