package core

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

// sequence answers with each responder in turn, repeating the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int32
	return func(req *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		return rs[min(i, len(rs)-1)](req)
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

// vendorFamily recognises {"vendor": ...} as its own error object.
func vendorFamily(e *usersdk.APIError) bool {
	ParseCommonError(e)
	var m map[string]any
	if json.Unmarshal(e.Body, &m) != nil {
		return false
	}
	_, ok := m["vendor"]
	return ok
}

func TestVendorErrorObjectProvesARefusal(t *testing.T) {
	for _, tc := range []struct {
		status  int
		body    string
		unknown bool
	}{
		{500, `{"vendor":"x","message":"Unknown agencyId Error"}`, false},
		{500, `<html>proxy</html>`, true},
		{500, ``, true},
		{500, `{"message":"not the vendor's shape"}`, true},
		{502, `{"vendor":"x","message":"from behind a gateway"}`, true},
		{504, `{"vendor":"x"}`, true},
		{503, `<html>down</html>`, false},
		{501, ``, false},
	} {
		t.Run(strconv.Itoa(tc.status)+" "+tc.body, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(httpmock.NewStringResponder(tc.status, tc.body))
			s := NewSettings("https://api.test", nil)
			s.HTTPClient = &http.Client{Transport: mt}
			s.RetryMax = 0
			c, err := New(s, Family{Name: "test", ParseError: vendorFamily})
			require.NoError(t, err)
			err = c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/users", Body: 1}, nil)
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.unknown, errors.Is(err, usersdk.ErrOutcomeUnknown))
			// A read is never outcome-unknown.
			err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/users"}, nil)
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
		})
	}
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

func TestWithoutRateLimitCheckSendsAnyway(t *testing.T) {
	c, calls := mockClient(t, spentAnswer("120"), WithoutRateLimitCheck())
	for range 3 {
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil))
	}
	assert.Equal(t, int32(3), calls.Load())
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

func TestRedirectsThatWouldLeakARequestBody(t *testing.T) {
	var plain atomic.Int32
	plainSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain.Add(1)
	}))
	defer plainSrv.Close()
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain.Add(1)
	}))
	defer other.Close()
	for name, target := range map[string]string{"https to http": plainSrv.URL + "/token", "to another host": other.URL + "/token"} {
		t.Run(name, func(t *testing.T) {
			plain.Store(0)
			var hops atomic.Int32
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hops.Add(1)
				http.Redirect(w, r, target, http.StatusTemporaryRedirect)
			}))
			defer srv.Close()
			s := NewSettings(srv.URL, nil)
			s.HTTPClient = srv.Client()
			c, err := New(s, Family{Name: "test"})
			require.NoError(t, err)
			err = c.Do(context.Background(), &Request{Method: http.MethodPost, URL: srv.URL + "/token", NoAuth: true, Repeat: RepeatSafe,
				Form: url.Values{"client_secret": {"s3cret"}}}, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "refusing")
			assert.Equal(t, int32(0), plain.Load(), "the target received nothing")
			assert.Equal(t, int32(1), hops.Load(), "a refused redirect is not retried")
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
		})
	}
}
