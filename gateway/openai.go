package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// apiError is OpenAI's error object.
type apiError struct {
	status  int
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *apiError) Error() string { return e.Message }

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func badField(param, format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, Message: fmt.Sprintf(format, a...), Type: "invalid_request_error",
		Param: strp(param), Code: strp("invalid_value")}
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

type chatMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type request struct {
	Model               string          `json:"model"`
	Messages            []chatMessage   `json:"messages"`
	Prompt              json.RawMessage `json:"prompt"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Temperature         *float64        `json:"temperature"`
	TopP                *float64        `json:"top_p"`
	Seed                *int64          `json:"seed"`
	Stop                json.RawMessage `json:"stop"`
	N                   *int            `json:"n"`
	Stream              bool            `json:"stream"`
	StreamOptions       *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

// params is a validated request.
type params struct {
	chat         bool
	model        string
	messages     []message
	prompt       string
	maxTokens    int // 0: until the context is full
	temperature  float32
	topP         float32
	seed         *uint64
	stop         []string
	stream       bool
	includeUsage bool
}

type message struct{ Role, Content string }

// parseRequest decodes and checks a request body.
func parseRequest(body []byte, chat bool) (*params, *apiError) {
	var r request
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&r); err != nil {
		if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
			return nil, badField(te.Field, "%s: wrong type (%s)", te.Field, te.Value)
		}
		return nil, &apiError{status: http.StatusBadRequest, Message: "malformed JSON body: " + err.Error(),
			Type: "invalid_request_error", Code: strp("invalid_json")}
	}
	p := &params{chat: chat, model: r.Model, stream: r.Stream, temperature: 1, topP: 1}
	if r.Model == "" {
		return nil, badField("model", "model is required")
	}
	if chat {
		if len(r.Messages) == 0 {
			return nil, badField("messages", "messages must be a non-empty array")
		}
		for i, m := range r.Messages {
			switch m.Role {
			case "system", "developer", "user", "assistant", "tool":
			default:
				return nil, badField(fmt.Sprintf("messages[%d].role", i), "unknown role %q", m.Role)
			}
			c, err := contentText(m.Content)
			if err != nil {
				return nil, badField(fmt.Sprintf("messages[%d].content", i), "%v", err)
			}
			p.messages = append(p.messages, message{Role: m.Role, Content: c})
		}
	} else {
		s, err := promptText(r.Prompt)
		if err != nil {
			return nil, badField("prompt", "%v", err)
		}
		p.prompt = s
	}
	mt := r.MaxTokens
	if r.MaxCompletionTokens != nil {
		mt = r.MaxCompletionTokens
	}
	if mt != nil {
		if *mt < 1 {
			return nil, badField("max_tokens", "max_tokens must be at least 1")
		}
		p.maxTokens = *mt
	}
	if r.Temperature != nil {
		if !(*r.Temperature >= 0 && *r.Temperature <= 2) {
			return nil, badField("temperature", "temperature must be in [0, 2]")
		}
		p.temperature = float32(*r.Temperature)
	}
	if r.TopP != nil {
		if !(*r.TopP > 0 && *r.TopP <= 1) {
			return nil, badField("top_p", "top_p must be in (0, 1]")
		}
		p.topP = float32(*r.TopP)
	}
	if r.Seed != nil {
		s := uint64(*r.Seed)
		p.seed = &s
	}
	if r.N != nil && *r.N != 1 {
		return nil, badField("n", "only n=1 is supported")
	}
	stop, err := stopStrings(r.Stop)
	if err != nil {
		return nil, badField("stop", "%v", err)
	}
	p.stop = stop
	if r.StreamOptions != nil {
		if !r.Stream {
			return nil, badField("stream_options", "stream_options needs stream: true")
		}
		p.includeUsage = r.StreamOptions.IncludeUsage
	}
	return p, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

func contentText(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", fmt.Errorf("content must be a string or an array of text parts")
	}
	var b strings.Builder
	for _, pt := range parts {
		if pt.Type != "text" {
			return "", fmt.Errorf("content part type %q is not supported (text only)", pt.Type)
		}
		b.WriteString(pt.Text)
	}
	return b.String(), nil
}

func promptText(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", fmt.Errorf("prompt is required")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var ss []string
	if json.Unmarshal(raw, &ss) == nil && len(ss) == 1 {
		return ss[0], nil
	}
	return "", fmt.Errorf("prompt must be a string (or an array of one string)")
}

func stopStrings(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil, nil
		}
		return []string{s}, nil
	}
	var ss []string
	if err := json.Unmarshal(raw, &ss); err != nil || len(ss) > 4 {
		return nil, fmt.Errorf("stop must be a string or an array of at most 4 strings")
	}
	out := ss[:0]
	for _, x := range ss {
		if x != "" {
			out = append(out, x)
		}
	}
	return out, nil
}

// usage is OpenAI's usage object.
type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// servedBy is the gateway's own field in answers.
type servedBy struct {
	Miner   string `json:"miner"`
	UID     *int64 `json:"uid,omitempty"`
	Peer    string `json:"peer"`
	Receipt string `json:"receipt,omitempty"`
	ModelID string `json:"model_id"`
}
