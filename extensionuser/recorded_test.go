package extensionuser_test

import (
	"testing"

	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// Sessions recorded with USERSDK_RECORD under testdata/recorded/<session>/ (fake/ is the
// example program against the fake) replay through the client and hold the fake to them.
var recorded = telphintest.ExtensionUser.Recorded()

func TestRecorded(t *testing.T) { recorded.Test(t) }
