package backoffice_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// Sessions recorded with USERSDK_RECORD under testdata/recorded/<session>/ (fake/ is the
// example program against the fake) replay through the client and hold the fake to them.
var recorded = fixture.Suite{
	Replay: func(t testing.TB, s fixture.Recording, hc *http.Client) *fixture.Calls {
		prefix := s.Prefix("/api/v2/users") // a base URL with a path of its own
		c := fuzzkit.New(t, backoffice.New, backoffice.WithBaseURL(fixture.ReplayURL+prefix),
			backoffice.WithToken("replay"), backoffice.WithHTTPClient(hc))
		id := func(r *http.Request) int64 { return fixture.PathID(r, "id") }
		return fixture.UserCalls("/api/v2/users", c.Create, c.List, c.Get, c.Delete).StripPrefix(prefix).
			Handle("PATCH /api/v2/users/{id}", fixture.Body(func(ctx context.Context, r *http.Request, in *backoffice.UpdateRequest) error {
				_, err := c.Patch(ctx, id(r), in)
				return err
			})).
			Handle("PUT /api/v2/users/{id}", fixture.Body(func(ctx context.Context, r *http.Request, in *backoffice.UpdateRequest) error {
				_, err := c.Update(ctx, id(r), in)
				return err
			}))
	},
	Fake: func(t testing.TB, s fixture.Recording) (string, []fixture.ContractOption) {
		fake := backofficetest.NewServer()
		t.Cleanup(fake.Close)
		return fake.URL, []fixture.ContractOption{fixture.WithStripPrefix(s.Prefix("/api/v2/users")),
			fixture.WithHeader("Authorization", "Bearer "+fake.Token())}
	},
}

func TestRecorded(t *testing.T) { recorded.Test(t) }
