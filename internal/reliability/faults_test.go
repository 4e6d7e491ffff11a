package reliability

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

const html502 = `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>`

// fault is one row of the matrix: what the fake does and what the caller must see.
type fault struct {
	name  string
	cfg   func(*config)
	setup func(h *harness)
	call  func(ctx context.Context, h *harness) error
	check func(t *testing.T, err error)
}

func isClear(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	var apiErr *usersdk.APIError
	var reqErr *usersdk.RequestError
	var unknown *usersdk.OutcomeUnknownError
	known := errors.As(err, &apiErr) || errors.As(err, &reqErr) || errors.As(err, &unknown) ||
		errors.Is(err, usersdk.ErrResponseTooLarge) || strings.Contains(err.Error(), "decoding response")
	assert.True(t, known, "unclassified error %T: %v", err, err)
	assert.NotContains(t, err.Error(), "giving up")
}

func statusIs(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var apiErr *usersdk.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
	}
}

func get(ctx context.Context, h *harness) error { return h.get(ctx) }

func list(ctx context.Context, h *harness) error { return h.list(ctx) }

func create(ctx context.Context, h *harness) error { return h.create(ctx, "fault-user") }

func remove(ctx context.Context, h *harness) error { return h.remove(ctx) }

var faults = []fault{
	{name: "truncated JSON", setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{Status: 200, Body: `{"id":1,"na`})
	}, call: get, check: func(t *testing.T, err error) {
		isClear(t, err)
		assert.Contains(t, err.Error(), "decoding response")
	}},
	{name: "truncated list", setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{Status: 200, Body: `[{"id":1},{"id":`})
	}, call: list, check: func(t *testing.T, err error) { isClear(t, err) }},
	{name: "body over the limit", cfg: func(c *config) { c.maxResponseBytes = 512 }, setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{Status: 200, Body: "[" + strings.Repeat(`{},`, 400) + "{}]"})
	}, call: list, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, usersdk.ErrResponseTooLarge) }},
	{name: "200 with an HTML page", setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{Status: 200, Body: "<html><body>Welcome</body></html>", ContentType: "text/html"})
	}, call: get, check: func(t *testing.T, err error) { isClear(t, err) }},
	{name: "502 HTML from a proxy", setup: func(h *harness) {
		h.fake.Inject(10, fakeserver.Fault{Status: 502, Body: html502, ContentType: "text/html"})
	}, call: get, check: func(t *testing.T, err error) {
		statusIs(502)(t, err)
		var apiErr *usersdk.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 4, apiErr.Attempts)
		assert.Contains(t, err.Error(), "text/html")
	}},
	{name: "502 once, then the answer", setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{Status: 502, Body: html502, ContentType: "text/html"})
	}, call: get, check: func(t *testing.T, err error) { assert.NoError(t, err) }},
	{name: "reset before the answer, read", setup: func(h *harness) { h.fake.DropNext(2) },
		call: get, check: func(t *testing.T, err error) { assert.NoError(t, err, "a read is retried") }},
	{name: "reset every time, read", setup: func(h *harness) { h.fake.DropNext(10) },
		call: get, check: func(t *testing.T, err error) {
			var re *usersdk.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 4, re.Attempts)
		}},
	{name: "reset after the write was handled", setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{DropAfterHandling: true, Method: http.MethodPost})
	}, call: create, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, usersdk.ErrOutcomeUnknown) }},
	{name: "reset after the delete was handled", setup: func(h *harness) {
		h.fake.Inject(1, fakeserver.Fault{DropAfterHandling: true, Method: http.MethodDelete})
	}, call: remove, check: func(t *testing.T, err error) {
		assert.ErrorIs(t, err, usersdk.ErrNotFound, "the retry finds the user gone")
		assert.ErrorIs(t, err, usersdk.ErrOutcomeUnknown, "and this call may be what deleted it")
	}},
	{name: "delete of a user already gone", setup: func(*harness) {}, call: func(ctx context.Context, h *harness) error {
		if err := h.remove(ctx); err != nil {
			return err
		}
		return h.remove(ctx)
	}, check: func(t *testing.T, err error) {
		assert.ErrorIs(t, err, usersdk.ErrNotFound)
		assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "no attempt of this call can have deleted it")
	}},
	{name: "server stops answering", setup: func(h *harness) { h.fake.SetLatency(time.Hour) },
		call: func(ctx context.Context, h *harness) error {
			ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := h.get(ctx)
			if time.Since(start) > 2*time.Second {
				return errors.New("the deadline did not end the call")
			}
			return err
		}, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, context.DeadlineExceeded) }},
	{name: "slow body", setup: func(h *harness) { h.fake.Inject(1, fakeserver.Fault{SlowBody: 2 * time.Millisecond}) },
		call: list, check: func(t *testing.T, err error) { assert.NoError(t, err) }},
	{name: "429 storm without Retry-After, read", setup: func(h *harness) { h.fake.FailNext(10, 429, "") },
		call: get, check: func(t *testing.T, err error) {
			var rl *usersdk.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, 4, rl.Attempts)
		}},
	{name: "429 storm without Retry-After, write", setup: func(h *harness) { h.fake.FailNext(10, 429, "") },
		call: create, check: func(t *testing.T, err error) {
			var rl *usersdk.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, 1, rl.Attempts, "a write without Retry-After is not retried")
		}},
	{name: "429 with Retry-After 0, write", setup: func(h *harness) { h.fake.FailNext(2, 429, "0") },
		call: create, check: func(t *testing.T, err error) { assert.NoError(t, err, "the server said it did not process it") }},
	{name: "429 asking for an hour", setup: func(h *harness) { h.fake.FailNext(10, 429, "3600") },
		call: get, check: func(t *testing.T, err error) {
			var rl *usersdk.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, 1, rl.Attempts)
			assert.WithinDuration(t, time.Now().Add(time.Hour), rl.Reset, time.Minute)
		}},
	{name: "token expires mid-run", setup: func(h *harness) {
		if h.expireToken != nil {
			h.expireToken()
		}
	}, call: func(ctx context.Context, h *harness) error {
		if err := h.get(ctx); err != nil {
			return err
		}
		if h.expireToken != nil {
			h.expireToken()
		}
		return h.list(ctx)
	}, check: func(t *testing.T, err error) { assert.NoError(t, err) }},
}

func TestFaultMatrix(t *testing.T) {
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			tried := 0
			for _, f := range faults {
				t.Run(f.name, func(t *testing.T) {
					cfg := defaults()
					cfg.httpClient = core.DefaultHTTPClient()
					if f.cfg != nil {
						f.cfg(&cfg)
					}
					checkGoroutines(t, cfg.httpClient.CloseIdleConnections)
					h := fam.start(t, cfg)
					// Credentials are obtained first: the faults are meant for the API calls.
					require.NoError(t, h.get(context.Background()), "warm-up")
					h.fake.ResetRequests()
					f.setup(h)
					var err error
					require.NotPanics(t, func() { err = f.call(context.Background(), h) })
					f.check(t, err)
					h.fake.SetLatency(0)
					h.fake.ClearFaults()
					tried++
				})
			}
			t.Logf("%s: %d faults tried", fam.name, tried)
		})
	}
}
