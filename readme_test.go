package usersdk_test

import (
	"errors"
	"log"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/readme"
)

// readmeErrors is the README's Errors snippet; TestReadmeErrors keeps the two equal.
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

func TestReadmeErrors(t *testing.T) {
	want, err := readme.Snippet("readme_test.go")
	require.NoError(t, err)
	got, err := readme.Block("README.md", "case errors.Is(err, usersdk.ErrNotFound)")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	_ = readmeErrors
}
