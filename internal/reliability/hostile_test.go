package reliability

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var hostileValues = []string{"a/b", "../admin", "..", ".", "a?b=c", "a#frag", "100%", "%2F", "пользователь", "a&b=c", "x=1", "[0]", "a]b[", "sp ace", "+plus"}

// TestHostileValuesStayInPlace sends path parameters and filter values that could escape
// their place and checks where they landed on the wire.
func TestHostileValuesStayInPlace(t *testing.T) {
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			h := fam.start(t, defaults())
			ctx := context.Background()
			if h.hostileList != nil {
				for _, v := range hostileValues {
					h.fake.ResetRequests()
					_ = h.hostileList(ctx, v)
					reqs := h.fake.Requests()
					require.NotEmpty(t, reqs, v)
					q := reqs[len(reqs)-1].Query
					found := false
					for _, vals := range q {
						for _, got := range vals {
							if got == v {
								found = true
							}
						}
					}
					assert.True(t, found, "filter value %q not found whole in %v", v, q)
				}
			}
			if h.hostileGet != nil {
				for _, v := range hostileValues {
					h.fake.ResetRequests()
					_ = h.hostileGet(ctx, v)
					reqs := h.fake.Requests()
					require.NotEmpty(t, reqs, v)
					segs := strings.Split(reqs[len(reqs)-1].Path, "/")
					found := false
					for _, s := range segs {
						if dec, err := url.PathUnescape(s); err == nil && dec == v {
							found = true
						}
					}
					assert.True(t, found, "path value %q not one segment of %s", v, reqs[len(reqs)-1].Path)
				}
			}
		})
	}
}
