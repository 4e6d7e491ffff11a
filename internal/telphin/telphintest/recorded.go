package telphintest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

// Recorded is the package's recorded sessions, under testdata/recorded/<session>/ (fake/
// is the example program against the fake): they replay through the client and hold the
// fake to them.
func (k Kind[Cl, U, C, P, L, O]) Recorded() fixture.Suite {
	return fixture.Suite{
		Replay: func(t testing.TB, s fixture.Recording, hc *http.Client) *fixture.Calls {
			prefix := s.Prefix("/client/") // /api/ver1.0
			// The token request carries the recorded application id; its secret is redacted.
			c := k.client(t, k.Opt.BaseURL("https://replay.invalid"+prefix),
				k.Opt.ClientCredentials(s.Value("client_id"), "replay"), k.Opt.HTTPClient(hc))
			return fixture.CallsUnder[C, P, L, U](c, "/client/{parent}/user/"+k.Segment).StripPrefix(prefix).Implicit("POST /oauth/token")
		},
		Fake: func(t testing.TB, s fixture.Recording) (string, []fixture.ContractOption) {
			fake := k.NewFake()
			t.Cleanup(fake.Close)
			host := strings.TrimSuffix(fake.TokenURL(), clientusertest.TokenPath)
			return fake.BaseURL(), []fixture.ContractOption{fixture.WithStripPrefix(s.Prefix("/client/")),
				fixture.WithServer(clientusertest.TokenPath, host),
				fixture.WithValue("client_id", fake.AppID()), fixture.WithSecret("client_secret", fake.Secret())}
		},
	}
}
