package recorder

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar names the environment variable [FromEnv] reads: the directory recordings go to.
const EnvVar = "USERSDK_RECORD"

// FromEnv returns a Transport that records into $USERSDK_RECORD/api, wrapping base (or
// [http.DefaultTransport] when base is nil), when USERSDK_RECORD is set; otherwise it
// returns base unchanged, nil included. api names the subdirectory, one per API
// ("backoffice", "iotuser", …); it must be a plain name. The directory is created at once,
// so that a bad USERSDK_RECORD fails before any request. Errors that keep an exchange from
// being recorded are printed to standard error (opts may replace that with
// [WithErrorHandler]). The result is a *Transport when recording.
func FromEnv(api string, base http.RoundTripper, opts ...Option) (http.RoundTripper, error) {
	if api == "" || api == "." || api == ".." || strings.ContainsAny(api, `/\`) || filepath.Base(api) != api {
		return nil, fmt.Errorf("recorder: api %q must be a plain directory name", api)
	}
	root := os.Getenv(EnvVar)
	if root == "" {
		return base, nil
	}
	dir := filepath.Join(root, api)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recorder: %s: %w", EnvVar, err)
	}
	all := append([]Option{
		WithTransport(base),
		WithErrorHandler(func(err error) { fmt.Fprintln(os.Stderr, err) }),
	}, opts...)
	return New(dir, all...), nil
}
