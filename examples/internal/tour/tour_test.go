package tour

import (
	"bytes"
	"context"
	"os"
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
	{"telphin", func(ctx context.Context, w *bytes.Buffer, env Env) error { return Telphin(ctx, w, env) },
		[]string{"built-in fake", "one OAuth token", "created client-level user", "1 found", "updated only the status: blocked",
			"rate limit:", "retried the read", "deleted client user", "created internal-number user", "updated only the access: read_only",
			"deleted internal-number user", "with 1 token request"}},
	{"clientuser", func(ctx context.Context, w *bytes.Buffer, env Env) error { return ClientUser(ctx, w, env) },
		[]string{"built-in fake", "created client-level user", "1 found", "retried the read", "deleted client user", "ErrNotFound"}},
	{"extensionuser", func(ctx context.Context, w *bytes.Buffer, env Env) error { return ExtensionUser(ctx, w, env) },
		[]string{"built-in fake", "created internal-number user", "1 found", "updated only the access", "retried the read", "deleted internal-number user", "ErrNotFound"}},
	{"iotuser", func(ctx context.Context, w *bytes.Buffer, env Env) error { return Iotuser(ctx, w, env) },
		[]string{"built-in fake", "created user", "1 found", `data {"team":"quickstart"}`, "status disabled", "data kept",
			"assigned network", "unassigned", "0 allowed", "refreshed it (1 refresh)", "retried the read", "deleted user", "ErrNotFound"}},
}

// TestDocsNameEveryVariable keeps the programs' doc comments and the README in step with
// the variables the tours read.
func TestDocsNameEveryVariable(t *testing.T) {
	quickstart, err := os.ReadFile("../../quickstart/main.go")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	for _, vars := range [][]string{BackofficeEnv, TelphinEnv, AccountuserEnv, IotuserEnv} {
		for _, v := range vars {
			assert.Contains(t, string(quickstart), v, "quickstart doc")
			assert.Contains(t, string(readme), v, "README")
		}
	}
}
