package models

import (
	"bytes"
	"os"
	"testing"
)

// greedyText generates with temperature 0 from BOS and returns the text as
// run.c prints it (pieces after each token, then a newline).
func greedyText(t *testing.T, m *Model, maxTokens int, graph bool) (string, *Receipt) {
	t.Helper()
	e, err := NewEngine(m.Weights)
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.NewWorker(UseGraph(graph))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	prev := m.Tokenizer.BOS()
	r, err := w.Generate([]int{prev}, GenerateOptions{MaxTokens: maxTokens, Stop: []int{m.Tokenizer.BOS()}}, func(tok int) error {
		out.WriteString(m.Tokenizer.DecodeToken(prev, tok))
		prev = tok
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString("\n")
	return out.String(), r
}

func TestStories260KGreedyGolden(t *testing.T) {
	want, err := os.ReadFile(formatsTestdata(t, "stories260K.greedy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tok := formatsTestdata(t, "tok512.bin")
	for _, c := range []struct {
		file  string
		graph bool
	}{
		{"stories260K.bin", false},
		{"stories260K.bin", true},
	} {
		t.Run(c.file, func(t *testing.T) {
			m, err := Load(formatsTestdata(t, c.file), WithTokenizer(tok))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			got, r := greedyText(t, m, 256, c.graph)
			if got != string(want) {
				t.Fatalf("greedy text differs:\n got %q\nwant %q", got, want)
			}
			e, _ := NewEngine(m.Weights)
			w, _ := e.NewWorker()
			if res, err := w.Verify(r, nil); err != nil || !res.OK {
				t.Fatalf("teacher-forced verify: %+v %v", res, err)
			}
		})
	}
}
