package accountuser_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// Sessions recorded with USERSDK_RECORD under testdata/recorded/<session>/ (fake/ is the
// example program against the fake) replay through the client and hold the fake to them.
var recorded = fixture.Suite{
	Replay: func(t testing.TB, s fixture.Recording, hc *http.Client) *fixture.Calls {
		prefix, pub := revivePaths(s)
		opts := []accountuser.Option{accountuser.WithBaseURL(fixture.ReplayURL + prefix),
			accountuser.WithBasicAuth("replay", "replay"), accountuser.WithHTTPClient(hc)}
		// The options of an installation that differs from the docs show on the wire.
		if slices.ContainsFunc(s.Exchanges, func(ex *fixture.Exchange) bool { return ex.Request.Method == http.MethodPut }) {
			opts = append(opts, accountuser.WithPUT())
		}
		if slices.ContainsFunc(s.Exchanges, func(ex *fixture.Exchange) bool {
			return strings.HasPrefix(ex.Request.Headers["Content-Type"], "application/json")
		}) {
			opts = append(opts, accountuser.WithJSONContentType())
		}
		if pub {
			opts = append(opts, accountuser.WithPubListPath())
		}
		c := fuzzkit.New(t, accountuser.New, opts...)
		id := func(r *http.Request) accountuser.ID { return accountuser.ID(fixture.PathID(r, "id")) }
		create := fixture.Body(func(ctx context.Context, _ *http.Request, in *accountuser.CreateRequest) error {
			_, err := c.Create(ctx, in)
			return err
		})
		list := func(ctx context.Context, r *http.Request) error {
			_, err := c.ListByAccount(ctx, id(r))
			return err
		}
		update := fixture.Body(func(ctx context.Context, r *http.Request, in *accountuser.UpdateRequest) error {
			_, err := c.Update(ctx, id(r), in)
			return err
		})
		return fixture.NewCalls().StripPrefix(prefix).
			Handle("POST /usr/new", create).Handle("PUT /usr/new", create).
			Handle("GET /usr/acc/{id}", list).Handle("GET /pub/usr/acc/{id}", list).
			Handle("GET /usr/{id}", func(ctx context.Context, r *http.Request) error {
				_, err := c.Get(ctx, id(r))
				return err
			}).
			Handle("POST /usr/{id}", update).Handle("PUT /usr/{id}", update).
			Handle("DELETE /usr/{id}", func(ctx context.Context, r *http.Request) error {
				return c.Delete(ctx, id(r))
			})
	},
	Fake: func(t testing.TB, s fixture.Recording) (string, []fixture.ContractOption) {
		fake := accountusertest.NewServer()
		t.Cleanup(fake.Close)
		prefix, pub := revivePaths(s)
		fake.SetPubListPath(pub)
		fake.AddAccount(sessionAccounts(s)...) // accounts exist before a session starts
		user, pass := fake.Credentials()
		return fake.URL, []fixture.ContractOption{fixture.WithStripPrefix(prefix),
			fixture.WithHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))}
	},
}

// revivePaths returns the path of the base URL the session was recorded with, and whether
// it lists users at /pub/usr/acc/.
func revivePaths(s fixture.Recording) (prefix string, pub bool) {
	return strings.TrimSuffix(s.Prefix("/usr/"), "/pub"), strings.HasSuffix(s.Prefix("/usr/acc/"), "/pub")
}

// sessionAccounts returns the accounts the session's requests name.
func sessionAccounts(s fixture.Recording) []accountuser.ID {
	var ids []accountuser.ID
	for _, ex := range s.Exchanges {
		var body struct {
			DefaultAccountID accountuser.ID `json:"defaultAccountId"`
		}
		if json.Unmarshal(ex.Request.Body, &body) == nil && body.DefaultAccountID > 0 {
			ids = append(ids, body.DefaultAccountID)
		}
	}
	for _, n := range s.PathIDs("/usr/acc/") {
		ids = append(ids, accountuser.ID(n))
	}
	return ids
}

func TestRecorded(t *testing.T) { recorded.Test(t) }
