package core

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"testing/synctest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

func TestErrorsAreDistinct(t *testing.T) {
	statuses := map[int]error{400: usersdk.ErrInvalidInput, 401: usersdk.ErrUnauthorized, 403: usersdk.ErrForbidden, 404: usersdk.ErrNotFound, 409: usersdk.ErrConflict, 422: usersdk.ErrInvalidInput, 429: usersdk.ErrRateLimited}
	all := []error{usersdk.ErrInvalidInput, usersdk.ErrUnauthorized, usersdk.ErrForbidden, usersdk.ErrNotFound, usersdk.ErrConflict, usersdk.ErrRateLimited, usersdk.ErrOutcomeUnknown}
	for status, sentinel := range statuses {
		e := &usersdk.APIError{StatusCode: status}
		for _, s := range all {
			assert.Equal(t, s == sentinel, errors.Is(e, s), "%d vs %v", status, s)
		}
	}
	assert.False(t, errors.Is(&usersdk.APIError{StatusCode: 500}, usersdk.ErrNotFound))
}

func TestAlsoMatches(t *testing.T) {
	e := &usersdk.APIError{StatusCode: 403}
	AlsoMatches(e, usersdk.ErrConflict)
	assert.ErrorIs(t, e, usersdk.ErrConflict)
	assert.ErrorIs(t, e, usersdk.ErrForbidden)
	assert.NotErrorIs(t, e, usersdk.ErrNotFound)
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

func TestDecodeErrorNamesTheFullPath(t *testing.T) {
	c := &Client{base: "https://h/api", maxBody: 10}
	err := c.decodeError(&Request{Method: "GET", Path: "/usr/1"}, usersdk.ErrResponseTooLarge)
	assert.Equal(t, "GET /api/usr/1: response body too large (limit 10 bytes)", err.Error())
}

// A write answered 2xx with an answer that cannot be used is outcome-unknown, and its
// error counts every attempt: here a 503 with Retry-After, then the 201.
func TestUnusableWriteAnswerCountsEveryAttempt(t *testing.T) {
	refused := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusServiceUnavailable, "")
		resp.Header.Set("Retry-After", "0")
		return resp, nil
	}
	created := func(body io.Reader) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(http.StatusCreated, "")
			resp.Body = io.NopCloser(body)
			return resp, nil
		}
	}
	post := &Request{Method: http.MethodPost, Path: "/users", Body: 1}
	errorInSuccess := Family{Name: "test", ParseError: ParseCommonError, ErrorInSuccess: func([]byte) bool { return false }}
	for name, call := range map[string]func(t *testing.T) error{
		"undecodable": func(t *testing.T) error {
			c, _ := mockClient(t, sequence(refused, created(strings.NewReader(`{"id":`))))
			return c.Do(t.Context(), post, new(map[string]any))
		},
		"no object": func(t *testing.T) error {
			c, _ := mockClient(t, sequence(refused, created(strings.NewReader(`{}`))))
			_, err := Object(t.Context(), c, post, func(m *map[string]any) bool { return len(*m) > 0 })
			return err
		},
		"unreadable, read ahead": func(t *testing.T) error {
			c, _ := familyClient(t, errorInSuccess, nil, sequence(refused, created(iotest.ErrReader(errors.New("reset")))))
			return c.Do(t.Context(), post, new(map[string]any))
		},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var unknown *usersdk.OutcomeUnknownError
				require.ErrorAs(t, call(t), &unknown)
				assert.Equal(t, 2, unknown.Attempts)
				assert.Equal(t, "https://api.test/users", unknown.URL)
			})
		})
	}
}
