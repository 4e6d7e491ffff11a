package telphin_test

import (
	"testing"

	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// The bodies of Get's and of the errors' answers are read by this package's shared code
// for both clientuser and extensionuser, so each input is checked against both clients.

func FuzzGetBody(f *testing.F) { telphintest.FuzzGetBody(f) }

func FuzzErrorBody(f *testing.F) { telphintest.FuzzErrorBody(f) }
