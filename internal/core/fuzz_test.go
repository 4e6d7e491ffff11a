package core

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	usersdk "github.com/usersdk/usersdk-go"
)

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "Fri, 02 Jan 2026 03:05:05 GMT", "Friday, 02-Jan-26 03:05:05 GMT", "-1", "1e9", " 7 ", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if !ok && d != 0 {
			t.Fatalf("%q: not ok but %v", v, d)
		}
		if d < 0 || d > 365*24*time.Hour {
			t.Fatalf("%q: wait %v out of range", v, d)
		}
		if r, ok := parseReset(v, now); ok && r.Sub(now) > 365*24*time.Hour && r.Year() < 2001 {
			t.Fatalf("%q: relative reset %v too far", v, r)
		}
	})
}

func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{`[{"id":1}]`, `{"data":[{"id":2}]}`, `null`, `[]`, `{"a":{"b":[1]},"rows":[{"id":3}]}`, `[`, `{"data":`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		err := decodeList(strings.NewReader(string(b)), wrapKeys, func(dec *json.Decoder) error {
			var v struct {
				ID int64 `json:"id"`
			}
			n++
			return dec.Decode(&v)
		})
		if err == nil {
			// The list is read as the body's first JSON value; that value must be valid.
			var first json.RawMessage
			if derr := json.NewDecoder(strings.NewReader(string(b))).Decode(&first); derr != nil {
				t.Fatalf("%q accepted as a list of %d, but its first value is invalid: %v", b, n, derr)
			}
		}
	})
}

func FuzzParseCommonError(f *testing.F) {
	for _, s := range []string{`{"message":"m","status":"access_denied"}`, `{"error":{"type":"Exception","message":"x"}}`,
		`{"error":404,"message":"Not found"}`, `{"errors":[{"field":"email","message":"bad"}]}`, `<html>`, `{"error":"invalid_client"}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e := &usersdk.APIError{StatusCode: 400, Body: b, Method: "GET", URL: "https://api.test/x"}
		ParseCommonError(e)
		msg := e.Error()
		if !strings.HasPrefix(msg, "GET /x: 400 Bad Request") {
			t.Fatalf("error text %q", msg)
		}
		if !utf8.ValidString(e.Code) && json.Valid(b) {
			t.Fatalf("code %q from valid JSON is not UTF-8", e.Code)
		}
	})
}

func FuzzEncodeQuery(f *testing.F) {
	f.Add("Mary", "foo@bar.com", "a&b=c[d]", int64(3), true)
	f.Add("", "", "", int64(0), false)
	f.Fuzz(func(t *testing.T, name, email, login string, id int64, active bool) {
		opts := struct {
			Name   string   `url:"filter[name],omitempty"`
			Email  string   `url:"filter[email],omitempty"`
			Active *bool    `url:"filter[active],int,omitempty"`
			IDs    []int64  `url:"filter[id],comma,omitempty"`
			Logins []string `url:"login,omitempty"`
		}{Name: name, Email: email, Active: &active, IDs: []int64{id, id + 1}, Logins: []string{login, name}}
		q, err := EncodeQuery(&opts)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatalf("%q does not parse: %v", q, err)
		}
		// Every value comes back whole, in its own key: nothing leaks across & = [ ].
		if name != "" && vals.Get("filter[name]") != name {
			t.Fatalf("name %q came back as %q", name, vals.Get("filter[name]"))
		}
		if email != "" && vals.Get("filter[email]") != email {
			t.Fatalf("email %q came back as %q", email, vals.Get("filter[email]"))
		}
		if got := vals["login"]; len(got) != 2 || got[0] != login || got[1] != name {
			t.Fatalf("logins %q, %q came back as %q", login, name, got)
		}
	})
}
