package tour

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noEnv is an empty environment: every tour runs against its fake.
func noEnv(string) string { return "" }

// TestToursAgainstFakes runs each example program's logic as `go run` would with no
// configuration, and checks that every step was taken.
func TestToursAgainstFakes(t *testing.T) {
	for _, tc := range tours {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, tc.run(context.Background(), &out, noEnv), out.String())
			for _, want := range tc.expect {
				assert.Contains(t, out.String(), want)
			}
			assert.NotContains(t, strings.ToLower(out.String()), "skipped", "against the fake nothing is skipped")
		})
	}
}

type tourCase struct {
	name   string
	run    func(context.Context, *bytes.Buffer, Env) error
	expect []string
}

var tours = []tourCase{
	{"backoffice", func(ctx context.Context, w *bytes.Buffer, env Env) error { return Backoffice(ctx, w, env) },
		[]string{"built-in fake", "created user", "1 found", "patched the name only", "retried the read", "deleted user", "ErrNotFound"}},
	{"accountuser", func(ctx context.Context, w *bytes.Buffer, env Env) error { return Accountuser(ctx, w, env) },
		[]string{"built-in fake", "created user", "ours among them: true", "active=false", "retried the read", "deleted user", "ErrNotFound"}},
}
