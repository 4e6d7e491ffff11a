package core

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	usersdk "github.com/usersdk/usersdk-go"
)

// numbered answers with status, X-Request-Id "req-<n>" and a falling X-RateLimit-Remaining.
func numbered(statuses ...int) httpmock.Responder {
	var n atomic.Int32
	return func(*http.Request) (*http.Response, error) {
		i := int(n.Add(1))
		resp := httpmock.NewStringResponse(statuses[min(i, len(statuses))-1], `{}`)
		resp.Header.Set("X-Request-Id", "req-"+strconv.Itoa(i))
		resp.Header.Set("X-RateLimit-Limit", "100")
		resp.Header.Set("X-RateLimit-Remaining", strconv.Itoa(100-i))
		return resp, nil
	}
}

func TestWithResponseHoldsTheFinalAnswerAfterRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, _ := mockClient(t, numbered(503, 502, 200))
		var got usersdk.Response
		ctx := usersdk.WithResponse(context.Background(), &got)
		require.NoError(t, c.Do(ctx, &Request{Method: http.MethodGet, Path: "/x"}, nil))
		assert.Equal(t, 200, got.StatusCode)
		assert.Equal(t, 3, got.Attempts)
		assert.Equal(t, "req-3", got.RequestID)
		assert.True(t, got.HasRateLimit)
		assert.Equal(t, 97, got.RateLimit.Remaining)
		assert.Equal(t, "req-3", got.Header.Get("X-Request-Id"))
	})
}

func TestWithResponseHoldsTheFinalAnswerOnFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, _ := mockClient(t, numbered(503, 404))
		var got usersdk.Response
		err := c.Do(usersdk.WithResponse(context.Background(), &got), &Request{Method: http.MethodGet, Path: "/x"}, nil)
		require.ErrorIs(t, err, usersdk.ErrNotFound)
		assert.Equal(t, 404, got.StatusCode)
		assert.Equal(t, 2, got.Attempts)
		assert.Equal(t, "req-2", got.RequestID)
	})
}

func TestWithResponseAfterACredentialRefresh(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		if req.Header.Get("Authorization") == "Bearer old" {
			resp := httpmock.NewStringResponse(401, `{"message":"Token expired"}`)
			resp.Header.Set("X-Request-Id", "rejected")
			return resp, nil
		}
		resp := httpmock.NewStringResponse(200, `{}`)
		resp.Header.Set("X-Request-Id", "accepted")
		return resp, nil
	})
	var fetches atomic.Int32
	s := NewSettings("https://api.test", nil)
	s.HTTPClient = &http.Client{Transport: mt}
	s.Auth = NewTokenCache(0, func(context.Context) (*oauth2.Token, error) {
		if fetches.Add(1) == 1 {
			return &oauth2.Token{AccessToken: "old"}, nil
		}
		return &oauth2.Token{AccessToken: "new"}, nil
	})
	c, err := New(s, Family{Name: "test"})
	require.NoError(t, err)
	var got usersdk.Response
	require.NoError(t, c.Do(usersdk.WithResponse(context.Background(), &got), &Request{Method: http.MethodGet, Path: "/x"}, nil))
	assert.Equal(t, 200, got.StatusCode)
	assert.Equal(t, "accepted", got.RequestID)
	assert.Equal(t, 1, got.Attempts, "the attempt after the refresh")
}

func TestWithResponseWhenNothingWasSent(t *testing.T) {
	c, calls := mockClient(t, spentAnswer("120"))
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil))
	got := usersdk.Response{StatusCode: 999}
	err := c.Do(usersdk.WithResponse(context.Background(), &got), &Request{Method: http.MethodGet, Path: "/a"}, nil)
	require.ErrorIs(t, err, usersdk.ErrRateLimited)
	assert.Equal(t, usersdk.Response{}, got)
	assert.Equal(t, int32(1), calls.Load())
}

// Bodies are read into pooled buffers that the next call reuses: what a call returns must
// not lie in one. Each path answers a body of the same length, so a reused buffer would
// overwrite an earlier result.
func TestResultsOutliveThePooledBody(t *testing.T) {
	bodies := map[string]string{
		"/raw":  `{"v":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`,
		"/obj":  `{"v":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}`,
		"/bad":  `{"error":{"type":"E","message":"ccccccccccccccc"}}`,
		"/next": `{"v":"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, bodies[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	for name, fam := range map[string]Family{
		"plain":          {Name: "t", ParseError: ParseCommonError},
		"ErrorInSuccess": {Name: "t", ParseError: ParseCommonError, ErrorInSuccess: func(b []byte) bool { return bytes.HasPrefix(b, []byte(`{"error"`)) }},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(NewSettings(srv.URL, nil), fam)
			require.NoError(t, err)
			ctx := context.Background()
			get := func(path string, out any) error { return c.Do(ctx, &Request{Method: http.MethodGet, Path: path}, out) }
			var raw []byte
			require.NoError(t, get("/raw", &raw))
			var obj struct{ V json.RawMessage }
			require.NoError(t, get("/obj", &obj))
			var apiErr *usersdk.APIError
			if fam.ErrorInSuccess != nil {
				require.ErrorAs(t, get("/bad", nil), &apiErr)
			}
			for range 20 {
				var next struct{ V string }
				require.NoError(t, get("/next", &next))
			}
			assert.Equal(t, bodies["/raw"], string(raw))
			assert.Equal(t, `"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`, string(obj.V))
			if apiErr != nil {
				assert.Equal(t, bodies["/bad"], string(apiErr.Body))
			}
		})
	}
}
