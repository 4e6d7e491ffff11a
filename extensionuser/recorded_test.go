package extensionuser_test

import (
	"testing"

	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// Sessions recorded with USERSDK_RECORD under testdata/recorded/<session>/ (fake/ is the
// example program against the fake) replay through the client and hold the fake to them.
var recorded = telphintest.ExtensionUser.Recorded()

func TestRecordedReplay(t *testing.T)   { recorded.TestReplay(t) }
func TestRecordedContract(t *testing.T) { recorded.TestContract(t) }
func TestRecordedTampered(t *testing.T) { recorded.TestTampered(t) }
func TestRecordedRedacted(t *testing.T) { recorded.TestRedacted(t) }
