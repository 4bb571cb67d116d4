package yuma

import (
	"errors"
	"fmt"
)

// ErrInvalidInput is wrapped by every error Run and DecodeInput return for
// malformed input. The message names the offending field.
var ErrInvalidInput = errors.New("invalid epoch input")

// FieldError is a malformed-input error naming the JSON/Go field at fault.
type FieldError struct {
	Field string // e.g. "weights[3][1]"
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap makes errors.Is(err, ErrInvalidInput) true.
func (e *FieldError) Unwrap() error { return ErrInvalidInput }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func errNegativeWeight(i int, v float64) error {
	return fieldErr(fmt.Sprintf("[%d]", i), "weight %v is not a finite non-negative number", v)
}
