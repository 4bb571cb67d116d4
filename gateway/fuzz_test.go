package gateway

import (
	"net/http"
	"testing"
)

// FuzzParseRequest: any body gives a request or a 400 naming a problem,
// never a panic; accepted requests hold in-range values.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}`,
		`{"model":"m","prompt":["x"],"stop":["a","b"],"temperature":0.5,"top_p":0.9,"seed":-3,"n":1}`,
		`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"}]}]}`,
		`{"model":"m","prompt":"x","max_tokens":"many"}`, `{`, `null`, `[]`, `{"model":1}`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, chat bool) {
		p, e := parseRequest(body, chat)
		if (p == nil) == (e == nil) {
			t.Fatalf("params %v and error %v", p, e)
		}
		if e != nil {
			if e.status != http.StatusBadRequest || e.Message == "" {
				t.Fatalf("error %+v", e)
			}
			return
		}
		if p.model == "" || p.maxTokens < 0 || p.temperature < 0 || p.temperature > 2 || p.topP <= 0 || p.topP > 1 || len(p.stop) > 4 {
			t.Fatalf("accepted out-of-range params %+v", p)
		}
		if chat && len(p.messages) == 0 {
			t.Fatal("chat request without messages")
		}
		_ = renderChat(templateKind("<|im_start|>"), p.messages)
		_ = renderChat(templateKind("[INST]"), p.messages)
		_ = renderChat(templateKind(""), p.messages)
	})
}

// TestRenderChat: each template family's rendering of a conversation.
func TestRenderChat(t *testing.T) {
	msgs := []message{{"system", "be brief"}, {"user", "hi"}, {"assistant", "hello"}, {"user", "why"}}
	cases := []struct{ tmpl, want string }{
		{"", "System: be brief\nUser: hi\nAssistant: hello\nUser: why\nAssistant:"},
		{"{% ... <|im_start|> ... %}", "<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n<|im_start|>user\nwhy<|im_end|>\n<|im_start|>assistant\n"},
		{"{{ '[INST] ' }}", "[INST] <<SYS>>\nbe brief\n<</SYS>>\n\nhi [/INST] hello [INST] why [/INST]"},
		{"<|user|>", "<|system|>\nbe brief</s>\n<|user|>\nhi</s>\n<|assistant|>\nhello</s>\n<|user|>\nwhy</s>\n<|assistant|>\n"},
	}
	for _, c := range cases {
		if got := renderChat(templateKind(c.tmpl), msgs); got != c.want {
			t.Errorf("template %q:\ngot  %q\nwant %q", c.tmpl, got, c.want)
		}
	}
}
