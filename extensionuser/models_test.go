package extensionuser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

func ptr[T any](v T) *T { return &v }

// decodeStrict decodes raw into v, refusing members the model does not know.
func decodeStrict(t *testing.T, raw []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func validCreate() CreateRequest {
	return CreateRequest{ExtensionID: 5003, Login: "l", Name: "n", Password: "p", Email: "e@example.com"}
}

func TestUserRoundTrip(t *testing.T) {
	ex := fixture.Load(t, "testdata/get.json")
	var u User
	decodeStrict(t, ex.Response.Body, &u)
	assert.Equal(t, User{
		ID:          201,
		ExtensionID: 5001,
		Login:       "ext100",
		Name:        "Reception",
		Email:       "reception@example.com",
		Comment:     "Front desk",
		Access:      AccessFull,
		Status:      StatusActive,
		Timezone:    "Europe/Moscow",
	}, u)
	assert.JSONEq(t, string(ex.Response.Body), mustJSON(t, u))
}

func TestUserNullStringsDecodeEmpty(t *testing.T) {
	var u User
	require.NoError(t, json.Unmarshal([]byte(`{"id":7,"extension_id":3,"comment":null,"extra_params":null,"timezone":null}`), &u))
	assert.Equal(t, User{ID: 7, ExtensionID: 3}, u)
}

func TestListResponseDecodes(t *testing.T) {
	ex := fixture.Load(t, "testdata/list.json")
	var users []User
	decodeStrict(t, ex.Response.Body, &users)
	require.Len(t, users, 2)
	assert.Equal(t, int64(5002), users[1].ExtensionID)
	assert.Equal(t, `{"queue": "sales"}`, users[1].ExtraParams)
	assert.JSONEq(t, string(ex.Response.Body), mustJSON(t, users))
}

func TestWriteResponsesDecode(t *testing.T) {
	for _, name := range []string{"create", "update"} {
		t.Run(name, func(t *testing.T) {
			ex := fixture.Load(t, filepath.Join("testdata", name+".json"))
			var u User
			decodeStrict(t, ex.Response.Body, &u)
			assert.Equal(t, int64(203), u.ID)
			assert.JSONEq(t, string(ex.Response.Body), mustJSON(t, u))
		})
	}
}

func TestCreateRequestMatchesRecording(t *testing.T) {
	req := CreateRequest{
		ExtensionID: 5003,
		Login:       "ext102",
		Name:        "Support line",
		Password:    "S3cret-pass",
		Email:       "support@example.com",
		Access:      AccessFull,
		Comment:     "Night shift",
		Status:      StatusActive,
		ExtraParams: "shift=night",
		Timezone:    "Asia/Novosibirsk",
		EmailNotify: ptr(false),
	}
	require.NoError(t, req.Validate())
	ex := fixture.Load(t, "testdata/create.json")
	assert.JSONEq(t, string(ex.Request.Body), mustJSON(t, req))

	var back CreateRequest
	decodeStrict(t, ex.Request.Body, &back)
	assert.Equal(t, req, back)
}

func TestCreateRequestOmitsUnsetOptionalFields(t *testing.T) {
	req := CreateRequest{ExtensionID: 5003, Login: "intruder", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com"}
	assert.JSONEq(t,
		`{"extension_id":5003,"login":"intruder","name":"Support line","password":"S3cret-pass","email":"support@example.com"}`,
		mustJSON(t, req))
	ex := fixture.Load(t, "testdata/create_forbidden.json")
	assert.JSONEq(t, string(ex.Request.Body), mustJSON(t, req))
}

func TestCreateRequestEmailNotify(t *testing.T) {
	base := validCreate()

	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, base)), &m))
	assert.NotContains(t, m, "email_notify", "nil is not sent")
	assert.NotContains(t, m, "email_for_notify")

	off := base
	off.EmailNotify = ptr(false)
	m = nil
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, off)), &m))
	assert.Equal(t, false, m["email_notify"], "an explicit false is sent")

	on := base
	on.EmailNotify = ptr(true)
	on.EmailForNotify = "it@example.com"
	m = nil
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, on)), &m))
	assert.Equal(t, true, m["email_notify"])
	assert.Equal(t, "it@example.com", m["email_for_notify"])
}

func TestCreateRequestValidate(t *testing.T) {
	tests := map[string]struct {
		mutate func(*CreateRequest)
		field  string
	}{
		"extension_id":       {func(r *CreateRequest) { r.ExtensionID = 0 }, "extension_id"},
		"negative extension": {func(r *CreateRequest) { r.ExtensionID = -1 }, "extension_id"},
		"login":              {func(r *CreateRequest) { r.Login = "" }, "login"},
		"name":               {func(r *CreateRequest) { r.Name = "" }, "name"},
		"password":           {func(r *CreateRequest) { r.Password = "" }, "password"},
		"email":              {func(r *CreateRequest) { r.Email = "" }, "email"},
		"blank name":         {func(r *CreateRequest) { r.Name = "\t" }, "name"},
		"all missing":        {func(r *CreateRequest) { *r = CreateRequest{} }, "extension_id"},
		"only required set":  {func(*CreateRequest) {}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := validCreate()
			tt.mutate(&r)
			err := r.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *core.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, core.ErrInvalidInput)
			assert.Contains(t, err.Error(), tt.field)
		})
	}

	var nilReq *CreateRequest
	assert.ErrorIs(t, nilReq.Validate(), core.ErrInvalidInput)
}

func TestUpdateRequestMatchesRecording(t *testing.T) {
	req := UpdateRequest{
		ExtensionID: ptr(int64(5004)),
		Access:      ptr(AccessReadOnly),
		Timezone:    ptr("Europe/Moscow"),
		Email:       ptr("support-team@example.com"),
	}
	require.NoError(t, req.Validate())
	ex := fixture.Load(t, "testdata/update.json")
	assert.JSONEq(t, string(ex.Request.Body), mustJSON(t, req))
}

func TestUpdateRequestSendsOnlySetFields(t *testing.T) {
	assert.JSONEq(t, `{}`, mustJSON(t, UpdateRequest{}))
	assert.JSONEq(t, `{"comment":"","extra_params":"","timezone":""}`,
		mustJSON(t, UpdateRequest{Comment: ptr(""), ExtraParams: ptr(""), Timezone: ptr("")}),
		"a pointer to the zero value is sent, to clear the field")
	assert.JSONEq(t, `{"status":"blocked","password":"p"}`,
		mustJSON(t, UpdateRequest{Status: ptr(StatusBlocked), Password: ptr("p")}))
	assert.NotContains(t, mustJSON(t, UpdateRequest{Name: ptr("x")}), "login", "the login cannot be changed")
}

func TestUpdateRequestValidate(t *testing.T) {
	tests := map[string]struct {
		req   UpdateRequest
		field string
	}{
		"nothing set":       {UpdateRequest{}, "request"},
		"zero extension_id": {UpdateRequest{ExtensionID: ptr(int64(0))}, "extension_id"},
		"empty name":        {UpdateRequest{Name: ptr("")}, "name"},
		"empty email":       {UpdateRequest{Email: ptr(" ")}, "email"},
		"empty password":    {UpdateRequest{Status: ptr(StatusActive), Password: ptr("")}, "password"},
		"move extension":    {UpdateRequest{ExtensionID: ptr(int64(5004))}, ""},
		"clear comment":     {UpdateRequest{Comment: ptr("")}, ""},
		"block":             {UpdateRequest{Status: ptr(StatusBlocked)}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := tt.req.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *core.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.ErrorIs(t, err, core.ErrInvalidInput)
		})
	}
}

// assertRedacted checks every way a request may be printed or logged.
func assertRedacted(t *testing.T, v any, secret string, visible ...string) {
	t.Helper()
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("request", "req", v)
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", v),
		"%+v":  fmt.Sprintf("%+v", v),
		"%#v":  fmt.Sprintf("%#v", v),
		"%s":   fmt.Sprintf("%s", v),
		"slog": logged.String(),
	}
	for verb, out := range outputs {
		assert.NotContains(t, out, secret, verb)
		assert.Contains(t, out, core.Redacted, verb)
		for _, s := range visible {
			assert.Contains(t, out, s, verb)
		}
	}
}

func TestRequestsRedactPassword(t *testing.T) {
	create := CreateRequest{ExtensionID: 5003, Login: "ext102", Name: "Support", Password: "S3cret-pass", Email: "support@example.com"}
	assertRedacted(t, create, "S3cret-pass", "ext102", "5003")
	assertRedacted(t, &create, "S3cret-pass", "ext102")

	update := UpdateRequest{ExtensionID: ptr(int64(5004)), Password: ptr("N3w-secret")}
	assertRedacted(t, update, "N3w-secret", "5004")
	assertRedacted(t, &update, "N3w-secret", "5004")

	// Nested in another value, fmt still calls the request's own methods.
	assert.NotContains(t, fmt.Sprintf("%+v", []any{create, update}), "S3cret-pass")
	assert.NotContains(t, fmt.Sprintf("%+v", []any{create, update}), "N3w-secret")
}

func TestRedactionKeepsTheWireFormat(t *testing.T) {
	b, err := json.Marshal(UpdateRequest{Password: ptr("N3w-secret")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"password":"N3w-secret"}`, string(b), "the password itself is still sent")
}

func TestListOptionsQuery(t *testing.T) {
	opts := ListOptions{
		ExtensionID: []int64{5001, 5002},
		Status:      []Status{StatusActive},
		Access:      []Access{AccessFull, AccessReadOnly},
		Login:       []string{"ext100", "ext101"},
	}
	v, err := query.Values(opts)
	require.NoError(t, err)
	assert.Equal(t, "access=full&access=read_only&extension_id=5001&extension_id=5002&login=ext100&login=ext101&status=active", v.Encode())

	ex := fixture.Load(t, "testdata/list.json")
	assert.Equal(t, ex.Request.Query, v)

	v, err = query.Values(ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, v, "the zero value sends no filter")

	all := ListOptions{
		ID: []int64{1}, ExtensionID: []int64{2}, Login: []string{"l"}, Name: []string{"n"},
		Email: []string{"e"}, Comment: []string{"c"}, Access: []Access{AccessFull},
		Status: []Status{StatusBlocked}, Timezone: []string{"UTC"},
	}
	v, err = query.Values(all)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"id": {"1"}, "extension_id": {"2"}, "login": {"l"}, "name": {"n"}, "email": {"e"},
		"comment": {"c"}, "access": {"full"}, "status": {"blocked"}, "timezone": {"UTC"},
	}, v, "every filter the API lists, under its own name")
}

func TestMe(t *testing.T) {
	assert.Equal(t, "@me", Me)
	// The recordings carry @me as is: path escaping leaves it alone.
	assert.Equal(t, Me, url.PathEscape(Me))
}

func TestRecordings(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			ex := fixture.Load(t, f)
			assert.True(t, strings.HasPrefix(ex.Request.Path, "/api/ver1.0/client/"), ex.Request.Path)
			assert.Contains(t, ex.Request.Path, "/user/extension/")
			assert.Equal(t, "Bearer test-token", ex.Request.Headers["Authorization"])
			if len(ex.Request.Body) > 0 {
				assert.Equal(t, "application/json", ex.Request.Headers["Content-Type"])
			}
			if ex.Response.Status >= 400 {
				var body struct {
					Message string `json:"message"`
					Status  string `json:"status"`
				}
				decodeStrict(t, ex.Response.Body, &body)
				assert.NotEmpty(t, body.Message, "Telphin errors carry a message")
			}
		})
	}
}

func TestErrorRecordings(t *testing.T) {
	tests := map[string]struct {
		status  int
		message string
		code    string
		headers map[string]string
	}{
		"get_not_found":            {404, "Record not found", "", nil},
		"list_rate_limited":        {429, "Stats request already exists, concurrent request not allowed", "", nil},
		"list_rate_limited_hourly": {429, "", "rate_limit_exceeded", map[string]string{"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800"}},
		"create_forbidden":         {403, "", "access_denied", nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ex := fixture.Load(t, filepath.Join("testdata", name+".json"))
			assert.Equal(t, tt.status, ex.Response.Status)
			var body struct {
				Message string `json:"message"`
				Status  string `json:"status"`
			}
			require.NoError(t, json.Unmarshal(ex.Response.Body, &body))
			if tt.message != "" {
				assert.Equal(t, tt.message, body.Message)
			}
			assert.Equal(t, tt.code, body.Status)
			for k, v := range tt.headers {
				assert.Equal(t, v, ex.Response.Headers[k], k)
			}
		})
	}
}

func TestEnumWireValues(t *testing.T) {
	b, err := json.Marshal(struct {
		A []Access
		S []Status
	}{[]Access{AccessFull, AccessReadOnly}, []Status{StatusActive, StatusBlocked}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"A":["full","read_only"],"S":["active","blocked"]}`, string(b))
	assert.Equal(t, "@me", Me)
}
