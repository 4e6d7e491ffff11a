package accountuser

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// vendorUser is the response example of the vendor's docs: numbers as strings.
const vendorUser = `{"userId":"21","contactName":"John Doe","emailAddress":"john.doe@example.com",
"username":"johndoe","password":null,"defaultAccountId":"2","active":"1"}`

var wantVendorUser = User{
	UserID:           21,
	ContactName:      "John Doe",
	EmailAddress:     "john.doe@example.com",
	Username:         "johndoe",
	DefaultAccountID: 2,
	Active:           Enabled,
}

func TestUserDecodesStringsForNumbers(t *testing.T) {
	var u User
	require.NoError(t, json.Unmarshal([]byte(vendorUser), &u))
	assert.Equal(t, wantVendorUser, u)
}

func TestUserDecodesPlainNumbers(t *testing.T) {
	var u User
	require.NoError(t, json.Unmarshal([]byte(`{"userId":21,"contactName":"John Doe",
		"emailAddress":"john.doe@example.com","username":"johndoe","password":null,
		"defaultAccountId":2,"active":1}`), &u))
	assert.Equal(t, wantVendorUser, u)
}

func TestUserNeverHoldsPassword(t *testing.T) {
	var u User
	require.NoError(t, json.Unmarshal([]byte(`{"userId":"3","username":"x","password":"leaked"}`), &u))
	assert.Equal(t, User{UserID: 3, Username: "x"}, u)
	out, err := json.Marshal(u)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "password")
	assert.NotContains(t, fmt.Sprintf("%+v", u), "leaked")
}

func TestUserEncodesNumbers(t *testing.T) {
	out, err := json.Marshal(wantVendorUser)
	require.NoError(t, err)
	assert.JSONEq(t, `{"userId":21,"contactName":"John Doe","emailAddress":"john.doe@example.com",
		"username":"johndoe","defaultAccountId":2,"active":1}`, string(out))
}

func TestUserDecodeErrors(t *testing.T) {
	for name, in := range map[string]string{
		"bad userId":           `{"userId":"abc"}`,
		"bad defaultAccountId": `{"defaultAccountId":"2x"}`,
		"bad active":           `{"active":"yes"}`,
	} {
		t.Run(name, func(t *testing.T) {
			var u User
			assert.Error(t, json.Unmarshal([]byte(in), &u))
		})
	}
}

func TestIDDecodes(t *testing.T) {
	for in, want := range map[string]ID{
		`21`:                 21,
		`"21"`:               21,
		`0`:                  0,
		`"0"`:                0,
		`-3`:                 -3,
		`"-3"`:               -3,
		`null`:               0,
		`""`:                 0,
		`"9007199254740993"`: 9007199254740993, // beyond float64's exact range
	} {
		t.Run(in, func(t *testing.T) {
			id := ID(77) // null and "" must reset a previous value
			require.NoError(t, json.Unmarshal([]byte(in), &id))
			assert.Equal(t, want, id)
		})
	}
}

func TestIDRejects(t *testing.T) {
	for in, msg := range map[string]string{
		`"abc"`:                  `got "abc"`,
		`"2.5"`:                  `got "2.5"`,
		`2.5`:                    `got 2.5`,
		`2e3`:                    `got 2e3`,
		`" 21"`:                  `got " 21"`,
		`"null"`:                 `got "null"`,
		`true`:                   `got true`,
		`{}`:                     `got {}`,
		`[1]`:                    `got [1]`,
		`"99999999999999999999"`: `out of range`,
	} {
		t.Run(in, func(t *testing.T) {
			var id ID
			err := json.Unmarshal([]byte(in), &id)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "accountuser: id")
			assert.Contains(t, err.Error(), msg)
		})
	}
}

func TestIDEncodesAsNumber(t *testing.T) {
	out, err := json.Marshal(struct {
		A ID  `json:"a"`
		B *ID `json:"b"`
	}{A: 21, B: Ptr(ID(-4))})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":21,"b":-4}`, string(out))
	assert.Equal(t, "21", ID(21).String())
}

func TestActiveDecodes(t *testing.T) {
	for in, want := range map[string]Active{
		`1`: Enabled, `"1"`: Enabled, `true`: Enabled,
		`0`: Disabled, `"0"`: Disabled, `false`: Disabled,
		`null`: Disabled,
	} {
		t.Run(in, func(t *testing.T) {
			a := !want // start from the opposite so a no-op decode fails
			require.NoError(t, json.Unmarshal([]byte(in), &a))
			assert.Equal(t, want, a)
			assert.Equal(t, bool(want), a.Bool())
		})
	}
}

func TestActiveRejects(t *testing.T) {
	for _, in := range []string{`2`, `-1`, `1.0`, `"yes"`, `"true"`, `""`, `"01"`, `[]`, `{}`} {
		t.Run(in, func(t *testing.T) {
			var a Active
			err := json.Unmarshal([]byte(in), &a)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "accountuser: active must be 0, 1")
			assert.Contains(t, err.Error(), "got "+in)
		})
	}
}

func TestActiveEncodesAsNumber(t *testing.T) {
	out, err := json.Marshal([]Active{Enabled, Disabled})
	require.NoError(t, err)
	assert.Equal(t, `[1,0]`, string(out))
	assert.True(t, Enabled.Bool())
	assert.False(t, Disabled.Bool())
}

// seedCreate is the addUser example of the vendor's docs.
func seedCreate() CreateRequest {
	return CreateRequest{
		ContactName:      "John Doe",
		EmailAddress:     "jhn.doe@example.com",
		DefaultAccountID: 1,
		Username:         "test",
		Password:         "test",
	}
}

// seedUpdate is the modifyUser example of the vendor's docs.
func seedUpdate() UpdateRequest {
	return UpdateRequest{
		ContactName:      Ptr("John Doe modified"),
		EmailAddress:     Ptr("john.doe@example.com"),
		DefaultAccountID: Ptr(ID(1)),
		Username:         Ptr("test"),
		Password:         Ptr("test"),
		Active:           Ptr(Disabled),
	}
}

func TestCreateRequestJSON(t *testing.T) {
	r := seedCreate()
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"contactName":"John Doe","emailAddress":"jhn.doe@example.com",
		"defaultAccountId":1,"username":"test","password":"test"}`, string(out), "active is omitted when nil")

	r.Active = Ptr(Disabled)
	out, err = json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"active":0`)

	r.Active = Ptr(Enabled)
	out, err = json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"active":1`)
}

func TestUpdateRequestJSON(t *testing.T) {
	out, err := json.Marshal(seedUpdate())
	require.NoError(t, err)
	assert.JSONEq(t, `{"contactName":"John Doe modified","emailAddress":"john.doe@example.com",
		"defaultAccountId":1,"username":"test","password":"test","active":"0"}`, string(out))

	out, err = json.Marshal(UpdateRequest{Active: Ptr(Disabled)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"active":"0"}`, string(out), "a field set to its zero value is still sent, as the vendor's modify example sends it")

	out, err = json.Marshal(UpdateRequest{Active: Ptr(Enabled)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"active":"1"}`, string(out))

	out, err = json.Marshal(UpdateRequest{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(out))
}

// requireFieldError holds err to what every refused input meets, and its text to naming
// the field.
func requireFieldError(t *testing.T, err error, field string) {
	t.Helper()
	fuzzkit.Refused(t, err, field)
	assert.Contains(t, err.Error(), field)
}

func TestCreateRequestValidate(t *testing.T) {
	valid := seedCreate()
	require.NoError(t, valid.Validate())
	withActive := seedCreate()
	withActive.Active = Ptr(Disabled)
	require.NoError(t, withActive.Validate())

	for field, mutate := range map[string]func(*CreateRequest){
		"contactName":      func(r *CreateRequest) { r.ContactName = "" },
		"emailAddress":     func(r *CreateRequest) { r.EmailAddress = "  " },
		"defaultAccountId": func(r *CreateRequest) { r.DefaultAccountID = 0 },
		"username":         func(r *CreateRequest) { r.Username = "" },
		"password":         func(r *CreateRequest) { r.Password = "" },
	} {
		t.Run(field, func(t *testing.T) {
			r := seedCreate()
			mutate(&r)
			requireFieldError(t, r.Validate(), field)
		})
	}

	neg := seedCreate()
	neg.DefaultAccountID = -1
	requireFieldError(t, neg.Validate(), "defaultAccountId")
	assert.Contains(t, neg.Validate().Error(), "positive")

	requireFieldError(t, (*CreateRequest)(nil).Validate(), "request")
	requireFieldError(t, (&CreateRequest{}).Validate(), "contactName")
}

func TestUpdateRequestValidate(t *testing.T) {
	full := seedUpdate()
	require.NoError(t, full.Validate())
	for _, r := range []UpdateRequest{
		{ContactName: Ptr("x")}, {EmailAddress: Ptr("x@example.com")}, {DefaultAccountID: Ptr(ID(3))},
		{Username: Ptr("x")}, {Password: Ptr("x")}, {Active: Ptr(Disabled)},
	} {
		assert.NoError(t, r.Validate(), "%v", r)
	}

	requireFieldError(t, (&UpdateRequest{}).Validate(), "request")
	assert.Contains(t, (&UpdateRequest{}).Validate().Error(), "sets no field")
	requireFieldError(t, (*UpdateRequest)(nil).Validate(), "request")

	for field, r := range map[string]UpdateRequest{
		"contactName":      {ContactName: Ptr(" ")},
		"emailAddress":     {EmailAddress: Ptr("")},
		"username":         {Username: Ptr("")},
		"password":         {Password: Ptr("")},
		"defaultAccountId": {DefaultAccountID: Ptr(ID(0))},
	} {
		t.Run(field, func(t *testing.T) { requireFieldError(t, r.Validate(), field) })
	}
}

func TestRequestsRedactPassword(t *testing.T) {
	const secret = "s3cr3t-Pa55"
	create := seedCreate()
	create.Password = secret
	update := UpdateRequest{Username: Ptr("test"), Password: Ptr(secret)}

	for name, v := range map[string]any{
		"CreateRequest": create, "*CreateRequest": &create,
		"UpdateRequest": update, "*UpdateRequest": &update,
	} {
		t.Run(name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, out, secret, verb)
				assert.Contains(t, out, core.Redacted, verb)
				assert.Contains(t, out, "test", "%s keeps the other fields", verb)
			}

			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("sending", "req", v)
			assert.NotContains(t, buf.String(), secret)
			assert.Contains(t, buf.String(), core.Redacted)
			assert.Contains(t, buf.String(), `"Username":"test"`)
		})
	}

	// The wire form still carries the password: redaction is for printing only.
	out, err := json.Marshal(create)
	require.NoError(t, err)
	assert.Contains(t, string(out), secret)
}

func TestRedactionShowsUnsetPassword(t *testing.T) {
	out := UpdateRequest{Active: Ptr(Enabled)}.String()
	assert.NotContains(t, out, core.Redacted, "an unset password is not reported as present")
	assert.Contains(t, out, "Active:true")
}

// TestRecordings checks the recordings against the models: every request carries Basic
// auth for test-user:test-pass, request bodies are what the request types encode, and
// response bodies decode.
func TestRecordings(t *testing.T) {
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("test-user:test-pass"))
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)

	seen := map[string]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		seen[name] = true
		ex := fixture.Load(t, file)
		assert.Equal(t, wantAuth, ex.Request.Headers["Authorization"], file)
		_, hasType := ex.Request.Headers["Content-Type"]
		assert.Equal(t, len(ex.Request.Body) > 0, hasType, "%s: Content-Type goes with a body", file)
	}
	for _, name := range []string{
		"list_by_account", "list_by_account_pub", "get", "create", "create_put", "create_json",
		"update", "update_put", "delete", "get_unknown", "create_error",
	} {
		assert.True(t, seen[name], "testdata/%s.json is missing", name)
	}

	t.Run("lists", func(t *testing.T) {
		for file, path := range map[string]string{
			"list_by_account": "/usr/acc/2", "list_by_account_pub": "/pub/usr/acc/2",
		} {
			ex := fixture.Load(t, filepath.Join("testdata", file+".json"))
			assert.Equal(t, "GET", ex.Request.Method)
			assert.Equal(t, path, ex.Request.Path)
			var users []User
			require.NoError(t, json.Unmarshal(ex.Response.Body, &users))
			require.Len(t, users, 2)
			assert.Equal(t, wantVendorUser, users[0])
			assert.Equal(t, Disabled, users[1].Active)
		}
	})

	t.Run("get", func(t *testing.T) {
		ex := fixture.Load(t, filepath.Join("testdata", "get.json"))
		var u User
		require.NoError(t, json.Unmarshal(ex.Response.Body, &u))
		assert.Equal(t, ID(4), u.UserID)
	})

	t.Run("creates", func(t *testing.T) {
		want, err := json.Marshal(seedCreate())
		require.NoError(t, err)
		for file, head := range map[string][2]string{
			"create":      {"POST", "text/javascript"},
			"create_put":  {"PUT", "text/javascript"},
			"create_json": {"POST", "application/json"},
		} {
			ex := fixture.Load(t, filepath.Join("testdata", file+".json"))
			assert.Equal(t, head[0], ex.Request.Method, file)
			assert.Equal(t, "/usr/new", ex.Request.Path, file)
			assert.Equal(t, head[1], ex.Request.Headers["Content-Type"], file)
			assert.JSONEq(t, string(want), string(ex.Request.Body), file)
			var u User
			require.NoError(t, json.Unmarshal(ex.Response.Body, &u))
			assert.Equal(t, User{UserID: 22, ContactName: "John Doe", EmailAddress: "jhn.doe@example.com",
				Username: "test", DefaultAccountID: 1, Active: Enabled}, u, file)
		}
	})

	t.Run("updates", func(t *testing.T) {
		want, err := json.Marshal(seedUpdate())
		require.NoError(t, err)
		for file, method := range map[string]string{"update": "POST", "update_put": "PUT"} {
			ex := fixture.Load(t, filepath.Join("testdata", file+".json"))
			assert.Equal(t, method, ex.Request.Method, file)
			assert.Equal(t, "/usr/2", ex.Request.Path, file)
			assert.JSONEq(t, string(want), string(ex.Request.Body), file)
			var u User
			require.NoError(t, json.Unmarshal(ex.Response.Body, &u))
			assert.Equal(t, ID(2), u.UserID)
			assert.Equal(t, Disabled, u.Active)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for file, msg := range map[string]string{
			"get_unknown":           "Unknown userId Error",
			"get_unknown_status200": "Unknown userId Error",
			"create_error":          "Unknown agencyId Error",
		} {
			ex := fixture.Load(t, filepath.Join("testdata", file+".json"))
			apiErr := &usersdk.APIError{StatusCode: ex.Response.Status, Body: ex.Response.Body}
			parseError(apiErr)
			assert.Equal(t, msg, apiErr.Message, file)
			assert.Equal(t, "Exception", apiErr.Code, file)
		}
	})
}

func TestIsErrorObjectMatchesKeysAsJSONDoes(t *testing.T) {
	for body, want := range map[string]bool{
		`{"error":{"type":"Exception","message":"m"}}`: true,
		`{"Error":{"type":"Exception"}}`:               true, // encoding/json matches keys in any case
		`{"\u0065rror":"went wrong"}`:                  true,
		`{"userId":"21","contactName":"error"}`:        false,
		`[{"error":{"type":"x"}}]`:                     false,
		`{"userId":"21"}`:                              false,
	} {
		assert.Equal(t, want, isErrorObject([]byte(body)), body)
	}
}
