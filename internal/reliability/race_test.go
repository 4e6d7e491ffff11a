package reliability

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	usersdk "github.com/usersdk/usersdk-go"
)

// TestSharedClientUnderRace shares one client of each family across 100 goroutines while
// the fake's tokens expire three times, a quarter of the run apart; run with -race.
func TestSharedClientUnderRace(t *testing.T) {
	const goroutines, perG = 100, 10
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			h := fam.start(t, defaults())
			var failures, done, expiries atomic.Int32
			var expireMu sync.Mutex
			expired := 0
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Go(func() {
					for i := range perG {
						before := expiries.Load()
						var err error
						switch i % 3 {
						case 0:
							err = h.get(context.Background())
						case 1:
							err = h.list(context.Background())
						default:
							err = createOnce(context.Background(), h, fmt.Sprintf("race-%d-%d", g, i))
						}
						// A call renews a rejected token once. Only when the server
						// revoked every token twice while this call was under way (it
						// waited out a whole quarter of the run) may it end in a 401.
						if err != nil && !(expiries.Load()-before >= 2 && errors.Is(err, usersdk.ErrUnauthorized)) {
							failures.Add(1)
							t.Log(err)
						}
						if n := done.Add(1); n%(goroutines*perG/4) == 0 && h.expireToken != nil {
							expireMu.Lock()
							h.expireToken()
							expired++
							expiries.Add(1)
							expireMu.Unlock()
						}
					}
				})
			}
			wg.Wait()
			assert.Zero(t, failures.Load())
			if h.expireToken != nil {
				assert.Equal(t, 4, expired)
			}
		})
	}
}
