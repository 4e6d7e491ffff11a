package iotuser

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func ptr[T any](v T) *T { return &v }

func utc(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
}

func TestTimeUnmarshalForms(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Time
	}{
		"server form, millis":    {`"2018-02-20T14:10:15.123"`, utc(2018, 2, 20, 14, 10, 15, 123e6)},
		"no fraction":            {`"2018-02-20T14:10:15"`, utc(2018, 2, 20, 14, 10, 15, 0)},
		"one fractional digit":   {`"2018-02-20T14:10:15.5"`, utc(2018, 2, 20, 14, 10, 15, 500e6)},
		"micros":                 {`"2018-02-20T14:10:15.123456"`, utc(2018, 2, 20, 14, 10, 15, 123456e3)},
		"nanos":                  {`"2018-02-20T14:10:15.123456789"`, utc(2018, 2, 20, 14, 10, 15, 123456789)},
		"RFC 3339 Z":             {`"2018-02-20T14:10:15Z"`, utc(2018, 2, 20, 14, 10, 15, 0)},
		"RFC 3339 with offset":   {`"2018-02-20T16:10:15.123+02:00"`, utc(2018, 2, 20, 14, 10, 15, 123e6)},
		"RFC 3339 west of UTC":   {`"2018-02-20T09:10:15-05:00"`, utc(2018, 2, 20, 14, 10, 15, 0)},
		"offset without colon":   {`"2018-02-20T16:10:15.123+0200"`, utc(2018, 2, 20, 14, 10, 15, 123e6)},
		"surrounding whitespace": {` "2018-02-20T14:10:15.123" `, utc(2018, 2, 20, 14, 10, 15, 123e6)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var got Time
			require.NoError(t, json.Unmarshal([]byte(tt.in), &got))
			assert.True(t, got.Equal(tt.want), "got %v, want %v", got.Time, tt.want)
			assert.Equal(t, time.UTC, got.Location(), "decoded times are in UTC")
		})
	}
}

func TestTimeUnmarshalNull(t *testing.T) {
	var fresh Time
	require.NoError(t, json.Unmarshal([]byte(`null`), &fresh))
	assert.True(t, fresh.IsZero())

	var u User
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"lastLogin":null}`), &u))
	assert.Nil(t, u.LastLogin, "a null lastLogin is a nil pointer")

	var holder struct {
		T Time `json:"t"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"t":null}`), &holder))
	assert.True(t, holder.T.IsZero())
}

func TestTimeUnmarshalErrors(t *testing.T) {
	for _, in := range []string{
		`""`,
		`"2018-02-20"`,
		`"2018-02-20 14:10:15.123"`,
		`"20/02/2018 14:10:15"`,
		`"2018-02-30T14:10:15.123"`,
		`"2018-02-20T14:10:15.123Zjunk"`,
		`"yesterday"`,
	} {
		t.Run(in, func(t *testing.T) {
			var got Time
			err := json.Unmarshal([]byte(in), &got)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid timestamp")
			assert.Contains(t, err.Error(), strings.Trim(in, `"`), "the error quotes the input")
			assert.True(t, got.IsZero(), "a failed decode leaves the time zero")
		})
	}
	for _, in := range []string{`1519135815123`, `true`, `{}`, `["2018-02-20T14:10:15"]`} {
		t.Run(in, func(t *testing.T) {
			var got Time
			err := json.Unmarshal([]byte(in), &got)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "must be a JSON string")
		})
	}
	_, err := ParseTime("2018-13-01T00:00:00")
	assert.ErrorContains(t, err, `"2018-13-01T00:00:00"`)
}

func TestTimeMarshal(t *testing.T) {
	plus2 := time.FixedZone("+02", 2*3600)
	tests := map[string]struct {
		in   Time
		want string
	}{
		"server form":               {Time{utc(2018, 2, 20, 14, 10, 15, 123e6)}, `"2018-02-20T14:10:15.123"`},
		"whole seconds keep .000":   {Time{utc(2018, 2, 20, 14, 10, 15, 0)}, `"2018-02-20T14:10:15.000"`},
		"converted to UTC":          {Time{time.Date(2018, 2, 20, 16, 10, 15, 123e6, plus2)}, `"2018-02-20T14:10:15.123"`},
		"truncated, not rounded":    {Time{utc(2018, 2, 20, 14, 10, 15, 999999999)}, `"2018-02-20T14:10:15.999"`},
		"zero is null":              {Time{}, `null`},
		"year 1 is not zero itself": {Time{utc(1, 1, 1, 0, 0, 0, 1e6)}, `"0001-01-01T00:00:00.001"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}

	_, err := json.Marshal(Time{utc(10000, 1, 1, 0, 0, 0, 0)})
	assert.ErrorContains(t, err, "outside 0..9999")

	// A pointer in a struct goes through the same method.
	b, err := json.Marshal(struct {
		T *Time `json:"t"`
	}{&Time{utc(2018, 2, 20, 14, 10, 15, 123e6)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"t":"2018-02-20T14:10:15.123"}`, string(b))
}

func TestTimeRoundTrip(t *testing.T) {
	for _, in := range []string{"2018-02-20T14:10:15.123", "1999-12-31T23:59:59.999", "2100-01-01T00:00:00.000"} {
		var tm Time
		require.NoError(t, json.Unmarshal([]byte(`"`+in+`"`), &tm))
		out, err := json.Marshal(tm)
		require.NoError(t, err)
		assert.Equal(t, `"`+in+`"`, string(out))
	}
	orig := Time{time.Date(2018, 2, 20, 16, 10, 15, 123456789, time.FixedZone("", 7200))}
	b, err := json.Marshal(orig)
	require.NoError(t, err)
	var back Time
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Equal(orig.Truncate(time.Millisecond)), "got %v", back.Time)
}

func TestRoleAndStatus(t *testing.T) {
	assert.Equal(t, "admin", RoleAdmin.String())
	assert.Equal(t, "client", RoleClient.String())
	assert.Equal(t, "Role(7)", Role(7).String())
	assert.Equal(t, "active", StatusActive.String())
	assert.Equal(t, "locked", StatusLocked.String())
	assert.Equal(t, "disabled", StatusDisabled.String())
	assert.Equal(t, "UserStatus(3)", UserStatus(3).String())
	assert.Equal(t, "client/locked", fmt.Sprintf("%v/%s", RoleClient, StatusLocked))

	// The wire form is the number, never the name.
	b, err := json.Marshal(struct {
		R Role       `json:"role"`
		S UserStatus `json:"status"`
	}{RoleClient, StatusDisabled})
	require.NoError(t, err)
	assert.JSONEq(t, `{"role":1,"status":2}`, string(b))

	var u User
	require.NoError(t, json.Unmarshal([]byte(`{"role":1,"status":1}`), &u))
	assert.Equal(t, RoleClient, u.Role)
	assert.Equal(t, StatusLocked, u.Status)

	require.NoError(t, json.Unmarshal([]byte(`{"role":0,"status":2}`), &u))
	assert.Equal(t, RoleAdmin, u.Role)
	assert.Equal(t, StatusDisabled, u.Status)

	assert.Error(t, json.Unmarshal([]byte(`{"role":"admin"}`), &u), "the API sends numbers")
}

// recording loads a recording and returns its request query and response body.
func recording(t *testing.T, name string) *fixture.Exchange {
	t.Helper()
	return fixture.Load(t, filepath.Join("testdata", name+".json"))
}

func TestListOptionsQuery(t *testing.T) {
	tests := map[string]struct {
		opts      any
		recording string
	}{
		"every list parameter": {ListOptions{
			Login: "mary", LoginPattern: "%ma%", Role: ptr(RoleClient), Status: ptr(StatusActive),
			SortField: SortByLogin, SortOrder: Ascending, Take: 10, Skip: 10,
		}, "list"},
		"first page":        {ListOptions{Take: 2}, "list_page1"},
		"second page":       {ListOptions{Take: 2, Skip: 2}, "list_page2"},
		"unknown sort":      {ListOptions{SortField: "Name"}, "list_bad_sort"},
		"count filters":     {CountOptions{LoginPattern: "%ma%", Role: ptr(RoleClient), Status: ptr(StatusActive)}, "count"},
		"count from a list": {ListOptions{LoginPattern: "%ma%", Role: ptr(RoleClient), Status: ptr(StatusActive), SortField: SortByID, Take: 5, Skip: 5}.CountOptions(), "count"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := query.Values(tt.opts)
			require.NoError(t, err)
			assert.Equal(t, recording(t, tt.recording).Request.Query, got)
		})
	}

	t.Run("zero value sends nothing", func(t *testing.T) {
		got, err := query.Values(ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, got)
	})
	t.Run("admin and active filters are sent as 0", func(t *testing.T) {
		got, err := query.Values(ListOptions{Role: ptr(RoleAdmin), Status: ptr(StatusActive), SortOrder: Descending, SortField: SortByID})
		require.NoError(t, err)
		assert.Equal(t, url.Values{"role": {"0"}, "status": {"0"}, "sortOrder": {"DESC"}, "sortField": {"ID"}}, got)
	})
	t.Run("core encodes the same", func(t *testing.T) {
		got, err := core.EncodeQuery(ListOptions{Role: ptr(RoleClient), Status: ptr(StatusDisabled), LoginPattern: "a_%"})
		require.NoError(t, err)
		assert.Equal(t, "loginPattern=a_%25&role=1&status=2", got)
	})
}

func TestListOptionsValidate(t *testing.T) {
	assert.NoError(t, (&ListOptions{}).Validate())
	assert.NoError(t, (&ListOptions{Take: 1, Skip: 0}).Validate())
	assert.NoError(t, (*ListOptions)(nil).Validate())

	err := (&ListOptions{Take: -1}).Validate()
	assertFieldError(t, err, "take")
	err = (&ListOptions{Skip: -1}).Validate()
	assertFieldError(t, err, "skip")
}

func TestUserDecoding(t *testing.T) {
	var users []User
	require.NoError(t, json.Unmarshal(recording(t, "list").Response.Body, &users))
	require.Len(t, users, 2)

	maria, mary := users[0], users[1]
	assert.Equal(t, int64(7), maria.ID)
	assert.Equal(t, "maria", maria.Login)
	assert.Nil(t, maria.LastLogin)
	assert.Equal(t, "null", string(maria.Data), "null data is kept as the JSON literal")
	assert.False(t, maria.IntroReviewed)
	assert.True(t, maria.AllDeviceTypesAvailable)

	assert.Equal(t, int64(2), mary.ID)
	assert.Equal(t, RoleClient, mary.Role)
	assert.Equal(t, StatusActive, mary.Status)
	require.NotNil(t, mary.LastLogin)
	assert.True(t, mary.LastLogin.Equal(utc(2018, 2, 20, 14, 10, 15, 123e6)))
	assert.JSONEq(t, `{"phone":"+1-555-0100","preferences":{"theme":"dark","units":"metric"},"tags":["pilot",7,null]}`, string(mary.Data))
	assert.True(t, mary.IntroReviewed)
	assert.False(t, mary.AllDeviceTypesAvailable)
}

func TestUserDataKeptRaw(t *testing.T) {
	// Key order, spacing and a number too big for float64 survive untouched.
	const data = `{"z": 1,  "a": 123456789012345678901234567890, "nested": {"k": [true, "x"]}}`
	in := `{"id":5,"login":"x","role":1,"status":0,"lastLogin":null,"data":` + data + `,"introReviewed":false,"allDeviceTypesAvailable":true}`

	var u User
	require.NoError(t, json.Unmarshal([]byte(in), &u))
	assert.Equal(t, data, string(u.Data))

	out, err := json.Marshal(u)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"a":123456789012345678901234567890`, "the big number is not rounded")
	assert.JSONEq(t, in, string(out))

	for _, d := range []string{`"text"`, `42`, `[1,2]`} {
		require.NoError(t, json.Unmarshal([]byte(`{"data":`+d+`}`), &u))
		assert.Equal(t, d, string(u.Data), "data of any JSON type is kept")
	}
}

func TestUserWithNetworks(t *testing.T) {
	body := recording(t, "get").Response.Body
	var u UserWithNetworks
	require.NoError(t, json.Unmarshal(body, &u))

	assert.Equal(t, int64(2), u.ID)
	assert.Equal(t, "mary", u.Login)
	assert.Equal(t, RoleClient, u.Role)
	require.NotNil(t, u.LastLogin)
	assert.Equal(t, []Network{
		{ID: 1, Name: "Default Network", Description: "Network created for the user"},
		{ID: 3, Name: "Greenhouse sensors", Description: ""},
	}, u.Networks)

	// It encodes flat, as the server sends it, and round-trips.
	out, err := json.Marshal(u)
	require.NoError(t, err)
	var flat map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &flat))
	assert.NotContains(t, flat, "User")
	assert.Contains(t, flat, "networks")
	assert.Contains(t, flat, "login")
	var back UserWithNetworks
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, u.Networks, back.Networks)
	assert.Equal(t, u.Login, back.Login)
	assert.True(t, back.LastLogin.Equal(u.LastLogin.Time))

	var current UserWithNetworks
	require.NoError(t, json.Unmarshal(recording(t, "get_current").Response.Body, &current))
	assert.Equal(t, RoleAdmin, current.Role)
	assert.NotNil(t, current.Networks)
	assert.Empty(t, current.Networks)
	assert.True(t, current.LastLogin.Equal(utc(2018, 2, 21, 8, 0, 0, 500e6)))
}

func TestOtherResponses(t *testing.T) {
	var nw struct {
		Network Network `json:"network"`
	}
	require.NoError(t, json.Unmarshal(recording(t, "get_network").Response.Body, &nw))
	assert.Equal(t, Network{ID: 1, Name: "Default Network", Description: "Network created for the user"}, nw.Network)

	var types []DeviceType
	require.NoError(t, json.Unmarshal(recording(t, "list_device_types").Response.Body, &types))
	assert.Equal(t, []DeviceType{
		{ID: 1, Name: "Default Device Type", Description: "Default DeviceHive device type"},
		{ID: 4, Name: "Thermostat"},
	}, types)

	var count struct {
		Count int64 `json:"count"`
	}
	require.NoError(t, json.Unmarshal(recording(t, "count").Response.Body, &count))
	assert.Equal(t, int64(2), count.Count)

	// The create answer carries only some fields; the rest stay zero.
	var created User
	require.NoError(t, json.Unmarshal(recording(t, "create").Response.Body, &created))
	assert.Equal(t, int64(2), created.ID)
	assert.Empty(t, created.Login)
	assert.Nil(t, created.LastLogin)
	assert.False(t, created.AllDeviceTypesAvailable)
}

// jwtPayload decodes the middle part of a JSON Web Token.
func jwtPayload(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3, "a JWT has three parts")
	for _, p := range parts {
		_, err := base64.RawURLEncoding.DecodeString(p)
		require.NoError(t, err, "each part is unpadded base64url")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Payload map[string]any `json:"payload"`
	}
	require.NoError(t, json.Unmarshal(raw, &claims))
	require.NotNil(t, claims.Payload)
	return claims.Payload
}

func TestTokensRecordings(t *testing.T) {
	var login Tokens
	require.NoError(t, json.Unmarshal(recording(t, "login").Response.Body, &login))
	require.NotEmpty(t, login.AccessToken)
	require.NotEmpty(t, login.RefreshToken)

	year2100 := float64(utc(2100, 1, 1, 0, 0, 0, 0).UnixMilli())
	access := jwtPayload(t, login.AccessToken)
	assert.GreaterOrEqual(t, access["e"], year2100, "the access token expires in 2100, in Unix milliseconds")
	assert.Equal(t, float64(1), access["t"], "token type 1 is an access token")
	assert.Equal(t, float64(1), access["u"])
	refresh := jwtPayload(t, login.RefreshToken)
	assert.Equal(t, float64(0), refresh["t"], "token type 0 is a refresh token")

	var refreshed Tokens
	require.NoError(t, json.Unmarshal(recording(t, "refresh").Response.Body, &refreshed))
	assert.NotEmpty(t, refreshed.AccessToken)
	assert.Empty(t, refreshed.RefreshToken, "a refresh returns only an access token")
	assert.NotEqual(t, login.AccessToken, refreshed.AccessToken)
	assert.GreaterOrEqual(t, jwtPayload(t, refreshed.AccessToken)["e"], year2100)

	// The refresh recordings send the refresh token the login returned, and the request
	// after a refresh carries the new access token.
	var refreshReq struct {
		RefreshToken string `json:"refreshToken"`
	}
	require.NoError(t, json.Unmarshal(recording(t, "refresh").Request.Body, &refreshReq))
	assert.Equal(t, login.RefreshToken, refreshReq.RefreshToken)
	assert.Equal(t, "Bearer "+refreshed.AccessToken, recording(t, "get_after_refresh").Request.Headers["Authorization"])
	assert.Equal(t, "Bearer "+login.AccessToken, recording(t, "get_current_after_login").Request.Headers["Authorization"])

	out, err := json.Marshal(Tokens{AccessToken: "a"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"accessToken":"a"}`, string(out))
}

func TestErrorRecordings(t *testing.T) {
	tests := map[string]struct {
		status  int
		message string
	}{
		"get_not_found":          {404, "User with id = 999 not found"},
		"token_expired":          {401, "Token expired"},
		"refresh_expired":        {401, "Token has expired"},
		"login_invalid":          {401, "Invalid credentials"},
		"create_conflict":        {409, "Posted data conflicts with internal state."},
		"create_duplicate_login": {403, "User with such login already exists."},
		"list_bad_sort":          {400, "Invalid request parameters"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ex := recording(t, name)
			assert.Equal(t, tt.status, ex.Response.Status)
			var body struct {
				Error   int    `json:"error"`
				Message string `json:"message"`
			}
			require.NoError(t, json.Unmarshal(ex.Response.Body, &body))
			assert.Equal(t, tt.status, body.Error, "DeviceHive repeats the status in the body")
			assert.Contains(t, body.Message, tt.message)
		})
	}
}

func TestAllRecordingsLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		ex := fixture.Load(t, f)
		assert.True(t, strings.HasPrefix(ex.Request.Path, "/dh/rest/"), "%s: path under the base URL", f)
		if len(ex.Request.Body) > 0 {
			assert.Equal(t, "application/json", ex.Request.Headers["Content-Type"], "%s: a body is JSON", f)
		}
		if ex.Response.Status == 204 {
			assert.Empty(t, ex.Response.Body, "%s: 204 has no body", f)
		}
	}
}

func TestCreateRequestWire(t *testing.T) {
	req := CreateRequest{
		Login: "mary", Role: ptr(RoleClient), Status: StatusActive, Password: "s3cret-Pass",
		Data:                    json.RawMessage(`{"phone":"+1-555-0100","preferences":{"theme":"dark","units":"metric"},"tags":["pilot",7,null]}`),
		IntroReviewed:           ptr(false),
		AllDeviceTypesAvailable: ptr(false),
	}
	require.NoError(t, req.Validate())
	got, err := json.Marshal(req)
	require.NoError(t, err)
	assert.JSONEq(t, string(recording(t, "create").Request.Body), string(got))

	// A role set to RoleAdmin and the zero status are sent as 0; unset optional fields are
	// left out.
	got, err = json.Marshal(CreateRequest{Login: "root", Role: ptr(RoleAdmin), Password: "secret1"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"login":"root","role":0,"status":0,"password":"secret1"}`, string(got))
}

func TestUpdateRequestWire(t *testing.T) {
	tests := map[string]struct {
		req  UpdateRequest
		want string
	}{
		"data not set is left out": {UpdateRequest{IntroReviewed: ptr(true)}, `{"introReviewed":true}`},
		"data null":                {UpdateRequest{Data: ptr(json.RawMessage("null"))}, `{"data":null}`},
		"data pointing to nil":     {UpdateRequest{Data: new(json.RawMessage)}, `{"data":null}`},
		"data value":               {UpdateRequest{Data: ptr(json.RawMessage(`{"a":[1]}`))}, `{"data":{"a":[1]}}`},
		"empty object":             {UpdateRequest{Data: ptr(json.RawMessage(`{}`))}, `{"data":{}}`},
		"zero values are sent":     {UpdateRequest{Role: ptr(RoleAdmin), Status: ptr(StatusActive), IntroReviewed: ptr(false)}, `{"role":0,"status":0,"introReviewed":false}`},
		"nothing set":              {UpdateRequest{}, `{}`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := json.Marshal(tt.req)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
		})
	}

	t.Run("recordings", func(t *testing.T) {
		full := UpdateRequest{
			Login: ptr("mary.smith"), Role: ptr(RoleClient), Status: ptr(StatusLocked),
			Password: ptr("n3w-Passw0rd"), IntroReviewed: ptr(true),
			Data: ptr(json.RawMessage(`{"phone":"+1-555-0199"}`)),
		}
		current := UpdateRequest{
			Password: ptr("n3w-Passw0rd"),
			Data:     ptr(json.RawMessage(`{"phone":"+1-555-0100"}`)),
		}
		clear := UpdateRequest{Data: ptr(json.RawMessage("null"))}
		for name, req := range map[string]UpdateRequest{"update": full, "update_current": current, "update_clear_data": clear} {
			require.NoError(t, req.Validate(), name)
			got, err := json.Marshal(req)
			require.NoError(t, err)
			assert.JSONEq(t, string(recording(t, name).Request.Body), string(got), name)
		}
	})

	t.Run("null and absent differ on the wire", func(t *testing.T) {
		absent, err := json.Marshal(UpdateRequest{Login: ptr("x")})
		require.NoError(t, err)
		null, err := json.Marshal(UpdateRequest{Login: ptr("x"), Data: ptr(json.RawMessage("null"))})
		require.NoError(t, err)
		var a, n map[string]any
		require.NoError(t, json.Unmarshal(absent, &a))
		require.NoError(t, json.Unmarshal(null, &n))
		assert.NotContains(t, a, "data")
		assert.Contains(t, n, "data")
		assert.Nil(t, n["data"])
	})
}

// assertFieldError holds err to what every refused input meets, and to giving a reason
// and naming the field in its text.
func assertFieldError(t *testing.T, err error, field string) {
	t.Helper()
	fuzzkit.Refused(t, err, field)
	var fe *ValidationError
	require.ErrorAs(t, err, &fe)
	assert.NotEmpty(t, fe.Reason)
	assert.Contains(t, err.Error(), field)
}

func TestCreateRequestValidate(t *testing.T) {
	valid := func() CreateRequest {
		return CreateRequest{Login: "mary", Role: ptr(RoleClient), Password: "secret"}
	}
	tests := map[string]struct {
		edit  func(*CreateRequest)
		field string // "" when valid
	}{
		"valid":                         {func(*CreateRequest) {}, ""},
		"login 0":                       {func(r *CreateRequest) { r.Login = "" }, "login"},
		"login blank":                   {func(r *CreateRequest) { r.Login = " \t " }, "login"},
		"login only control chars":      {func(r *CreateRequest) { r.Login = "\x01\x1f " }, "login"},
		"login no-break space is kept":  {func(r *CreateRequest) { r.Login = "\u00a0" }, ""},
		"login 1":                       {func(r *CreateRequest) { r.Login = "m" }, ""},
		"login 128":                     {func(r *CreateRequest) { r.Login = strings.Repeat("a", 128) }, ""},
		"login 129":                     {func(r *CreateRequest) { r.Login = strings.Repeat("a", 129) }, "login"},
		"login 128 two-byte chars":      {func(r *CreateRequest) { r.Login = strings.Repeat("é", 128) }, ""},
		"login 129 two-byte chars":      {func(r *CreateRequest) { r.Login = strings.Repeat("é", 129) }, "login"},
		"login 64 emoji is 128 units":   {func(r *CreateRequest) { r.Login = strings.Repeat("😀", 64) }, ""},
		"login 65 emoji is 130 units":   {func(r *CreateRequest) { r.Login = strings.Repeat("😀", 65) }, "login"},
		"password 0":                    {func(r *CreateRequest) { r.Password = "" }, "password"},
		"password 5":                    {func(r *CreateRequest) { r.Password = "12345" }, "password"},
		"password 6":                    {func(r *CreateRequest) { r.Password = "123456" }, ""},
		"password 128":                  {func(r *CreateRequest) { r.Password = strings.Repeat("p", 128) }, ""},
		"password 129":                  {func(r *CreateRequest) { r.Password = strings.Repeat("p", 129) }, "password"},
		"password 5 three-byte chars":   {func(r *CreateRequest) { r.Password = strings.Repeat("ж€", 2) + "€" }, "password"},
		"password 6 three-byte chars":   {func(r *CreateRequest) { r.Password = strings.Repeat("€", 6) }, ""},
		"password 128 two-byte chars":   {func(r *CreateRequest) { r.Password = strings.Repeat("ж", 128) }, ""},
		"password 129 two-byte chars":   {func(r *CreateRequest) { r.Password = strings.Repeat("ж", 129) }, "password"},
		"password 128 emoji":            {func(r *CreateRequest) { r.Password = strings.Repeat("😀", 128) }, ""},
		"password with a newline":       {func(r *CreateRequest) { r.Password = "secret\nsecret" }, "password"},
		"password with invalid UTF-8":   {func(r *CreateRequest) { r.Password = "secret\xff" }, "password"},
		"role admin":                    {func(r *CreateRequest) { r.Role = ptr(RoleAdmin) }, ""},
		"role not set":                  {func(r *CreateRequest) { r.Role = nil }, "role"},
		"role undefined":                {func(r *CreateRequest) { r.Role = ptr(Role(2)) }, "role"},
		"status disabled":               {func(r *CreateRequest) { r.Status = StatusDisabled }, ""},
		"status undefined":              {func(r *CreateRequest) { r.Status = 3 }, "status"},
		"status negative":               {func(r *CreateRequest) { r.Status = -1 }, "status"},
		"data valid":                    {func(r *CreateRequest) { r.Data = json.RawMessage(`{"a":1}`) }, ""},
		"data invalid":                  {func(r *CreateRequest) { r.Data = json.RawMessage(`{"a":`) }, "data"},
		"login checked before password": {func(r *CreateRequest) { r.Login, r.Password = "", "" }, "login"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := valid()
			tt.edit(&r)
			err := r.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			assertFieldError(t, err, tt.field)
		})
	}
	assertFieldError(t, (*CreateRequest)(nil).Validate(), "request")
}

func TestUpdateRequestValidate(t *testing.T) {
	tests := map[string]struct {
		req   UpdateRequest
		field string // "" when valid
	}{
		"nothing set":                   {UpdateRequest{}, "request"},
		"only data null":                {UpdateRequest{Data: ptr(json.RawMessage("null"))}, ""},
		"only intro reviewed":           {UpdateRequest{IntroReviewed: ptr(false)}, ""},
		"login 0":                       {UpdateRequest{Login: ptr("")}, "login"},
		"login only control chars":      {UpdateRequest{Login: ptr("\x00\r\n")}, "login"},
		"login 1":                       {UpdateRequest{Login: ptr("m")}, ""},
		"login 128":                     {UpdateRequest{Login: ptr(strings.Repeat("ü", 128))}, ""},
		"login 129":                     {UpdateRequest{Login: ptr(strings.Repeat("ü", 129))}, "login"},
		"password 5":                    {UpdateRequest{Password: ptr("ñññññ")}, "password"},
		"password 6":                    {UpdateRequest{Password: ptr("ññññññ")}, ""},
		"password 128":                  {UpdateRequest{Password: ptr(strings.Repeat("x", 128))}, ""},
		"password 129":                  {UpdateRequest{Password: ptr(strings.Repeat("x", 129))}, "password"},
		"password empty":                {UpdateRequest{Password: ptr("")}, "password"},
		"role undefined":                {UpdateRequest{Role: ptr(Role(9))}, "role"},
		"role admin":                    {UpdateRequest{Role: ptr(RoleAdmin)}, ""},
		"status undefined":              {UpdateRequest{Status: ptr(UserStatus(3))}, "status"},
		"status locked":                 {UpdateRequest{Status: ptr(StatusLocked)}, ""},
		"data invalid":                  {UpdateRequest{Data: ptr(json.RawMessage(`nope`))}, "data"},
		"unset fields are not checked":  {UpdateRequest{Data: ptr(json.RawMessage(`{}`))}, ""},
		"login checked before password": {UpdateRequest{Login: ptr(""), Password: ptr("")}, "login"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := tt.req.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			assertFieldError(t, err, tt.field)
		})
	}
	assertFieldError(t, (*UpdateRequest)(nil).Validate(), "request")
}

const secretPass = "hunter2-very-secret"

// printed returns every way fmt prints v, directly, by pointer and nested in a struct.
func printed(v, p any) map[string]string {
	nested := struct{ Inner any }{v}
	return map[string]string{
		"%v": fmt.Sprintf("%v", v), "%+v": fmt.Sprintf("%+v", v), "%#v": fmt.Sprintf("%#v", v),
		"%s": fmt.Sprintf("%s", v), "ptr %v": fmt.Sprintf("%v", p), "ptr %+v": fmt.Sprintf("%+v", p),
		"ptr %#v": fmt.Sprintf("%#v", p), "nested %+v": fmt.Sprintf("%+v", nested),
		"Sprint": fmt.Sprint(v), "Sprintln": fmt.Sprintln(p),
	}
}

// logged returns what the slog JSON and text handlers write for v.
func logged(v any) map[string]string {
	out := map[string]string{}
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(mk(&buf)).Info("sending", "req", v)
		out[name] = buf.String()
		buf.Reset()
		slog.New(mk(&buf)).Info("sending", slog.Any("req", v))
		out[name+" Any"] = buf.String()
	}
	return out
}

func TestRedaction(t *testing.T) {
	create := CreateRequest{Login: "mary", Role: ptr(RoleClient), Password: secretPass}
	update := UpdateRequest{Login: ptr("mary"), Password: ptr(secretPass)}
	tokens := Tokens{AccessToken: "eyJhbGciOiJIUzI1NiJ9.access-secret.sig", RefreshToken: "eyJhbGciOiJIUzI1NiJ9.refresh-secret.sig"}

	cases := map[string]struct {
		value, pointer any
		secrets        []string
		visible        string
	}{
		"create": {create, &create, []string{secretPass}, "mary"},
		"update": {update, &update, []string{secretPass}, "mary"},
		"tokens": {tokens, &tokens, []string{"access-secret", "refresh-secret"}, "Tokens"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			outputs := printed(c.value, c.pointer)
			for k, v := range logged(c.value) {
				outputs["slog "+k] = v
			}
			for k, v := range logged(c.pointer) {
				outputs["slog ptr "+k] = v
			}
			for how, out := range outputs {
				for _, s := range c.secrets {
					assert.NotContains(t, out, s, "%s printed a secret: %s", how, out)
				}
				assert.Contains(t, out, core.Redacted, "%s: %s", how, out)
				if !strings.HasPrefix(how, "slog") {
					assert.Contains(t, out, c.visible, "%s keeps the other fields: %s", how, out)
				}
			}
		})
	}

	t.Run("slog keeps other fields", func(t *testing.T) {
		out := logged(create)["json"]
		var line struct {
			Req map[string]string `json:"req"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &line))
		assert.Equal(t, "mary", line.Req["Login"])
		assert.Equal(t, core.Redacted, line.Req["Password"])
	})

	t.Run("empty secrets are not shown as redacted", func(t *testing.T) {
		s := fmt.Sprint(Tokens{})
		assert.NotContains(t, s, core.Redacted)
	})

	t.Run("the wire form keeps the secret", func(t *testing.T) {
		b, err := json.Marshal(create)
		require.NoError(t, err)
		assert.Contains(t, string(b), secretPass)
	})
}
