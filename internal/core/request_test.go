package core

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
	"golang.org/x/oauth2"
)

func TestEncodeQuery(t *testing.T) {
	active := true
	opts := struct {
		Name   string   `url:"filter[name],omitempty"`
		Active *bool    `url:"filter[active],int,omitempty"`
		IDs    []int    `url:"filter[id],comma,omitempty"`
		Logins []string `url:"login,omitempty"`
		Offset int      `url:"offset"`
	}{Name: "Mary & Co=1", Active: &active, IDs: []int{1, 2, 3}, Logins: []string{"a", "b[0]"}}
	q, err := EncodeQuery(&opts)
	require.NoError(t, err)
	vals, err := url.ParseQuery(q)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"filter[name]":   {"Mary & Co=1"},
		"filter[active]": {"1"},
		"filter[id]":     {"1,2,3"},
		"login":          {"a", "b[0]"},
		"offset":         {"0"},
	}, vals)
	empty, err := EncodeQuery(nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
}

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
