package reliability

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

var hostileValues = []string{"a/b", "../admin", "..", ".", "a?b=c", "a#frag", "100%", "%2F", "пользователь", "a&b=c", "x=1", "[0]", "a]b[", "sp ace", "+plus"}

// TestHostileValuesStayInPlace sends path parameters and filter values that could escape
// their place and checks where they landed on the wire.
func TestHostileValuesStayInPlace(t *testing.T) {
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			h := fam.start(t, defaults())
			// landed sends each value with send and checks the last request with whole.
			landed := func(send func(context.Context, string) error, whole func(r fakeserver.Request, v string) bool, where string) {
				for _, v := range hostileValues {
					h.fake.ResetRequests()
					_ = send(context.Background(), v)
					reqs := h.fake.Requests()
					require.NotEmpty(t, reqs, v)
					last := reqs[len(reqs)-1]
					assert.True(t, whole(last, v), "%q not found whole in the %s of %s?%s", v, where, last.Path, last.Query.Encode())
				}
			}
			if h.hostileList != nil {
				landed(h.hostileList, func(r fakeserver.Request, v string) bool {
					for _, vals := range r.Query {
						if slices.Contains(vals, v) {
							return true
						}
					}
					return false
				}, "query")
			}
			if h.hostileGet != nil {
				landed(h.hostileGet, func(r fakeserver.Request, v string) bool {
					return slices.ContainsFunc(strings.Split(r.Path, "/"), func(s string) bool {
						dec, err := url.PathUnescape(s)
						return err == nil && dec == v
					})
				}, "path segments")
			}
		})
	}
}
