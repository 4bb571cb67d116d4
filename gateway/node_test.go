package gateway_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ganglion-subnet/ganglion/miner"
)

// TestOpenAINodeClient: the official OpenAI Node client (testdata/js,
// `npm ci` there) lists models, completes, streams with usage, accumulates a
// streamed chat and sees a 404 as an error, against a real gateway and miner.
// Skips without node or the package unless GANGLION_REQUIRE_INTEROP=1.
func TestOpenAINodeClient(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("testdata", "js"))
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(filepath.Join(dir, "node_modules", "openai")); err != nil || serr != nil {
		if os.Getenv("GANGLION_REQUIRE_INTEROP") == "1" {
			t.Fatalf("node (%v) or the openai package (%v) missing: run npm ci in %s", err, serr, dir)
		}
		t.Skipf("node or the openai package missing: run npm ci in %s", dir)
	}
	e := setup(t, 1, miner.Config{}, true)
	cmd := exec.Command(node, "check.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BASE_URL="+e.base+"/v1", "API_KEY="+e.key, "MODEL="+modelName)
	raw, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node: %v\n%s\n%s", err, raw, stderr)
	}
	var out struct {
		Models []string
		Chat   struct {
			Content, Finish string
			Usage           struct {
				PromptTokens     int `json:"prompt_tokens"`
				CompletionTokens int `json:"completion_tokens"`
			}
		}
		Stream struct {
			Content, Finish, Role string
			Usage                 *struct {
				CompletionTokens int `json:"completion_tokens"`
			}
		}
		Runner     struct{ Content, Finish string }
		Completion string
		NotFound   struct{ Status int }
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(out.Models) != 1 || out.Models[0] != modelName {
		t.Fatalf("models %v", out.Models)
	}
	if out.Chat.Usage.CompletionTokens < 1 || out.Chat.Usage.PromptTokens < 1 || out.Chat.Finish == "" {
		t.Fatalf("chat %+v", out.Chat)
	}
	// Greedy decoding: the plain, streamed and accumulated answers agree.
	if out.Stream.Content != out.Chat.Content || out.Runner.Content != out.Chat.Content || out.Stream.Finish != out.Chat.Finish ||
		out.Stream.Role != "assistant" || out.Stream.Usage == nil || out.Stream.Usage.CompletionTokens != out.Chat.Usage.CompletionTokens {
		t.Fatalf("chat %+v, stream %+v, runner %+v", out.Chat, out.Stream, out.Runner)
	}
	if out.NotFound.Status != 404 {
		t.Fatalf("unknown model: %+v", out.NotFound)
	}
	t.Logf("node client: %s", raw)
}
