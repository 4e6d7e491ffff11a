package iotuser_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// Sessions recorded with USERSDK_RECORD under testdata/recorded/<session>/ (fake/ is the
// example program against the fake) replay through the client and hold the fake to them.
// A real installation serves the API and the token service under different paths
// (/api/rest, /auth/rest); the fake under one (/dh/rest).
var recorded = fixture.Suite{
	Replay: func(t testing.TB, s fixture.Recording, hc *http.Client) *fixture.Calls {
		base, auth := s.Prefix("/user"), s.Prefix("/token")
		// The login is not redacted, so the token request must carry the recorded one.
		c := fuzzkit.New(t, iotuser.New, iotuser.WithBaseURL(fixture.ReplayURL+base),
			iotuser.WithAuthURL(fixture.ReplayURL+auth),
			iotuser.WithLogin(s.Value("login"), "replay"), iotuser.WithHTTPClient(hc))
		id := func(r *http.Request) int64 { return fixture.PathID(r, "id") }
		return fixture.UserCalls("/user", c.Create, c.List, c.Get, c.Delete).StripPrefix(base).StripPrefix(auth).
			Implicit("POST /token", "POST /token/refresh").
			Handle("PUT /user/{id}", fixture.Body(func(ctx context.Context, r *http.Request, in *iotuser.UpdateRequest) error {
				return c.Update(ctx, id(r), in)
			})).
			Handle("PUT /user/{id}/network/{network}", func(ctx context.Context, r *http.Request) error {
				return c.AssignNetwork(ctx, id(r), fixture.PathID(r, "network"))
			})
	},
	Fake: func(t testing.TB, s fixture.Recording) (string, []fixture.ContractOption) {
		const password = "contract-Pw-1"
		fake := iotusertest.NewServer(iotusertest.WithSeparateAuth(),
			iotusertest.WithAdmin(cmp.Or(s.Value("login"), iotusertest.DefaultAdminLogin), password))
		t.Cleanup(fake.Close)
		for _, id := range s.PathIDs("/network/") { // networks exist before a session starts
			fake.AddNetwork(iotuser.Network{ID: id, Name: fmt.Sprintf("network %d", id)})
		}
		base, auth := s.Prefix("/user"), s.Prefix("/token")
		return fake.BaseURL(), []fixture.ContractOption{fixture.WithStripPrefix(base), fixture.WithStripPrefix(auth),
			fixture.WithServer(auth+"/token", fake.AuthURL()), fixture.WithSecret("password", password)}
	},
}

func TestRecorded(t *testing.T) { recorded.Test(t) }
