// Package logging builds the one zap logger a process uses. Libraries never
// reach for a global logger: the logger built here is injected everywhere.
//
// Import rules: an internal utility; it imports nothing of this module.
package logging

import (
	"fmt"
	"io"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Formats accepted by New.
const (
	FormatJSON    = "json"
	FormatConsole = "console"
)

// New returns a logger that writes to w in the given format ("json" or
// "console") at the given level ("debug", "info", "warn", "error").
// JSON output is meant for machines (ISO8601 time, sampling on); console
// output for people.
func New(w io.Writer, format, level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(strings.ToLower(level))
	if err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	var enc zapcore.Encoder
	switch strings.ToLower(format) {
	case FormatJSON:
		ec := zap.NewProductionEncoderConfig()
		ec.EncodeTime = zapcore.ISO8601TimeEncoder
		ec.EncodeDuration = zapcore.StringDurationEncoder
		enc = zapcore.NewJSONEncoder(ec)
	case FormatConsole:
		ec := zap.NewDevelopmentEncoderConfig()
		ec.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
		ec.EncodeDuration = zapcore.StringDurationEncoder
		enc = zapcore.NewConsoleEncoder(ec)
	default:
		return nil, fmt.Errorf("log format %q: want json or console", format)
	}
	core := zapcore.NewCore(enc, zapcore.Lock(zapcore.AddSync(w)), lvl)
	if strings.ToLower(format) == FormatJSON {
		core = zapcore.NewSamplerWithOptions(core, 1e9, 100, 100)
	}
	return zap.New(core, zap.AddCaller(), zap.ErrorOutput(zapcore.AddSync(w))), nil
}
