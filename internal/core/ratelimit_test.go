package core

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

func TestRateLimitResetHeaderIsHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		c, _ := mockClient(t, func(*http.Request) (*http.Response, error) {
			if n.Add(1) == 1 {
				r := httpmock.NewStringResponse(429, `{"message":"slow down"}`)
				r.Header.Set("X-RateLimit-Reset", "12")
				return r, nil
			}
			return httpmock.NewStringResponse(200, `{}`), nil
		})
		start := time.Now()
		require.NoError(t, c.Do(context.Background(), &Request{Method: "GET", Path: "/x"}, nil))
		assert.Equal(t, 12*time.Second, time.Since(start))
	})
}

func TestWriteIsNotRetriedOnRateLimitResetAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			r := &http.Response{StatusCode: 429, Header: http.Header{"X-Ratelimit-Reset": {"2"}}, Body: http.NoBody}
			return r, nil
		})
		err := c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: 1}, nil)
		require.ErrorIs(t, err, usersdk.ErrRateLimited)
		assert.Equal(t, int32(1), calls.Load())
	})
}

func TestPastRateLimitResetFallsBackToBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		c, _ := mockClient(t, func(*http.Request) (*http.Response, error) {
			if n.Add(1) == 1 {
				past := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
				return &http.Response{StatusCode: 429, Header: http.Header{"X-Ratelimit-Reset": {past}}, Body: http.NoBody}, nil
			}
			return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{}`))}, nil
		}, WithRetry(3, time.Second, time.Second))
		start := time.Now()
		require.NoError(t, c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil))
		assert.Greater(t, time.Since(start), time.Duration(0), "a past reset must not mean retrying at once")
	})
}

// hourly is a family whose 429 with code "spent" is a budget spent until the next hour.
func hourly(e *usersdk.APIError, now time.Time) (time.Time, bool) {
	if e.Code != "spent" {
		return time.Time{}, false
	}
	return now.Truncate(time.Hour).Add(time.Hour), true
}

func hourlyClient(t *testing.T, responder httpmock.Responder, opts ...Option) (*Client, *atomic.Int32) {
	t.Helper()
	return familyClient(t, Family{Name: "test", ParseError: ParseCommonError, HardRateLimit: hourly}, nil, responder, opts...)
}

func TestHardRateLimitIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 10:20:00 in the bubble's clock.
		time.Sleep(time.Until(time.Now().Truncate(time.Hour).Add(time.Hour + 20*time.Minute)))
		start := time.Now()
		c, calls := hourlyClient(t, httpmock.NewStringResponder(429, `{"message":"over","status":"spent"}`))
		err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, nil)
		var rl *usersdk.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, int32(1), calls.Load(), "retrying a spent budget only burns calls")
		assert.Equal(t, time.Duration(0), time.Since(start), "returned at once")
		assert.Equal(t, start.Add(40*time.Minute), rl.Reset, "estimated: the start of the next hour")
		assert.Equal(t, 0, rl.Remaining)

		// Later calls fail at once, sent to nobody, until the reset.
		err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/y"}, nil)
		require.ErrorAs(t, err, &rl)
		require.ErrorIs(t, err, usersdk.ErrRateLimited)
		assert.Equal(t, 0, rl.Attempts, "not sent")
		assert.Equal(t, int32(1), calls.Load())
		time.Sleep(40 * time.Minute)
		_ = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/y"}, nil)
		assert.Equal(t, int32(2), calls.Load(), "sent again after the reset")
	})
}

func TestHardRateLimitTakesTheServersReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := hourlyClient(t, func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(429, `{"message":"over","status":"spent"}`)
			resp.Header.Set("X-RateLimit-Reset", "600")
			return resp, nil
		})
		start := time.Now()
		err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, nil)
		var rl *usersdk.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, start.Add(10*time.Minute), rl.Reset)
		assert.Equal(t, int32(1), calls.Load())
	})
}

func TestOrdinary429IsStillRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := hourlyClient(t, sequence(
			httpmock.NewStringResponder(429, `{"message":"Stats request already exists, concurrent request not allowed"}`),
			httpmock.NewStringResponder(200, `{}`)))
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, nil))
		assert.Equal(t, int32(2), calls.Load())
	})
}

func spentAnswer(reset string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, `{}`)
		resp.Header.Set("X-RateLimit-Limit", "100")
		resp.Header.Set("X-RateLimit-Remaining", "0")
		resp.Header.Set("X-RateLimit-Reset", reset)
		return resp, nil
	}
}

func TestSpentBudgetHoldsLaterCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, spentAnswer("120"))
		ctx := context.Background()
		require.NoError(t, c.Do(ctx, &Request{Method: http.MethodGet, Path: "/a"}, nil), "the answer that spends the budget is a success")
		err := c.Do(ctx, &Request{Method: http.MethodPost, Path: "/b", Body: 1}, nil)
		var rl *usersdk.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "nothing was sent")
		assert.Equal(t, 100, rl.Limit)
		assert.Equal(t, int32(1), calls.Load())
		assert.Contains(t, err.Error(), "not sent")

		// A request to another service (a token endpoint) is not held back.
		require.NoError(t, c.Do(ctx, &Request{Method: http.MethodPost, URL: "https://auth.test/token", NoAuth: true, Repeat: RepeatSafe}, nil))
		assert.Equal(t, int32(2), calls.Load())

		time.Sleep(2 * time.Minute)
		require.NoError(t, c.Do(ctx, &Request{Method: http.MethodGet, Path: "/a"}, nil))
		assert.Equal(t, int32(3), calls.Load())
	})
}

// A reset in Unix milliseconds is read as such, and no answer holds calls back for more
// than an hour: held calls never reach the server, so a reset too far ahead (misread, or
// the server's mistake) would otherwise lock the client out for good.
func TestSpentBudgetHoldIsBounded(t *testing.T) {
	unix := func(d time.Duration) func() string {
		return func() string { return strconv.FormatInt(time.Now().Add(d).Unix(), 10) }
	}
	milli := func(d time.Duration) func() string {
		return func() string { return strconv.FormatInt(time.Now().Add(d).UnixMilli(), 10) }
	}
	const decade = 10 * 365 * 24 * time.Hour
	for name, tt := range map[string]struct {
		reset      func() string // X-RateLimit-Reset of a 200 with Remaining 0
		retryAfter string        // else a hard 429 with this Retry-After
		hold       time.Duration
	}{
		"Unix seconds":                   {reset: unix(2 * time.Minute), hold: 2 * time.Minute},
		"Unix milliseconds":              {reset: milli(2 * time.Minute), hold: 2 * time.Minute},
		"Unix seconds, years ahead":      {reset: unix(decade), hold: time.Hour},
		"Unix milliseconds, years ahead": {reset: milli(decade), hold: time.Hour},
		"seconds from now, a day":        {reset: func() string { return "86400" }, hold: time.Hour},
		"hard 429, Retry-After a month":  {retryAfter: "2592000", hold: time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// The bubble's clock starts in 2000, before Unix times read as such (1e9).
				time.Sleep(time.Until(time.Date(2026, 3, 1, 10, 20, 0, 0, time.UTC)))
				answer := func(*http.Request) (*http.Response, error) {
					if tt.reset != nil {
						return spentAnswer(tt.reset())(nil)
					}
					resp := httpmock.NewStringResponse(429, `{"message":"over","status":"spent"}`)
					resp.Header.Set("Retry-After", tt.retryAfter)
					return resp, nil
				}
				c, calls := hourlyClient(t, answer)
				ctx := context.Background()
				start := time.Now()
				_ = c.Do(ctx, &Request{Method: http.MethodGet, Path: "/a"}, nil)

				err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/a"}, nil)
				var rl *usersdk.RateLimitError
				require.ErrorAs(t, err, &rl)
				assert.Equal(t, 0, rl.Attempts, "held back")
				assert.Equal(t, start.Add(tt.hold), rl.Reset)
				time.Sleep(tt.hold - time.Second)
				require.ErrorAs(t, c.Do(ctx, &Request{Method: http.MethodGet, Path: "/a"}, nil), &rl)
				assert.Equal(t, int32(1), calls.Load())
				time.Sleep(time.Second)
				_ = c.Do(ctx, &Request{Method: http.MethodGet, Path: "/a"}, nil)
				assert.Equal(t, int32(2), calls.Load(), "sent again once the hold ends")
			})
		})
	}
}

func TestWithoutRateLimitCheckSendsAnyway(t *testing.T) {
	c, calls := mockClient(t, spentAnswer("120"), WithoutRateLimitCheck())
	for range 3 {
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil))
	}
	assert.Equal(t, int32(3), calls.Load())
}
