package models

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

func formatsLoadTok(t testing.TB, name string, vocab int) *Tokenizer {
	t.Helper()
	tok, err := LoadTokenizer(formatsTestdata(t, name), vocab)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenizerOnceUponATime(t *testing.T) {
	for _, tc := range []struct {
		file  string
		vocab int
		want  []int
	}{
		{"tok512.bin", 512, []int{1, 403, 407, 261, 378}},
		{"llama2-tokenizer.bin", 32000, []int{1, 9038, 2501, 263, 931}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			tok := formatsLoadTok(t, tc.file, tc.vocab)
			if tok.Len() != tc.vocab || tok.BOS() != 1 || tok.EOS() != 2 {
				t.Fatalf("len %d bos %d eos %d", tok.Len(), tok.BOS(), tok.EOS())
			}
			got := tok.Encode("Once upon a time", true, false)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("encode = %v, want %v", got, tc.want)
			}
			if got := tok.Encode("Once upon a time", true, true); got[len(got)-1] != 2 || len(got) != len(tc.want)+1 {
				t.Errorf("with eos: %v", got)
			}
			var b strings.Builder
			prev := tok.BOS()
			for _, id := range tc.want[1:] {
				b.WriteString(tok.DecodeToken(prev, id))
				prev = id
			}
			if b.String() != "Once upon a time" {
				t.Errorf("streamed decode %q", b.String())
			}
			if got := tok.DecodeToken(5, tc.want[2]); !strings.HasPrefix(got, " ") {
				t.Errorf("decode after a non-BOS token lost its space: %q", got)
			}
		})
	}
}

// formatsVocabVectors reads llama.cpp's tokenizer test vectors: inputs
// separated by "\n__ggml_vocab_test__\n", one line of space-separated ids per
// input in the .out file.
func formatsVocabVectors(t *testing.T) (inputs []string, outputs [][]int) {
	t.Helper()
	inp, err := os.ReadFile(formatsTestdata(t, "ggml-vocab-llama-spm.gguf.inp"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(formatsTestdata(t, "ggml-vocab-llama-spm.gguf.out"))
	if err != nil {
		t.Fatal(err)
	}
	inputs = strings.Split(string(inp), "\n__ggml_vocab_test__\n")
	if inputs[len(inputs)-1] == "" {
		inputs = inputs[:len(inputs)-1]
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(inputs) {
		t.Fatalf("%d inputs, %d outputs", len(inputs), len(lines))
	}
	for _, l := range lines {
		var ids []int
		for _, f := range strings.Fields(l) {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, n)
		}
		outputs = append(outputs, ids)
	}
	return inputs, outputs
}

func TestTokenizerLlamaCppVectors(t *testing.T) {
	formatsCheckVectors(t, formatsLoadTok(t, "llama2-tokenizer.bin", 32000))
}

func formatsCheckVectors(t *testing.T, tok *Tokenizer) {
	t.Helper()
	inputs, outputs := formatsVocabVectors(t)
	if len(inputs) != 46 {
		t.Fatalf("%d vectors, want 46", len(inputs))
	}
	for i, in := range inputs {
		got := tok.Encode(in, false, false)
		if fmt.Sprint(got) != fmt.Sprint(outputs[i]) && !(len(got) == 0 && len(outputs[i]) == 0) {
			t.Errorf("vector %d %q: got %v, want %v", i, in, got, outputs[i])
		}
		if dec := tok.Decode(got); dec != in {
			t.Errorf("vector %d: decode %q, want %q", i, dec, in)
		}
	}
}

func TestTokenizerRoundTrip(t *testing.T) {
	tok := formatsLoadTok(t, "tok512.bin", 512)
	for _, s := range []string{"", " ", "  x  ", "hello\nworld\t!", "日本語 ünïcödé 🙂", "\xff\xfe invalid \xc3", "<s></s><unk><0x41>", strings.Repeat("ab ", 200)} {
		for _, bos := range []bool{false, true} {
			ids := tok.Encode(s, bos, bos)
			if got := tok.Decode(ids); got != s {
				t.Errorf("Decode(Encode(%q, %v)) = %q", s, bos, got)
			}
			for _, id := range ids {
				if (id == tok.BOS() || id == tok.EOS()) && !bos {
					t.Errorf("%q: control token %d produced from text", s, id)
				}
			}
		}
	}
}

func TestTokenizerDecodeToken(t *testing.T) {
	tok := formatsLoadTok(t, "tok512.bin", 512)
	for _, tc := range []struct {
		prev, id int
		want     string
	}{
		{1, 3 + 'A', "A"},     // byte token after BOS: raw byte, no strip
		{1, 3 + 0xE2, "\xe2"}, // a UTF-8 lead byte on its own
		{7, 1, ""},            // BOS renders as nothing
		{7, 2, ""},            // EOS too
		{7, -1, ""},           // out of range
		{7, 512, ""},          // out of range
		{7, 3 + ' ', " "},     // a space byte
		{1, 3 + ' ', " "},     // byte tokens are never stripped
		{0, 0, tok.Piece(0)},  // <unk> renders as its piece
		{1, 403, "Once"},      // " Once" after BOS
		{5, 403, " Once"},     // elsewhere keeps its space
		{-1, 261, tok.Piece(261)},
	} {
		if got := tok.DecodeToken(tc.prev, tc.id); got != tc.want {
			t.Errorf("DecodeToken(%d, %d) = %q, want %q", tc.prev, tc.id, got, tc.want)
		}
	}
}

func TestParseTokenizerBinErrors(t *testing.T) {
	good, err := os.ReadFile(formatsTestdata(t, "tok512.bin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		vocab int
		want  string
	}{
		{"empty", nil, 512, "too short"},
		{"truncated piece", good[:len(good)-3], 512, "exceeds"},
		{"truncated score", good[:len(good)-7-4], 512, "truncated"},
		{"vocab too large for file", good, 4096, "cannot hold"},
		{"hostile vocab", good, 1 << 40, "beyond"},
		{"negative max length", append([]byte{0xff, 0xff, 0xff, 0xff}, good[4:]...), 512, "negative"},
		{"hostile piece length", append(append([]byte(nil), good[:8]...), 0xff, 0xff, 0xff, 0x7f), 0, "exceeds"},
		{"two tokens", good[:4+8+5+8+5], 0, "at least"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTokenizerBin(tc.data, tc.vocab)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	all, err := ParseTokenizerBin(good, 0)
	if err != nil || all.Len() != 512 {
		t.Fatalf("vocab 0 reads every token: %v, %v", all, err)
	}
}

// TestTokenizerMergeMatchesQuadratic checks the heap merge against a direct
// transcription of llama2.c's quadratic loop on many strings.
func TestTokenizerMergeMatchesQuadratic(t *testing.T) {
	tok := formatsLoadTok(t, "tok512.bin", 512)
	texts := []string{"Once upon a time there was a little girl", "aaaaaaaaaaaaaaa", "the the the  the   the", "Lily's mom said, \"Lily, let's go to the park.\""}
	inputs, _ := formatsVocabVectors(t)
	texts = append(texts, inputs...)
	for _, s := range texts {
		syms := tok.appendChars(nil, " "+s)
		if s == "" {
			syms = nil
		}
		want := formatsQuadraticMerge(tok, append([]int32(nil), syms...))
		got := tok.merge(syms)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: heap %v, quadratic %v", s, got, want)
		}
	}
}

func formatsQuadraticMerge(t *Tokenizer, syms []int32) []int32 {
	for {
		best, bestID, bestIdx := float32(-1e10), int32(-1), -1
		for i := 0; i+1 < len(syms); i++ {
			id, ok := t.ids[t.pieces[syms[i]]+t.pieces[syms[i+1]]]
			if ok && t.scores[id] > best {
				best, bestID, bestIdx = t.scores[id], id, i
			}
		}
		if bestIdx < 0 {
			return syms
		}
		syms[bestIdx] = bestID
		syms = append(syms[:bestIdx+1], syms[bestIdx+2:]...)
	}
}

func TestNewTokenizer(t *testing.T) {
	pieces := []string{"<unk>", "<s>", "</s>", "<0x20>", "<0x61>", "<0x62>", "▁", "a", "b", "ab", "▁ab"}
	scores := []float32{0, 0, 0, 0, 0, 0, -5, -1, -1, -2, -3}
	types := []TokenType{TokenUnknown, TokenControl, TokenControl, TokenByte, TokenByte, TokenByte, TokenNormal, TokenNormal, TokenNormal, TokenNormal, TokenNormal}
	spec := TokenizerSpec{Pieces: pieces, Scores: scores, Types: types, BOS: 1, EOS: 2, UNK: 0}
	tok, err := NewTokenizer(spec)
	if err != nil {
		t.Fatal(err)
	}
	// " ab" → "▁" "a" "b" → "▁" "ab" (score -2) → "▁ab" (score -3).
	if got := tok.Encode("ab", true, false); fmt.Sprint(got) != "[1 10]" {
		t.Errorf("encode = %v", got)
	}
	if got := tok.Encode("ab<s>c", false, false); fmt.Sprint(got) != "[10 0 0 0 0]" {
		t.Errorf("unknown characters without byte tokens become <unk>: %v", got)
	}
	spec.NoSpacePrefix = true
	np, err := NewTokenizer(spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := np.Encode("ab", false, false); fmt.Sprint(got) != "[9]" {
		t.Errorf("no space prefix: encode = %v", got)
	}
	if got := np.Decode([]int{6, 9}); got != " ab" {
		t.Errorf("no space prefix: decode = %q", got)
	}
	for _, bad := range []TokenizerSpec{
		{},
		{Pieces: pieces, Scores: scores[:3], BOS: 1, EOS: 2},
		{Pieces: pieces, Scores: scores, Types: types[:2], BOS: 1, EOS: 2},
		{Pieces: pieces, Scores: scores, BOS: 99, EOS: 2},
		{Pieces: pieces, Scores: scores, BOS: 1, EOS: -1},
	} {
		if _, err := NewTokenizer(bad); err == nil {
			t.Errorf("spec %+v accepted", bad)
		}
	}
}
