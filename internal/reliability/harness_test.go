package reliability

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

// config is what a test asks of a family's client, whatever the family's option types.
type config struct {
	retryMax         int
	maxResponseBytes int64
	logger           *slog.Logger
	httpClient       *http.Client
}

func defaults() config { return config{retryMax: 3} }

// knobs are the methods every fake's Server has (package usersdktest).
type knobs interface {
	Inject(n int, f fakeserver.Fault)
	FailNext(n, status int, retryAfter string)
	DropNext(n int)
	ClearFaults()
	SetLatency(d time.Duration)
	Requests() []fakeserver.Request
	ResetRequests()
	FaultsInjected() int
}

// createPassword is the password of the users every harness creates.
const createPassword = "Create-pw-1"

// served returns srv, closed when the test ends.
func served[S interface{ Close() }](t *testing.T, srv S) S {
	t.Cleanup(srv.Close)
	return srv
}

// harness is one family's client wired to its fake.
type harness struct {
	fake knobs
	// get reads one user that exists.
	get func(ctx context.Context) error
	// list reads a list that holds at least one user.
	list func(ctx context.Context) error
	// remove deletes the user get reads.
	remove func(ctx context.Context) error
	// create creates a user whose unique key (login or e-mail) is derived from key.
	create func(ctx context.Context, key string) error
	// exists looks a user up by the unique key derived from key.
	exists func(ctx context.Context, key string) (bool, error)
	// stored counts the users on the fake whose unique key derives from key.
	stored func(key string) int
	// expireToken makes the fake reject the credentials in use, where the family has tokens.
	expireToken func()
	// secrets are the credentials the client was given or obtained.
	secrets func() []string
	// hostileGet reads a user by a path parameter the caller controls, where the family
	// takes a string path parameter; nil otherwise.
	hostileGet func(ctx context.Context, value string) error
	// hostileList lists with a filter value the caller controls.
	hostileList func(ctx context.Context, value string) error
}

type family struct {
	name  string
	start func(t *testing.T, cfg config) *harness
}

// families are the adapters, one file each.
var families = []family{
	{name: "accountuser", start: startAccountuser},
	{name: "backoffice", start: startBackoffice},
	{name: "iotuser", start: startIotuser},
	{name: "clientuser", start: startClientuser},
	{name: "extensionuser", start: startExtensionuser},
}

// checkGoroutines fails the test if goroutines started during it are still running once
// it is over (idle connections closed first).
func checkGoroutines(t *testing.T, closeIdle func()) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		closeIdle()
		deadline := time.Now().Add(3 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond) // polling for exits, not timing behaviour
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("goroutine leak: %d before, %d after\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	})
}

// options returns a family's own options (address, credentials, retries) followed by the
// size limit, logger and HTTP client that cfg asks for.
func options[O any](cfg config, own []O, limit func(int64) O, logger func(*slog.Logger) O, hc func(*http.Client) O) []O {
	if cfg.maxResponseBytes > 0 {
		own = append(own, limit(cfg.maxResponseBytes))
	}
	if cfg.logger != nil {
		own = append(own, logger(cfg.logger))
	}
	if cfg.httpClient != nil {
		own = append(own, hc(cfg.httpClient))
	}
	return own
}

// withUsers fills in h's exists and stored from a family's own user type U, so that both
// find a user by the same rule: lookup lists the users a search for key returns, held
// returns the users on the fake, and has reports whether u has the unique key derived
// from key, compared as the family's server compares keys.
func withUsers[U any](h *harness, lookup func(ctx context.Context, key string) ([]U, error), held func() []U,
	has func(u U, key string) bool) *harness {
	h.exists = func(ctx context.Context, key string) (bool, error) {
		us, err := lookup(ctx, key)
		return slices.ContainsFunc(us, func(u U) bool { return has(u, key) }), err
	}
	h.stored = func(key string) int {
		n := 0
		for _, u := range held() {
			if has(u, key) {
				n++
			}
		}
		return n
	}
	return h
}

// errOf drops a call's result.
func errOf[T any](_ T, err error) error { return err }
