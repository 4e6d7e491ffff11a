package usersdk_test

import (
	"context"
	"log"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/readme"
)

func readmeResponse(ctx context.Context, c *backoffice.Client, id int64) error {
	// README:begin
	var resp usersdk.Response
	u, err := c.Get(usersdk.WithResponse(ctx, &resp), id)
	log.Println(resp.StatusCode, resp.RequestID, resp.Attempts, resp.RateLimit.Remaining)
	// README:end
	_ = u
	return err
}

func TestReadmeResponse(t *testing.T) {
	want, err := readme.Snippet("readme_response_test.go")
	require.NoError(t, err)
	got, err := readme.Block("README.md", "usersdk.WithResponse(ctx, &resp)")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	_ = readmeResponse // compiled, not run: it needs a real server
}
