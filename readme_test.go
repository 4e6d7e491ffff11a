package usersdk_test

import (
	"context"
	"errors"
	"log"
	"testing"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// readmeErrors is the README's Errors snippet.
func readmeErrors(err error) {
	// README:begin
	var apiErr *usersdk.APIError
	switch {
	case errors.Is(err, usersdk.ErrNotFound): // 404
	case errors.Is(err, usersdk.ErrInvalidInput): // refused before sending (*ValidationError names the field), or 400/422
	case errors.Is(err, usersdk.ErrOutcomeUnknown): // a write may have taken effect: look it up before retrying
	case errors.As(err, &apiErr):
		log.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.Attempts)
	}
	// README:end
}

// readmeResponse is the README's Response snippet.
func readmeResponse(ctx context.Context, c *backoffice.Client, id int64) error {
	// README:begin
	var resp usersdk.Response
	u, err := c.Get(usersdk.WithResponse(ctx, &resp), id)
	log.Println(resp.StatusCode, resp.RequestID, resp.Attempts, resp.RateLimit.Remaining)
	// README:end
	_ = u
	return err
}

// The snippet functions are compiled, never called; naming them here says they are used.
var _ = []any{readmeErrors, readmeResponse, readmeAccountuser, readmeBackoffice, readmeTelphin, readmeIotuser}

// TestReadme holds every snippet in this package's readme test files (a function each) to
// the README's Go block that holds its first line, so that the README cannot drift from the
// API. The functions are compiled, not run: most need a real server.
func TestReadme(t *testing.T) { fuzzkit.ReadmeFuncs(t, "readme*_test.go", "README.md") }
