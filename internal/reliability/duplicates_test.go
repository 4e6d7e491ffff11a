package reliability

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

// notTokenEndpoint keeps faults meant for the API off a token endpoint on the same server.
func notTokenEndpoint(r *http.Request) bool { return !strings.Contains(r.URL.Path, "token") }

// createOnce is how a caller creates a user safely: a create whose outcome is unknown is
// resolved by looking the user up by its unique key before sending it again.
func createOnce(ctx context.Context, h *harness, key string) error {
	for range 10 {
		err := h.create(ctx, key)
		if !errors.Is(err, usersdk.ErrOutcomeUnknown) {
			return err
		}
		found, lookupErr := h.exists(ctx, key)
		if lookupErr != nil {
			return lookupErr
		}
		if found {
			return nil // the lost answer was a success
		}
	}
	return fmt.Errorf("create %s: outcome still unknown after 10 tries", key)
}

// TestNoDuplicateWrites creates 1,000 users while the fake drops the connection after
// handling a random 20% of the creates.
func TestNoDuplicateWrites(t *testing.T) {
	const creates = 1000
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			h := fam.start(t, defaults())
			h.fake.Inject(-1, fakeserver.Fault{DropAfterHandling: true, Method: http.MethodPost, Probability: 0.2,
				Match: notTokenEndpoint})
			ctx := context.Background()
			reported := 0
			for i := range creates {
				key := fmt.Sprintf("dup-%s-%04d", fam.name, i)
				require.NoError(t, createOnce(ctx, h, key))
				reported++
			}
			h.fake.ClearFaults()
			dropped := h.fake.FaultsInjected()
			duplicates, lost := 0, 0
			for i := range creates {
				switch n := h.stored(fmt.Sprintf("dup-%s-%04d", fam.name, i)); {
				case n == 0:
					lost++
				case n > 1:
					duplicates += n - 1
				}
			}
			t.Logf("%s: %d creates, %d answers dropped after handling, %d duplicates, %d lost", fam.name, creates, dropped, duplicates, lost)
			assert.Equal(t, creates, reported)
			assert.Zero(t, duplicates)
			assert.Zero(t, lost)
			assert.Greater(t, dropped, creates/10, "the fault must actually fire")
		})
	}
}
