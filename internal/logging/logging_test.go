package logging

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

func TestJSONFormat(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	l.Debug("hidden")
	l.Info("hello", zap.Int("uid", 3), zap.Duration("took", 1500*time.Millisecond))
	_ = l.Sync()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want 1 line (debug filtered), got %d: %q", len(lines), buf.String())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil {
		t.Fatal(err)
	}
	if m["msg"] != "hello" || m["uid"] != float64(3) || m["took"] != "1.5s" {
		t.Fatalf("unexpected fields: %v", m)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z0700", m["ts"].(string)); err != nil {
		t.Fatalf("timestamp not ISO8601: %v", m["ts"])
	}
}

func TestConsoleFormatDebug(t *testing.T) {
	var buf bytes.Buffer
	l, err := New(&buf, "console", "debug")
	if err != nil {
		t.Fatal(err)
	}
	l.Debug("visible", zap.String("peer", "x"))
	_ = l.Sync()
	if !strings.Contains(buf.String(), "visible") || !strings.Contains(buf.String(), "DEBUG") {
		t.Fatalf("got %q", buf.String())
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := New(&bytes.Buffer{}, "xml", "info"); err == nil {
		t.Fatal("want error for format xml")
	}
	if _, err := New(&bytes.Buffer{}, "json", "loud"); err == nil {
		t.Fatal("want error for level loud")
	}
}
