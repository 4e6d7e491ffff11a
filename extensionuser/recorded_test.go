package extensionuser_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

// Sessions recorded with USERSDK_RECORD under testdata/recorded/<session>/ (fake/ is the
// example program against the fake) replay through the client and hold the fake to them.
var recorded = fixture.Suite{
	Replay: func(t testing.TB, s fixture.Recording, hc *http.Client) *fixture.Calls {
		prefix := s.Prefix("/client/") // /api/ver1.0
		// The token request carries the recorded application id; its secret is redacted.
		c, err := extensionuser.New(extensionuser.WithBaseURL("https://replay.invalid"+prefix),
			extensionuser.WithClientCredentials(s.Value("client_id"), "replay"), extensionuser.WithHTTPClient(hc))
		require.NoError(t, err)
		return fixture.CallsUnder(c, "/client/{parent}/user/extension").StripPrefix(prefix).Implicit("POST /oauth/token")
	},
	Fake: func(t testing.TB, s fixture.Recording) (string, []fixture.ContractOption) {
		fake := extensionusertest.NewServer()
		t.Cleanup(fake.Close)
		return fake.BaseURL(), []fixture.ContractOption{fixture.WithStripPrefix(s.Prefix("/client/")),
			fixture.WithServer(extensionusertest.TokenPath, fake.URL),
			fixture.WithValue("client_id", fake.AppID()), fixture.WithSecret("client_secret", fake.Secret())}
	},
}

func TestRecordedReplay(t *testing.T)   { recorded.TestReplay(t) }
func TestRecordedContract(t *testing.T) { recorded.TestContract(t) }
func TestRecordedTampered(t *testing.T) { recorded.TestTampered(t) }
func TestRecordedRedacted(t *testing.T) { recorded.TestRedacted(t) }
