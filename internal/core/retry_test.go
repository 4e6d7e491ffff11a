package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
	"golang.org/x/oauth2"
)

func TestRetryMatrix(t *testing.T) {
	type outcome struct {
		status int
		err    error
	}
	faults := map[string]outcome{
		"400":                {status: 400},
		"401":                {status: 401},
		"404":                {status: 404},
		"429":                {status: 429},
		"501":                {status: 501},
		"500":                {status: 500},
		"502":                {status: 502},
		"503":                {status: 503},
		"504":                {status: 504},
		"connection refused": {err: errRefused},
		"reset after send":   {err: errReset},
	}
	// attempts made with the default 3 retries, per method and fault; a status that no
	// retry can cure (400, 401, 404, 501) is sent once whatever the method
	want := map[string]map[string]int{
		"GET":    {"400": 1, "401": 1, "404": 1, "501": 1, "429": 4, "500": 1, "502": 4, "503": 4, "504": 4, "connection refused": 4, "reset after send": 4},
		"PUT":    {"400": 1, "401": 1, "404": 1, "501": 1, "429": 4, "500": 1, "502": 4, "503": 4, "504": 4, "connection refused": 4, "reset after send": 4},
		"DELETE": {"400": 1, "401": 1, "404": 1, "501": 1, "429": 4, "500": 1, "502": 4, "503": 4, "504": 4, "connection refused": 4, "reset after send": 4},
		"POST":   {"400": 1, "401": 1, "404": 1, "501": 1, "429": 1, "500": 1, "502": 1, "503": 1, "504": 1, "connection refused": 4, "reset after send": 1},
		"PATCH":  {"400": 1, "401": 1, "404": 1, "501": 1, "429": 1, "500": 1, "502": 1, "503": 1, "504": 1, "connection refused": 4, "reset after send": 1},
	}
	for method, row := range want {
		for fault, attempts := range row {
			t.Run(method+" "+fault, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					f := faults[fault]
					c, calls := mockClient(t, func(req *http.Request) (*http.Response, error) {
						if f.err != nil {
							return nil, f.err
						}
						return httpmock.NewStringResponse(f.status, `{"message":"fault"}`), nil
					})
					var body any
					if method != "GET" && method != "DELETE" {
						body = map[string]string{"login": "x"}
					}
					err := c.Do(context.Background(), &Request{Method: method, Path: "/users", Body: body}, nil)
					require.Error(t, err)
					assert.Equal(t, attempts, int(calls.Load()), "attempts")
				})
			})
		}
	}
}

func TestWriteThatMayHaveArrivedIsSentOnceAndReportedUnknown(t *testing.T) {
	for name, respond := range map[string]httpmock.Responder{
		"500":              httpmock.NewStringResponder(500, `{"message":"boom"}`),
		"504":              httpmock.NewStringResponder(504, `gateway timeout`),
		"reset after send": httpmock.NewErrorResponder(errReset),
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, calls := mockClient(t, respond)
				err := c.Do(context.Background(), &Request{Method: "POST", Path: "/users", Body: map[string]string{"login": "x"}}, nil)
				require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
				assert.Equal(t, int32(1), calls.Load())
				if name == "reset after send" {
					assert.ErrorIs(t, err, syscall.ECONNRESET, "the cause is kept")
				} else {
					var apiErr *usersdk.APIError
					require.ErrorAs(t, err, &apiErr)
				}
			})
		})
	}
}

// A DELETE retried after an attempt that may have deleted the object (its answer lost,
// or a gateway's) and then answered "not found" may have been deleted by this very call:
// the error matches ErrOutcomeUnknown as well as ErrNotFound. When no earlier attempt can
// have taken effect, or for a read, "not found" is just that.
func TestDeleteNotFoundAfterAnAttemptThatMayHaveAppliedIsUnknown(t *testing.T) {
	notFound := httpmock.NewStringResponder(404, `{"message":"no such user"}`)
	reset := httpmock.NewErrorResponder(errReset)
	// errorInSuccess says "not found" with a 200, as Revive does.
	errorInSuccess := Family{Name: "test", ErrorInSuccess: func(b []byte) bool { return string(b) == `{"unknown":true}` },
		ParseError: func(e *usersdk.APIError) bool { AlsoMatches(e, usersdk.ErrNotFound); return true }}
	for name, tc := range map[string]struct {
		method  string
		answers []httpmock.Responder // in turn, one an attempt
		family  *Family              // nil: answers parsed as ParseCommonError does
		refresh bool                 // a token cache that renews after a 401
		unknown bool
	}{
		"answer lost":                 {http.MethodDelete, []httpmock.Responder{reset, notFound}, nil, false, true},
		"gateway timeout":             {http.MethodDelete, []httpmock.Responder{httpmock.NewStringResponder(504, "gateway timeout"), notFound}, nil, false, true},
		"not found in a 200":          {http.MethodDelete, []httpmock.Responder{reset, httpmock.NewStringResponder(200, `{"unknown":true}`)}, &errorInSuccess, false, true},
		"answer lost, then a refresh": {http.MethodDelete, []httpmock.Responder{reset, httpmock.NewStringResponder(401, `{"message":"token expired"}`), notFound}, nil, true, true},
		"connection refused":          {http.MethodDelete, []httpmock.Responder{httpmock.NewErrorResponder(errRefused), notFound}, nil, false, false},
		"503, not handled":            {http.MethodDelete, []httpmock.Responder{httpmock.NewStringResponder(503, "down"), notFound}, nil, false, false},
		"rate limited":                {http.MethodDelete, []httpmock.Responder{httpmock.NewStringResponder(429, "slow down"), notFound}, nil, false, false},
		"first attempt":               {http.MethodDelete, []httpmock.Responder{notFound}, nil, false, false},
		"a read after an answer lost": {http.MethodGet, []httpmock.Responder{reset, notFound}, nil, false, false},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				family, auth := Family{Name: "test", ParseError: ParseCommonError}, Authenticator(StaticToken("tok"))
				if tc.family != nil {
					family = *tc.family
				}
				if tc.refresh {
					var n atomic.Int32
					auth = NewTokenCache(0, func(context.Context) (*oauth2.Token, error) {
						return &oauth2.Token{AccessToken: fmt.Sprint("t", n.Add(1))}, nil
					})
				}
				c, calls := familyClient(t, family, auth, sequence(tc.answers...))
				err := c.Do(t.Context(), &Request{Method: tc.method, Path: "/users/5"}, nil)
				require.ErrorIs(t, err, usersdk.ErrNotFound)
				assert.Equal(t, tc.unknown, errors.Is(err, usersdk.ErrOutcomeUnknown))
				var apiErr *usersdk.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.unknown, strings.HasSuffix(err.Error(), "; the write may have taken effect"), err.Error())
				assert.Equal(t, int32(len(tc.answers)), calls.Load()) // a 404 is not retried
			})
		})
	}
}

// A write that surely never left is a *RequestError, not an unknown outcome.
func TestWriteThatNeverLeftIsNotUnknown(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for name, tt := range map[string]struct {
		ctx      context.Context
		respond  httpmock.Responder
		cause    error
		attempts int
	}{
		"connection refused":   {context.Background(), httpmock.NewErrorResponder(errRefused), syscall.ECONNREFUSED, 4},
		"context already done": {done, httpmock.NewStringResponder(201, `{"id":1}`), context.Canceled, 0},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, calls := mockClient(t, tt.respond)
				err := c.Do(tt.ctx, &Request{Method: "POST", Path: "/users", Body: 1}, nil)
				require.Error(t, err)
				assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
				assert.ErrorIs(t, err, tt.cause)
				var re *usersdk.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.attempts, re.Attempts)
				assert.Equal(t, int32(tt.attempts), calls.Load())
			})
		})
	}
}

func TestRepeatSafeRequestIsRetriedLikeARead(t *testing.T) {
	tokenReq := func() *Request {
		return &Request{Method: http.MethodPost, URL: "https://auth.test/token", Body: map[string]string{"login": "l"}, NoAuth: true, Repeat: RepeatSafe}
	}
	t.Run("502 then 201", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, calls := mockClient(t, sequence(httpmock.NewStringResponder(502, ""), httpmock.NewStringResponder(201, `{"accessToken":"a"}`)))
			var out map[string]string
			require.NoError(t, c.Do(context.Background(), tokenReq(), &out))
			assert.Equal(t, "a", out["accessToken"])
			assert.Equal(t, int32(2), calls.Load())
		})
	})
	for _, tc := range []struct {
		name  string
		resp  httpmock.Responder
		calls int32
	}{
		{"502 every time", httpmock.NewStringResponder(502, "<html>bad gateway</html>"), 4},
		{"500 HTML", httpmock.NewStringResponder(500, "<html>oops</html>"), 1},
		{"reset after sending", httpmock.NewErrorResponder(errReset), 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, calls := mockClient(t, tc.resp)
				err := c.Do(context.Background(), tokenReq(), nil)
				require.Error(t, err)
				assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a token request creates nothing")
				assert.Equal(t, tc.calls, calls.Load())
			})
		})
	}
	t.Run("the same POST without RepeatSafe", func(t *testing.T) {
		c, calls := mockClient(t, httpmock.NewStringResponder(502, ""))
		r := tokenReq()
		r.Repeat = RepeatByMethod
		require.ErrorIs(t, c.Do(context.Background(), r, nil), usersdk.ErrOutcomeUnknown)
		assert.Equal(t, int32(1), calls.Load())
	})
}

func TestNotIdempotentPUTIsSentOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 502, Body: http.NoBody}, nil
		})
		err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/usr/new", Body: 1, Repeat: RepeatUnsafe}, nil)
		require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
		assert.Equal(t, int32(1), calls.Load())
	})
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for name, header := range map[string]func(now time.Time) string{
		"seconds":   func(time.Time) string { return "7" },
		"HTTP date": func(now time.Time) string { return now.Add(7 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		for _, method := range []string{"GET", "POST"} {
			t.Run(name+" "+method, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					var n atomic.Int32
					c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
						if n.Add(1) == 1 {
							r := httpmock.NewStringResponse(503, "")
							r.Header.Set("Retry-After", header(time.Now()))
							return r, nil
						}
						return httpmock.NewStringResponse(200, `{"ok":true}`), nil
					})
					start := time.Now()
					var out struct{ OK bool }
					require.NoError(t, c.Do(context.Background(), &Request{Method: method, Path: "/x", Body: map[string]int{}}, &out))
					assert.True(t, out.OK)
					assert.Equal(t, int32(2), calls.Load())
					// HTTP dates have whole seconds; the wait is between 6 and 7 s.
					assert.InDelta(t, 7*time.Second, time.Since(start), float64(time.Second))
				})
			})
		}
	}
}

func TestPOSTRetriedOn503WithRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			if n.Add(1) < 3 {
				r := httpmock.NewStringResponse(503, "")
				r.Header.Set("Retry-After", "1")
				return r, nil
			}
			return httpmock.NewStringResponse(201, `{"id":1}`), nil
		})
		var out struct{ ID int }
		require.NoError(t, c.Do(context.Background(), &Request{Method: "POST", Path: "/x", Body: 1}, &out))
		assert.Equal(t, 1, out.ID)
		assert.Equal(t, int32(3), calls.Load())
	})
}

func TestRetryAfterBeyondCapFailsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(429, `{"message":"rate limit","status":"rate_limit_exceeded"}`)
			r.Header.Set("Retry-After", "3600")
			r.Header.Set("X-RateLimit-Limit", "1000")
			r.Header.Set("X-RateLimit-Remaining", "0")
			return r, nil
		})
		start := time.Now()
		err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"}, nil)
		assert.Zero(t, time.Since(start), "no wait")
		assert.Equal(t, int32(1), calls.Load())
		var rl *usersdk.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.ErrorIs(t, err, usersdk.ErrRateLimited)
		assert.Equal(t, start.Add(time.Hour), rl.Reset)
		assert.Equal(t, 1000, rl.Limit)
		assert.Equal(t, 0, rl.Remaining)
		assert.Equal(t, "rate_limit_exceeded", rl.Code)
		var apiErr *usersdk.APIError
		require.ErrorAs(t, err, &apiErr, "a rate-limit error is an API error too")
		got, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, 0, got.Remaining)
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"0":                             0,
		"120":                           2 * time.Minute,
		" 5 ":                           5 * time.Second,
		"Fri, 02 Jan 2026 03:05:05 GMT": time.Minute,
		"Fri, 02 Jan 2026 03:00:00 GMT": 0, // in the past
	} {
		got, ok := ParseRetryAfter(in, now)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "-1", "soon", "1.5"} {
		_, ok := ParseRetryAfter(bad, now)
		assert.False(t, ok, bad)
	}
	huge, ok := ParseRetryAfter("99999999999999", now)
	assert.True(t, ok)
	assert.Equal(t, 365*24*time.Hour, huge, "absurd values are bounded")
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := &Client{waitMin: time.Second, waitMax: 5 * time.Second}
	for n := 1; n <= 40; n++ {
		ceil := min(time.Second<<min(n-1, 30), 5*time.Second)
		for range 50 {
			d := c.backoff(n)
			require.Greater(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceil, "attempt %d", n)
		}
	}
	zero := &Client{}
	assert.Zero(t, zero.backoff(3))
}

func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, httpmock.NewStringResponder(503, `{"message":"down"}`), WithRetry(5, 10*time.Second, time.Minute))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		start := time.Now()
		go func() { done <- c.Do(ctx, &Request{Method: "GET", Path: "/x"}, nil) }()
		synctest.Wait() // the first attempt failed and the client is waiting
		require.Equal(t, int32(1), calls.Load())
		cancel()
		err := <-done
		assert.Less(t, time.Since(start), time.Millisecond)
		require.ErrorIs(t, err, context.Canceled)
		var apiErr *usersdk.APIError
		require.ErrorAs(t, err, &apiErr, "the last answer is kept")
		assert.Equal(t, "down", apiErr.Message)
	})
}

func TestExhaustedRetriesKeepLastErrorBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		c, _ := mockClient(t, func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(503, fmt.Sprintf(`{"message":"attempt %d"}`, n.Add(1))), nil
		})
		err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x"}, nil)
		var apiErr *usersdk.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "attempt 4", apiErr.Message)
		assert.Equal(t, 4, apiErr.Attempts)
		assert.NotContains(t, err.Error(), "giving up")
	})
}

func TestWaitPastTheDeadlineFailsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(503, `{"message":"maintenance"}`)
			resp.Header.Set("Retry-After", "30")
			return resp, nil
		}, WithRetry(3, time.Second, time.Minute))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/x"}, nil)
		assert.Equal(t, time.Duration(0), time.Since(start), "no sleep until the deadline")
		var apiErr *usersdk.APIError
		require.ErrorAs(t, err, &apiErr, "the error that caused the wait")
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, "maintenance", apiErr.Message)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, int32(1), calls.Load())

		// A wait that fits is still made.
		ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
		defer cancel2()
		_ = c.Do(ctx2, &Request{Method: http.MethodGet, Path: "/x"}, nil)
		assert.Equal(t, int32(3), calls.Load(), "one wait of 30 s fits in a minute, a second does not")
	})
}

func TestTransportFailureWaitPastTheDeadline(t *testing.T) {
	// Backoff is jittered, so a wait may or may not fit; either way the call must end
	// before the deadline with the transport error, never sleep into the deadline.
	synctest.Test(t, func(t *testing.T) {
		c, _ := mockClient(t, httpmock.NewErrorResponder(errReset), WithRetry(3, 10*time.Second, 10*time.Second))
		for range 20 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			start := time.Now()
			err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/x"}, nil)
			cancel()
			var reqErr *usersdk.RequestError
			require.ErrorAs(t, err, &reqErr)
			assert.ErrorIs(t, err, errReset)
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 5*time.Second)
		}
	})
}
