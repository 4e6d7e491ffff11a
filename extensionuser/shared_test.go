package extensionuser_test

import (
	"testing"

	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// The client, errors, auth, rate limits, paging and fake this package shares with
// clientuser are tested once, in package telphintest; this runs that suite with
// extensionuser's client, its testdata and its fake (extensionusertest).
func TestShared(t *testing.T) { telphintest.ExtensionUser.Run(t, telphintest.ClientUser.Twin()) }

// FuzzListBody is the shared list target, seeded with this package's recorded list.
// FuzzGetBody and FuzzErrorBody run in internal/telphin, each input against both packages.
func FuzzListBody(f *testing.F) { telphintest.ExtensionUser.FuzzListBody(f) }
