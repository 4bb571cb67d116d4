package gateway

import "strings"

// Chat templates. GGUF files carry a Jinja template; the gateway does not run
// Jinja. It recognises the common families by their markers and renders them
// natively, and otherwise uses the plain template:
//
//	System: <system text>
//	User: <text>
//	Assistant: <text>
//	...
//	Assistant:
//
// Control markers inside templates ([INST], <|im_start|>) are tokenized as
// text: the tokenizer never produces control tokens from text.
const (
	templatePlain  = "plain"
	templateLlama2 = "llama2"
	templateChatML = "chatml"
	templateZephyr = "zephyr"
)

// templateKind names the template family of a GGUF chat template.
func templateKind(jinja string) string {
	switch {
	case strings.Contains(jinja, "<|im_start|>"):
		return templateChatML
	case strings.Contains(jinja, "[INST]"):
		return templateLlama2
	case strings.Contains(jinja, "<|user|>"):
		return templateZephyr
	}
	return templatePlain
}

func roleTitle(r string) string {
	switch r {
	case "system", "developer":
		return "System"
	case "assistant":
		return "Assistant"
	case "tool":
		return "Tool"
	}
	return "User"
}

// renderChat turns messages into a prompt in the given template family.
func renderChat(kind string, msgs []message) string {
	var b strings.Builder
	switch kind {
	case templateChatML:
		for _, m := range msgs {
			b.WriteString("<|im_start|>" + m.Role + "\n" + m.Content + "<|im_end|>\n")
		}
		b.WriteString("<|im_start|>assistant\n")
	case templateZephyr:
		for _, m := range msgs {
			role := m.Role
			if role == "developer" {
				role = "system"
			}
			b.WriteString("<|" + role + "|>\n" + m.Content + "</s>\n")
		}
		b.WriteString("<|assistant|>\n")
	case templateLlama2:
		sys := ""
		open := false
		for _, m := range msgs {
			switch m.Role {
			case "system", "developer":
				sys += m.Content
			case "assistant":
				b.WriteString(" " + m.Content + " ")
				open = false
			default:
				if !open {
					b.WriteString("[INST] ")
					open = true
				}
				if sys != "" {
					b.WriteString("<<SYS>>\n" + sys + "\n<</SYS>>\n\n")
					sys = ""
				}
				b.WriteString(m.Content + " [/INST]")
				open = false
			}
		}
	default:
		for _, m := range msgs {
			b.WriteString(roleTitle(m.Role) + ": " + m.Content + "\n")
		}
		b.WriteString("Assistant:")
	}
	return b.String()
}
