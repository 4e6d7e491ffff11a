package telphintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

type validator interface{ Validate() error }

// checkValidate checks that v is valid (field "") or refused naming field.
func checkValidate(t *testing.T, v validator, field string) {
	t.Helper()
	err := v.Validate()
	if field == "" {
		assert.NoError(t, err)
		return
	}
	var ve *usersdk.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.ErrorIs(t, err, usersdk.ErrInvalidInput)
	assert.Contains(t, err.Error(), field)
}

// required is a create request's required fields, valid.
func (k Kind[Cl, U, C, P, L, O]) required(t *testing.T) map[string]any {
	return object(t, k.newUser(t, "l", "p"))
}

func (k Kind[Cl, U, C, P, L, O]) testCreateValidate(t *testing.T) {
	valid := k.required(t)
	tests := map[string]struct {
		fields map[string]any
		field  string
	}{
		"only required set": {valid, ""},
		"all missing":       {nil, k.Required[0]},
	}
	for _, f := range k.Required {
		tests[f] = struct {
			fields map[string]any
			field  string
		}{without(valid, f), f}
		// A blank string is missing too, and an id must be positive.
		bad := any(" \t")
		if _, ok := valid[f].(float64); ok {
			bad = -1
		}
		tests["bad "+f] = struct {
			fields map[string]any
			field  string
		}{with(valid, map[string]any{f: bad}), f}
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkValidate(t, any(decode[C](t, tt.fields)).(validator), tt.field)
		})
	}
	var nilReq *C
	assert.ErrorIs(t, any(nilReq).(validator).Validate(), usersdk.ErrInvalidInput)
}

func (k Kind[Cl, U, C, P, L, O]) testCreateOmitsUnset(t *testing.T) {
	assert.ElementsMatch(t, k.Required, slices.Collect(maps.Keys(k.required(t))),
		"a request with only its required fields sends only those")
	forbidden := k.load(t, "create_forbidden")
	assert.ElementsMatch(t, k.Required, slices.Collect(maps.Keys(object(t, forbidden.ex.Request.Body))))
}

func (k Kind[Cl, U, C, P, L, O]) testCreateEmailNotify(t *testing.T) {
	base := k.required(t)
	sent := func(fields map[string]any) map[string]any { return object(t, decode[C](t, with(base, fields))) }

	m := sent(nil)
	assert.NotContains(t, m, "email_notify", "nil is not sent")
	assert.NotContains(t, m, "email_for_notify")
	assert.Equal(t, false, sent(map[string]any{"email_notify": false})["email_notify"], "an explicit false is sent")
	m = sent(map[string]any{"email_notify": true, "email_for_notify": "it@example.com"})
	assert.Equal(t, true, m["email_notify"])
	assert.Equal(t, "it@example.com", m["email_for_notify"])
}

func (k Kind[Cl, U, C, P, L, O]) testUpdateValidate(t *testing.T) {
	for name, tt := range map[string]struct {
		fields map[string]any
		field  string
	}{
		"nothing set":     {nil, "request"},
		"empty name":      {map[string]any{"name": ""}, "name"},
		"empty email":     {map[string]any{"email": " "}, "email"},
		"empty password":  {map[string]any{"status": "active", "password": ""}, "password"},
		"clear comment":   {map[string]any{"comment": ""}, ""},
		"block":           {map[string]any{"status": "blocked"}, ""},
		"change timezone": {map[string]any{"timezone": "UTC"}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			v := any(decode[P](t, tt.fields)).(validator)
			if tt.field == "request" {
				assert.ErrorIs(t, v.Validate(), usersdk.ErrInvalidInput)
			}
			checkValidate(t, v, tt.field)
		})
	}
	var nilReq *P
	assert.ErrorIs(t, any(nilReq).(validator).Validate(), usersdk.ErrInvalidInput)
}

func (k Kind[Cl, U, C, P, L, O]) testUpdateSendsOnlySetFields(t *testing.T) {
	assert.JSONEq(t, `{}`, mustJSON(t, new(P)))
	for _, body := range []string{
		`{"comment":"","extra_params":"","timezone":""}`, // a pointer to "" is sent, to clear the field
		`{"access":"full","email":"a@example.com"}`,
		`{"status":"blocked","password":"p"}`,
	} {
		req := new(P)
		decodeStrict(t, []byte(body), req)
		assert.JSONEq(t, body, mustJSON(t, req))
	}
	dec := json.NewDecoder(strings.NewReader(`{"login":"x"}`))
	dec.DisallowUnknownFields()
	assert.Error(t, dec.Decode(new(P)), "the login cannot be changed")
}

// testNullStringsDecodeEmpty: the API sends null for optional strings it has no value
// for; they decode as empty strings.
func (k Kind[Cl, U, C, P, L, O]) testNullStringsDecodeEmpty(t *testing.T) {
	body := with(k.Extra, map[string]any{"id": 7, "client_id": 1, "comment": nil, "extra_params": nil, "timezone": nil})
	var u U
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, body)), &u))
	assert.Equal(t, k.user(t, 1, map[string]any{"id": 7}), u)
}

// testZeroListOptions: ListOptions' zero value sends no filter.
func (k Kind[Cl, U, C, P, L, O]) testZeroListOptions(t *testing.T) {
	q, err := core.EncodeQuery(*new(L))
	require.NoError(t, err)
	assert.Empty(t, q, "the zero value sends no filter")
	v, err := query.Values(*new(L))
	require.NoError(t, err)
	assert.Empty(t, v)
}

// AssertRedacted checks every way a request may be printed or logged: secret never shows,
// core.Redacted and visible always do.
func AssertRedacted(t *testing.T, v any, secret string, visible ...string) {
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

func (k Kind[Cl, U, C, P, L, O]) testRequestsRedactPassword(t *testing.T) {
	create := k.create(t, map[string]any{"login": "auditor", "name": "Olga", "password": "S3cret-pass",
		"email": "olga@example.com", "email_notify": true})
	visible := []string{"auditor", "olga@example.com"}
	for _, v := range k.Extra {
		visible = append(visible, fmt.Sprint(v))
	}
	AssertRedacted(t, *create, "S3cret-pass", visible...)
	AssertRedacted(t, create, "S3cret-pass", "auditor")

	update := decode[P](t, map[string]any{"name": "Olga V.", "password": "N3w-secret"})
	AssertRedacted(t, *update, "N3w-secret", "Olga V.")
	AssertRedacted(t, update, "N3w-secret", "Olga V.")

	// Nested in another value, fmt still calls the request's own methods.
	assert.NotContains(t, fmt.Sprintf("%+v", []any{*create, *update}), "S3cret-pass")
	assert.NotContains(t, fmt.Sprintf("%+v", []any{*create, *update}), "N3w-secret")

	// The password itself is still sent.
	assert.Contains(t, mustJSON(t, create), `"password":"S3cret-pass"`)
	assert.JSONEq(t, `{"password":"N3w-secret"}`, mustJSON(t, decode[P](t, map[string]any{"password": "N3w-secret"})))
}

// MatchesRecording checks one of a package's typed requests against the body of its
// recording testdata/<name>.json: Validate accepts it, it encodes to that body, and the
// body decodes strictly back to it.
func MatchesRecording[T any](t *testing.T, name string, req *T) {
	t.Helper()
	ex := fixture.Load(t, testdata(name))
	require.NoError(t, any(req).(validator).Validate())
	assert.JSONEq(t, string(ex.Request.Body), mustJSON(t, req))
	back := new(T)
	decodeStrict(t, ex.Request.Body, back)
	assert.Equal(t, req, back)
}

// QueryMatchesRecording checks that a package's list options encode to the query of
// testdata/<name>.json, as the client encodes them, and returns that query.
func QueryMatchesRecording(t *testing.T, name string, opts any) url.Values {
	t.Helper()
	v, err := query.Values(opts)
	require.NoError(t, err)
	assert.Equal(t, fixture.Load(t, testdata(name)).Request.Query, v)
	q, err := core.EncodeQuery(opts)
	require.NoError(t, err)
	assert.Equal(t, v.Encode(), q)
	return v
}

// Query is opts encoded as the client encodes a List's query, parsed back.
func Query(t *testing.T, opts any) url.Values {
	t.Helper()
	q, err := core.EncodeQuery(opts)
	require.NoError(t, err)
	v, err := url.ParseQuery(q)
	require.NoError(t, err)
	return v
}

// Answer is the answer of testdata/<name>.json decoded into a T, refusing members T does
// not have; it encodes back to the same JSON.
func Answer[T any](t *testing.T, name string) T {
	t.Helper()
	ex := fixture.Load(t, testdata(name))
	var v T
	decodeStrict(t, ex.Response.Body, &v)
	assert.JSONEq(t, string(ex.Response.Body), mustJSON(t, v))
	return v
}

// WireValues checks that each value encodes as the JSON string given for it: the
// package's enum constants and Me.
func WireValues(t *testing.T, want map[any]string) {
	t.Helper()
	for v, s := range want {
		assert.JSONEq(t, strconv.Quote(s), mustJSON(t, v), "%v", v)
	}
}
