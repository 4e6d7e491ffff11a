package clientuser_test

import (
	"testing"

	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// What clientuser shares with extensionuser (the client, its errors, auth, rate limits
// and paging, the fake, the shape of the recordings) is tested once, in package
// telphintest, and run here against this package's client, testdata and fake.
func TestShared(t *testing.T) { telphintest.ClientUser.Run(t, telphintest.ExtensionUser.Twin()) }

// FuzzListBody is the shared list target, seeded with this package's recorded list.
// FuzzGetBody and FuzzErrorBody run in internal/telphin, each input against both packages.
func FuzzListBody(f *testing.F) { telphintest.ClientUser.FuzzListBody(f) }
