package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

func TestDecodeListShapes(t *testing.T) {
	cases := map[string][]int{
		`[{"id":1},{"id":2}]`:           {1, 2},
		`[]`:                            {},
		`null`:                          {},
		`{"data":[{"id":3}],"total":1}`: {3},
		`{"total":2,"meta":{"x":[9]},"users":[{"id":4},{"id":5}]}`: {4, 5},
		`{"meta":{"a":1},"rows":[{"id":6}]}`:                       {6}, // no known key: the first array
		`{"items":{"not":"a list"},"results":[{"id":7}]}`:          {7},
	}
	for in, want := range cases {
		got := []int{}
		err := decodeList(strings.NewReader(in), wrapKeys, func(dec *json.Decoder) error {
			var v struct{ ID int }
			if err := dec.Decode(&v); err != nil {
				return err
			}
			got = append(got, v.ID)
			return nil
		})
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{``, `"str"`, `{"count":1}`, `[{"id":1},`, `{"data":[1,2}`} {
		err := decodeList(strings.NewReader(bad), wrapKeys, func(dec *json.Decoder) error {
			var v any
			return dec.Decode(&v)
		})
		assert.Error(t, err, bad)
	}
}

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

func TestSegmentStaysOneSegment(t *testing.T) {
	for in, want := range map[string]string{
		"@me":          "@me",
		"42":           "42",
		"../1":         "..%2F1",
		"a/b":          "a%2Fb",
		"..":           "%2E%2E",
		".":            "%2E",
		"a?b#c":        "a%3Fb%23c",
		"100%":         "100%25",
		"пользователь": "%D0%BF%D0%BE%D0%BB%D1%8C%D0%B7%D0%BE%D0%B2%D0%B0%D1%82%D0%B5%D0%BB%D1%8C",
	} {
		got := Segment(in)
		assert.Equal(t, want, got, in)
		u, err := url.Parse("https://h/c/" + got + "/u")
		require.NoError(t, err)
		assert.Equal(t, 3, strings.Count(u.EscapedPath(), "/"), in)
	}
	_, err := PathSegment("clientID", " ")
	assert.ErrorIs(t, err, usersdk.ErrInvalidInput)
}

type secretReq struct {
	Login       string
	Password    string `json:"password"`
	OldPassword *string
	Key         string `json:"client_secret"`
	Note        string
}

func TestRedaction(t *testing.T) {
	old := "old-pw"
	r := secretReq{Login: "ann", Password: "pw-1", OldPassword: &old, Key: "k-1", Note: "n"}
	s := RedactString(r)
	assert.Equal(t, "secretReq{Login:ann Password:[REDACTED] OldPassword:[REDACTED] Key:[REDACTED] Note:n}", s)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "req", RedactLogValue(r))
	for _, secret := range []string{"pw-1", "old-pw", "k-1"} {
		assert.NotContains(t, buf.String(), secret)
	}
	assert.Contains(t, buf.String(), `"Login":"ann"`)
	assert.Equal(t, `secretReq{Login: Password:"" OldPassword:"" Key:"" Note:}`, RedactString(secretReq{}))

	u, _ := url.Parse("https://user:pw@h/p?token=abc&q=1")
	assert.Equal(t, "https://%5BREDACTED%5D@h/p?q=1&token=%5BREDACTED%5D", RedactURL(u))
	assert.Equal(t, Redacted, fmt.Sprint(StaticToken("abc")))
	assert.NotContains(t, fmt.Sprintf("%+v %#v", &Basic{User: "u", Password: "pw"}, &Basic{User: "u", Password: "pw"}), "pw}")
}

func TestCheckURL(t *testing.T) {
	ok := []struct {
		url         string
		creds, insc bool
	}{
		{"https://api.example.com", true, false},
		{"http://localhost:8080", true, false},
		{"http://127.0.0.1", true, false},
		{"http://[::1]:80", true, false},
		{"http://example.com", false, false},
		{"http://example.com", true, true},
	}
	for _, c := range ok {
		assert.NoError(t, checkURL(c.url, c.creds, c.insc), c.url)
	}
	for _, bad := range []string{"http://example.com", "ftp://x", "https://", "::", "https://u:p@h"} {
		assert.Error(t, checkURL(bad, true, false), bad)
	}
}

func TestRawJSONIsPrintedAsText(t *testing.T) {
	r := struct {
		Data     json.RawMessage
		Password string
	}{Data: json.RawMessage(`{"a":1}`), Password: "x"}
	assert.Equal(t, `{Data:{"a":1} Password:[REDACTED]}`, RedactString(r))
}

func TestAlsoMatches(t *testing.T) {
	e := &usersdk.APIError{StatusCode: 403}
	AlsoMatches(e, usersdk.ErrConflict)
	assert.ErrorIs(t, e, usersdk.ErrConflict)
	assert.ErrorIs(t, e, usersdk.ErrForbidden)
	assert.NotErrorIs(t, e, usersdk.ErrNotFound)
}

func TestParseCommonErrorShapes(t *testing.T) {
	for body, want := range map[string][2]string{
		`{"message":"Record not found"}`:                                    {"", "Record not found"},
		`{"message":"x","status":"access_denied"}`:                          {"access_denied", "x"},
		`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`: {"Exception", "Unknown agencyId Error"},
		`{"error":{"type":7,"message":"numeric type"}}`:                     {"7", "numeric type"},
		`{"error":404,"message":"Not found"}`:                               {"", "Not found"},
		`{"error":"invalid_client"}`:                                        {"", "invalid_client"},
		`{"errors":[{"field":"email","message":"bad","code":12}]}`:          {"12", "email: bad"},
		`{"message":5}`: {"", "5"},
	} {
		e := &usersdk.APIError{Body: []byte(body)}
		ParseCommonError(e)
		assert.Equal(t, want, [2]string{e.Code, e.Message}, body)
	}
}

func TestDecodeErrorNamesTheFullPath(t *testing.T) {
	c := &Client{base: "https://h/api", maxBody: 10}
	err := c.decodeError(&Request{Method: "GET", Path: "/usr/1"}, usersdk.ErrResponseTooLarge)
	assert.Equal(t, "GET /api/usr/1: response body too large (limit 10 bytes)", err.Error())
}

// wrapKeys are list keys as a family that wraps its lists would give them.
var wrapKeys = []string{"data", "items", "users", "results", "records", "list"}
