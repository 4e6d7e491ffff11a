package iotuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
)

// The targets below drive the exported client through an httpmock transport that answers
// every request with the fuzzed status and body, so they exercise the path a caller's
// request takes: retries off, auth, the size limit, decoding and the error parser.

// fuzzClient returns a client whose every request is answered from a. One client serves
// all the inputs of a target, as one client serves all the calls of a program.
func fuzzClient(t testing.TB, a *fuzzkit.Answer) *iotuser.Client {
	return fuzzkit.New(t, iotuser.New, iotuser.WithBaseURL("https://api.test/dh/rest"), iotuser.WithTokens("test-token", ""),
		iotuser.WithHTTPClient(a.HTTPClient()), iotuser.WithoutRetries())
}

// FuzzGetBody feeds any 200 body to Get (fuzzkit.CheckObject says what must hold): any
// JSON object that decodes as a user with an id and its networks is accepted.
func FuzzGetBody(f *testing.F) {
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	fuzzkit.Bodies(f, a, fuzzkit.ObjectSeeds(
		`{"id":2,"login":"mary","role":1,"status":0,"lastLogin":"2018-02-20T14:10:15.123","data":{"phone":"+1-555-0100","tags":["pilot",7,null]},"introReviewed":true,"allDeviceTypesAvailable":false,"networks":[{"id":1,"name":"Default Network","description":"Network created for the user"},{"id":3,"name":"Greenhouse sensors","description":null}]}`,
		`{"id":1,"lastLogin":"2018-02-20T14:10:15+03:00","role":7,"status":-1}`, `{"id":1,"lastLogin":"2018-02-20 14:10:15"}`,
		`{"id":1,"lastLogin":null,"data":null}`, `{"lastLogin":"9999-12-31T23:59:59.999999999-23:59"}`, `{"lastLogin":1519135815}`,
	), `{"id":3,"login":"x","networks":[]}`, func(t *testing.T, body []byte) {
		u, err := c.Get(fuzzkit.Context(t), 7)
		fuzzkit.CheckObject(t, "Get", body, u, err, func(u *iotuser.UserWithNetworks) bool { return u.ID != 0 })
	})
}

// FuzzListBody feeds any 200 body to List (fuzzkit.CheckList says what must hold).
func FuzzListBody(f *testing.F) {
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	fuzzkit.Lists(f, a, func(ctx context.Context) ([]iotuser.User, error) { return c.List(ctx, iotuser.ListOptions{}) },
		`[{"id":7,"login":"maria","role":1,"status":0,"lastLogin":null,"data":null,"introReviewed":false,"allDeviceTypesAvailable":true},{"id":2,"login":"mary","role":1,"status":0,"lastLogin":"2018-02-20T14:10:15.123","data":{"tags":["pilot",7,null]},"introReviewed":true}]`,
		`{"data":[{"id":1},{"id":2}],"total":2}`, `[{"lastLogin":"2018-02-20T14:10:15.1"},{"lastLogin":"bad"}]`)
}

// FuzzErrorBody answers Get (a read) and Create (a write) with any 4xx or 5xx status and
// body; fuzzkit.CheckAPIError says what the errors must show, DeviceHive's own error
// object (fuzzDeviceHiveError) being the vendor's. DeviceHive's "already exists" message
// matches ErrConflict whatever the status. A 401 cannot be cured without a refresh token
// or login: it ends the session, so Create is not tried after it.
func FuzzErrorBody(f *testing.F) {
	f.Add(uint16(404), false, []byte(`{"error": 404, "message": "User with id = 999 not found"}`))
	f.Add(uint16(403), false, []byte(`{"error": 403, "message": "User with such login already exists. Please, select another one"}`))
	f.Add(uint16(409), false, []byte(`{"error": 409, "message": "Posted data conflicts with internal state."}`))
	f.Add(uint16(400), false, []byte(`{"error": 400, "message": "Invalid request parameters"}`))
	f.Add(uint16(401), false, []byte(`{"error": 401, "message": "Unauthorized"}`))
	f.Add(uint16(429), false, []byte(`{"error":"Too Many Requests"}`))
	f.Add(uint16(502), true, []byte(`<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`))
	f.Add(uint16(400), false, []byte(`{"error":1e999,"message":"x"}`))
	f.Add(uint16(400), false, []byte(``))
	f.Add(uint16(500), false, []byte(`{"error":500,"message":"Internal server error"}`))
	f.Add(uint16(500), true, []byte(`{"error":500}`))
	f.Add(uint16(500), false, []byte(`{"error":500,"message":null}`))
	f.Add(uint16(500), false, []byte(`{"error":500,"message":{"a":1}}`))
	f.Add(uint16(500), false, []byte(`{"Error":500,"message":"x"}`))
	f.Add(uint16(500), false, []byte(`{"timestamp":"2018-02-20T14:10:15.123","status":500,"error":"Internal Server Error","message":"x","path":"/dh/rest/user"}`))
	f.Add(uint16(500), true, []byte(`<html><body>500 Internal Server Error</body></html>`))
	f.Add(uint16(502), false, []byte(`{"error":502,"message":"Bad gateway"}`))
	f.Add(uint16(504), false, []byte(`{"error":504,"message":"x"}`))
	f.Add(uint16(503), false, []byte(``))
	f.Add(uint16(501), false, []byte(`{"error":"x"}`))
	f.Add(uint16(507), false, []byte(`{"error":-1e999,"message":"x"} `))
	f.Fuzz(func(t *testing.T, code uint16, html bool, body []byte) {
		// A client per input: a 401 drops the session's only token for good.
		a := &fuzzkit.Answer{}
		c := fuzzClient(t, a)
		get := fuzzkit.Op{Name: "Get", Call: func(ctx context.Context) (any, error) { return c.Get(ctx, 7) }}
		create := fuzzkit.Op{Name: "Create", Write: true, Call: func(ctx context.Context) (any, error) {
			return c.Create(ctx, &iotuser.CreateRequest{Login: "l", Password: "fuzz-Password-1", Role: iotuser.Ptr(iotuser.RoleClient)})
		}}
		errs := fuzzkit.Errors{Answer: a, Vendor: fuzzDeviceHiveError, EndsSession401: true, Extra: fuzzAlreadyExists}
		errs.Check(t, code, html, body, get, create)
	})
}

// fuzzAlreadyExists checks that DeviceHive's "already exists" message matches ErrConflict.
func fuzzAlreadyExists(t *testing.T, op fuzzkit.Op, apiErr *iotuser.APIError, err error) {
	if strings.Contains(strings.ToLower(apiErr.Message), "already exists") && !errors.Is(err, iotuser.ErrConflict) {
		t.Fatalf("%s: %q does not match ErrConflict", op.Name, apiErr.Message)
	}
}

// fuzzDeviceHiveError reports whether body is DeviceHive's ErrorResponse as the server
// writes it: one JSON object, nothing after it but white space, whose "error" member is a
// number and whose "message" member is a string, null or absent. Keys are matched exactly.
func fuzzDeviceHiveError(body []byte) bool {
	obj, ok := fuzzkit.SoleValue(body).(map[string]any)
	if !ok {
		return false
	}
	if _, ok := obj["error"].(json.Number); !ok {
		return false
	}
	switch obj["message"].(type) {
	case nil, string:
		return true
	}
	return false
}

// fuzzTrunc is t in UTC cut to the millisecond, the precision of the server's form.
func fuzzTrunc(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6*1e6, time.UTC)
}

// FuzzTime checks Time, DeviceHive's zone-less timestamp. On any input ParseTime and
// UnmarshalJSON never panic, a parsed time is in UTC, and JSON decoding of a string agrees
// with ParseTime. Any time of years 0..9999 (parsed or built) round-trips through JSON to
// the millisecond, decode(encode(t)) == t cut to milliseconds, and one outside those
// years fails to encode. The server's zone-less form means UTC: it reads as the same
// instant with "Z", and with an offset it moves by that offset.
func FuzzTime(f *testing.F) {
	f.Add("2018-02-20T14:10:15.123", int64(1519135815), int64(123456789), int16(180))
	f.Add("2018-02-20T14:10:15", int64(0), int64(0), int16(0))
	f.Add("2018-02-20T14:10:15.123456789+03:00", int64(-62167219200), int64(1), int16(-59))
	f.Add("2018-02-20T14:10:15Z", int64(253402300799), int64(999999999), int16(-1439))
	f.Add("0000-01-01T00:00:00.000", int64(-62135596800), int64(0), int16(1439))
	f.Add("9999-12-31T23:59:59.999-01:00", int64(253402300800), int64(0), int16(1))
	f.Add("2018-02-30T25:61:61", int64(-1), int64(-1), int16(0))
	f.Add("2018-02-20T14:10:15,5", int64(0), int64(500000000), int16(0))
	f.Add("null", int64(0), int64(0), int16(0))
	f.Add("", int64(0), int64(0), int16(0))
	f.Fuzz(func(t *testing.T, s string, sec, nsec int64, offsetMin int16) {
		p, perr := iotuser.ParseTime(s)
		if perr == nil {
			if p.Location() != time.UTC {
				t.Fatalf("ParseTime(%q) = %v, not in UTC", s, p.Time)
			}
			fuzzRoundTrip(t, p.Time)
		} else if perr.Error() == "" {
			t.Fatalf("ParseTime(%q): error with an empty text", s)
		}
		if utf8.ValidString(s) {
			q, _ := json.Marshal(s)
			var jt iotuser.Time
			err := json.Unmarshal(q, &jt)
			if (err == nil) != (perr == nil) || err == nil && !jt.Equal(p.Time) {
				t.Fatalf("JSON %s gave %v, %v; ParseTime gave %v, %v", q, jt.Time, err, p.Time, perr)
			}
		}
		var raw iotuser.Time
		_ = raw.UnmarshalJSON([]byte(s)) // any bytes: no panic
		_ = json.Unmarshal([]byte(s), &raw)

		built := time.Unix(sec, nsec).UTC()
		fuzzRoundTrip(t, built)
		if y := built.Year(); y >= 0 && y <= 9999 {
			// The server's form reads as UTC, with "Z" as the same instant, with an offset
			// as that much earlier or later.
			form := built.Format(iotuser.TimeLayout)
			want := fuzzTrunc(built)
			m, sign := int(offsetMin%(24*60)), '+'
			off := time.Duration(m) * time.Minute
			if m < 0 {
				m, sign = -m, '-'
			}
			zone := fmt.Sprintf("%c%02d:%02d", sign, m/60, m%60)
			for suffix, w := range map[string]time.Time{"": want, "Z": want, zone: want.Add(-off)} {
				got, err := iotuser.ParseTime(form + suffix)
				if err != nil || !got.Equal(w) || got.Location() != time.UTC {
					t.Fatalf("ParseTime(%q) = %v, %v; want %v", form+suffix, got.Time, err, w)
				}
			}
		}
	})
}

// fuzzRoundTrip checks decode(encode(tm)) == tm to the millisecond.
func fuzzRoundTrip(t *testing.T, tm time.Time) {
	t.Helper()
	b, err := json.Marshal(iotuser.Time{Time: tm})
	if y := tm.UTC().Year(); y < 0 || y > 9999 {
		if err == nil {
			t.Fatalf("%v (year %d) encoded as %s", tm, y, b)
		}
		return
	}
	if err != nil {
		t.Fatalf("%v does not encode: %v", tm, err)
	}
	var back iotuser.Time
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v encoded as %s, which does not decode: %v", tm, b, err)
	}
	if want := fuzzTrunc(tm); !back.Equal(want) || (!tm.IsZero() && string(b) != "null" && back.Location() != time.UTC) {
		t.Fatalf("%v encoded as %s, decoded as %v; want %v", tm, b, back.Time, want)
	}
}

// FuzzListOptionsQuery encodes ListOptions as the client does and checks that url.ParseQuery
// gives every value back whole under its own key (nothing leaks across & = [ ] # or %),
// roles and statuses as their numbers and set zeros included, that no other key appears,
// and that List sends exactly that query. The count filters of the same options
// (CountOptions) are the list's query without sorting and paging.
func FuzzListOptionsQuery(f *testing.F) {
	f.Add("mary", "ma%", "Login", "DESC", 1, 0, 20, 40, uint8(3))
	f.Add("a&login=b", "c=d#e_%", "ID;x", "ASC[]", 0, 2, 0, 0, uint8(1))
	f.Add("", "", "", "", 0, 0, 0, 0, uint8(0))
	f.Add("\xff\x00 +", "%zz", "sideways", "up", -1, 99, -1, -5, uint8(2))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, login, pattern, sortField, sortOrder string, role, status, take, skip int, set uint8) {
		opts := iotuser.ListOptions{Login: login, LoginPattern: pattern, SortField: iotuser.SortField(sortField),
			SortOrder: iotuser.SortOrder(sortOrder), Take: take, Skip: skip}
		if set&1 != 0 {
			opts.Role = iotuser.Ptr(iotuser.Role(role))
		}
		if set&2 != 0 {
			opts.Status = iotuser.Ptr(iotuser.UserStatus(status))
		}
		filters := fuzzFilters(opts.CountOptions())
		want := maps.Clone(filters)
		for k, v := range map[string]string{"sortField": sortField, "sortOrder": sortOrder} {
			if v != "" {
				want[k] = []string{v}
			}
		}
		for k, v := range map[string]int{"take": take, "skip": skip} {
			if v != 0 {
				want[k] = []string{strconv.Itoa(v)}
			}
		}
		q := fuzzkit.Query(t, &opts, want)
		fuzzkit.Query(t, iotuser.Ptr(opts.CountOptions()), filters) // the list's query without sorting and paging
		a.CheckSent(t, `[]`, q, take >= 0 && skip >= 0, func(ctx context.Context) error { _, err := c.List(ctx, opts); return err })
	})
}

// FuzzCountOptionsQuery encodes CountOptions as the client does and checks that
// url.ParseQuery gives every filter back whole under its own key, with nothing else, and
// that Count sends exactly that query and returns the server's count.
func FuzzCountOptionsQuery(f *testing.F) {
	f.Add("mary", "ma%", 1, 0, uint8(3), int64(2))
	f.Add("a&login=b#c", "c=d[]_%", 0, 2, uint8(1), int64(0))
	f.Add("", "", 0, 0, uint8(0), int64(-1))
	f.Add("\xff\x00 +", "%zz;", -1, 1<<40, uint8(2), int64(1<<53))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, login, pattern string, role, status int, set uint8, count int64) {
		opts := iotuser.CountOptions{Login: login, LoginPattern: pattern}
		if set&1 != 0 {
			opts.Role = iotuser.Ptr(iotuser.Role(role))
		}
		if set&2 != 0 {
			opts.Status = iotuser.Ptr(iotuser.UserStatus(status))
		}
		q := fuzzkit.Query(t, &opts, fuzzFilters(opts))
		a.CheckSent(t, `{"count":`+strconv.FormatInt(count, 10)+`}`, q, true, func(ctx context.Context) error {
			n, err := c.Count(ctx, opts)
			if err == nil && n != count {
				t.Fatalf("Count(%+v) = %d; the server said %d", opts, n, count)
			}
			return err
		})
	})
}

// fuzzFilters is the query the filters should give, built without the encoder.
func fuzzFilters(o iotuser.CountOptions) url.Values {
	want := url.Values{}
	if o.Login != "" {
		want["login"] = []string{o.Login}
	}
	if o.LoginPattern != "" {
		want["loginPattern"] = []string{o.LoginPattern}
	}
	if o.Role != nil {
		want["role"] = []string{strconv.Itoa(int(*o.Role))}
	}
	if o.Status != nil {
		want["status"] = []string{strconv.Itoa(int(*o.Status))}
	}
	return want
}
