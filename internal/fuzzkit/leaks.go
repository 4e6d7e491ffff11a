package fuzzkit

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
)

// Leaks gathers what a client lets its caller see, its debug log and the printed forms
// of its errors and values, so that a test can check that no secret shows in any of it.
type Leaks struct {
	// Logger logs at debug level into the log Check searches; give it to the client's
	// WithLogger.
	Logger *slog.Logger
	log    bytes.Buffer
	texts  []string
}

// NewLeaks returns a Leaks with an empty log.
func NewLeaks() *Leaks {
	l := &Leaks{}
	l.Logger = slog.New(slog.NewTextHandler(&l.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return l
}

// Log returns what the Logger has written so far.
func (l *Leaks) Log() string { return l.log.String() }

// Error requires err and keeps its text in every form a caller may print it (Error,
// %v, %+v, %#v) and, for an API error, its fields and the body it quotes.
func (l *Leaks) Error(t testing.TB, err error) {
	t.Helper()
	require.Error(t, err)
	l.texts = append(l.texts, err.Error())
	l.Print(err)
	var apiErr *usersdk.APIError
	if errors.As(err, &apiErr) {
		l.texts = append(l.texts, fmt.Sprintf("%+v", *apiErr), string(apiErr.Body))
	}
}

// Print keeps the %v, %+v and %#v forms of each value, and logs it as JSON.
func (l *Leaks) Print(values ...any) {
	js := slog.New(slog.NewJSONHandler(&l.log, nil))
	for _, v := range values {
		js.Info("value", "v", v)
		l.texts = append(l.texts, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v))
	}
}

// Check fails t if nothing was logged (debug logging must produce lines) or if the log
// or any text kept holds one of secrets.
func (l *Leaks) Check(t testing.TB, secrets ...string) {
	t.Helper()
	require.NotEmpty(t, l.Log(), "debug logging must produce lines")
	for _, s := range append(l.texts, l.Log()) {
		for _, secret := range secrets {
			assert.NotContains(t, s, secret)
		}
	}
}
