package models

import (
	"sort"
	"strings"
)

// CatalogueEntry is a downloadable model or tokenizer file.
type CatalogueEntry struct {
	Name        string // what users type: `ganglion models pull stories15M`
	File        string // file name in the download folder
	URL         string
	SHA256      string // lowercase hex; empty when no published hash was found (unverified)
	Size        int64  // bytes; 0 when unknown
	Kind        string // "model" or "tokenizer"
	Tokenizer   string // for a model: the catalogue name of its tokenizer
	Description string
}

// Verified reports whether Pull can check the file against a known sha256.
func (e CatalogueEntry) Verified() bool { return len(e.SHA256) == 64 }

// The tinyllamas checkpoints (karpathy/tinyllamas, MIT) and their
// tokenizers. Hashes: stories260K and tok512 were computed from the files
// MODELS.md lists as fixtures; stories15M's and tokenizer.bin's appear,
// identical, in independent public download scripts (a Nix fetchurl and a
// PowerShell check), and tokenizer.bin's equals the llama2-tokenizer.bin
// fixture. No published sha256 was found for stories42M and stories110M:
// they are unverified, and Pull reports the hash it computed instead. Their
// sizes follow from the llama2.c v0 layout of their published shapes.
var catalogue = []CatalogueEntry{
	{
		Name: "stories260K", File: "stories260K.bin", Kind: "model", Tokenizer: "tok512",
		URL:         "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin",
		SHA256:      "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696",
		Size:        1056540,
		Description: "TinyStories 260K (dim 64, 5 layers, vocab 512), llama2.c v0",
	},
	{
		Name: "tok512", File: "tok512.bin", Kind: "tokenizer",
		URL:         "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin",
		SHA256:      "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312",
		Size:        6227,
		Description: "512-token tokenizer.bin for stories260K",
	},
	{
		Name: "stories15M", File: "stories15M.bin", Kind: "model", Tokenizer: "tokenizer",
		URL:         "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories15M.bin",
		SHA256:      "cd590644d963867a2b6e5a1107f51fad663c41d79c149fbecbbb1f95fa81f49a",
		Size:        60816028,
		Description: "TinyStories 15M (dim 288, 6 layers, vocab 32000), llama2.c v0",
	},
	{
		Name: "stories42M", File: "stories42M.bin", Kind: "model", Tokenizer: "tokenizer",
		URL:         "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories42M.bin",
		Size:        167020572,
		Description: "TinyStories 42M (dim 512, 8 layers, vocab 32000), llama2.c v0; sha256 unverified",
	},
	{
		Name: "stories110M", File: "stories110M.bin", Kind: "model", Tokenizer: "tokenizer",
		URL:         "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories110M.bin",
		Size:        438381596,
		Description: "TinyStories 110M (dim 768, 12 layers, vocab 32000), llama2.c v0; sha256 unverified",
	},
	{
		Name: "tokenizer", File: "tokenizer.bin", Kind: "tokenizer",
		URL:         "https://github.com/karpathy/llama2.c/raw/b3c4b6c3c4bbff42e5211293280307019368ccb5/tokenizer.bin",
		SHA256:      "50a52ef822ee9e83de5ce9d0be0a025a773d019437f58b5ff9dcafb063ece361",
		Size:        433869,
		Description: "Llama 2 32000-token tokenizer.bin (llama2.c) for stories15M/42M/110M",
	},
}

// Catalogue lists the downloadable files, sorted by name.
func Catalogue() []CatalogueEntry {
	out := append([]CatalogueEntry(nil), catalogue...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupCatalogue finds an entry by name (case-insensitive, with or without
// the file extension).
func LookupCatalogue(name string) (CatalogueEntry, bool) {
	for _, e := range catalogue {
		if strings.EqualFold(name, e.Name) || strings.EqualFold(name, e.File) {
			return e, true
		}
	}
	return CatalogueEntry{}, false
}
