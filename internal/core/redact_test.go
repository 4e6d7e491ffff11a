package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

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

func TestRawJSONIsPrintedAsText(t *testing.T) {
	r := struct {
		Data     json.RawMessage
		Password string
	}{Data: json.RawMessage(`{"a":1}`), Password: "x"}
	assert.Equal(t, `{Data:{"a":1} Password:[REDACTED]}`, RedactString(r))
}

func TestDebugLogRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"bad token"}`)
	}))
	defer srv.Close()
	var buf bytes.Buffer
	c := serverClient(t, srv.URL, WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u", Query: url.Values{"access_token": {"tok"}, "q": {"x"}}}, nil)
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	require.NotEmpty(t, buf.String())
	assert.NotContains(t, buf.String(), "tok\"")
	assert.NotContains(t, err.Error(), "tok&")
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.URL, "access_token=%5BREDACTED%5D")
}

func TestTransportErrorLogHidesQuery(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(resetAfterBody))
	defer srv.Close()
	var buf bytes.Buffer
	c := serverClient(t, srv.URL, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u", Query: url.Values{"access_token": {"S3CRET"}}}, nil)
	require.Error(t, err)
	require.Contains(t, buf.String(), "http attempt")
	assert.NotContains(t, buf.String(), "S3CRET")
	assert.NotContains(t, err.Error(), "S3CRET")
}

// A server that echoes a refused request holds its secret as the request spelt it: in a
// form, + / and = are escaped, and in JSON, < & and " are. No spelling reaches the error.
func TestEchoedSecretIsRedactedInEverySpelling(t *testing.T) {
	const secret = `ab+c/d=<&"x`
	c, _ := mockClient(t, func(req *http.Request) (*http.Response, error) {
		sent, _ := io.ReadAll(req.Body)
		quoted, _ := json.Marshal(secret)
		// The last member is the secret as PHP's json_encode writes it, slashes escaped.
		slashed := strings.ReplaceAll(string(quoted), "/", `\/`)
		body := fmt.Sprintf(`{"message":"refused %s","code":%s,"echo":%q,"php":%s}`, sent, quoted, sent, slashed)
		return httpmock.NewStringResponse(http.StatusBadRequest, body), nil
	})
	err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/token", NoAuth: true,
		Form: url.Values{"client_secret": {secret}}, Secrets: []string{secret}}, nil)
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "refused", "the rest of the message is kept")
	for _, s := range []string{secret, `ab%2Bc%2Fd%3D%3C%26%22x`, `ab+c/d=\u003c\u0026\"x`, `ab+c\/d=\u003c\u0026\"x`} {
		for _, text := range []string{err.Error(), apiErr.Message, apiErr.Code, string(apiErr.Body)} {
			assert.NotContains(t, text, s)
		}
	}
}

// A server that echoes a refused request gets back into no error the values of the
// members with secret names, at any depth, nor the credential the request carried; the
// rest of the answer is kept, and a short credential ("tok") does not eat the words that
// contain it ("token").
func TestEchoedRequestSecretsAreRedacted(t *testing.T) {
	c, _ := mockClient(t, func(req *http.Request) (*http.Response, error) {
		sent, _ := io.ReadAll(req.Body)
		msg := fmt.Sprintf("bad token %s; body %s", req.Header.Get("Authorization"), sent)
		return httpmock.NewJsonResponse(http.StatusBadRequest, map[string]any{"message": msg, "code": msg})
	})
	for name, tc := range map[string]struct {
		req     *Request
		secrets []string
		kept    string
	}{
		"top-level member": {&Request{Body: map[string]any{"password": "top-Pw-1", "name": "ann"}},
			[]string{"top-Pw-1"}, `"name":"ann"`},
		"nested member": {&Request{Body: map[string]any{"user": map[string]any{"oldPassword": "nested-Pw-2", "name": "ann"}}},
			[]string{"nested-Pw-2"}, `"name":"ann"`},
		"inside a secret object": {&Request{Body: map[string]any{"credentials": map[string]any{"key": "obj-3", "ids": []any{"arr-4", 765432}}}},
			[]string{"obj-3", "arr-4", "765432"}, `"credentials":{`},
		"in an array of objects": {&Request{Body: []any{map[string]any{"api_key": "list-Key-5"}, map[string]any{"id": 1}}},
			[]string{"list-Key-5"}, `"id":1`},
		"form": {&Request{Form: url.Values{"client_secret": {"form-Secret-6"}, "grant_type": {"client_credentials"}}},
			[]string{"form-Secret-6"}, "grant_type=client_credentials"},
	} {
		t.Run(name, func(t *testing.T) {
			tc.req.Method, tc.req.Path = http.MethodPost, "/users"
			err := c.Do(t.Context(), tc.req, nil)
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.True(t, strings.HasPrefix(apiErr.Message, "bad token Bearer [REDACTED]; body "), apiErr.Message)
			assert.Contains(t, apiErr.Message, tc.kept)
			for _, text := range []string{err.Error(), apiErr.Message, apiErr.Code, string(apiErr.Body)} {
				for _, s := range tc.secrets {
					assert.NotContains(t, text, s)
				}
				assert.Contains(t, text, Redacted)
			}
		})
	}
}

func TestReplaceWhole(t *testing.T) {
	for _, tc := range []struct{ s, secret, want string }{
		{"bad token tok", "tok", "bad token [REDACTED]"},
		{`bad token:\ntok`, "tok", `bad token:\n[REDACTED]`},
		{`pw\ttok and \u0020tok`, "tok", `pw\t[REDACTED] and \u0020[REDACTED]`},
		{`Benutzer \u00dcber, %41ber, %2Fber`, "ber", `Benutzer \u00dcber, %41ber, %2F[REDACTED]`}, // Ü and A are letters
		{"Authorization=Bearer%20tok", "tok", "Authorization=Bearer%20[REDACTED]"},
		{"xS3cret-passy, S3cret-pass", "S3cret-pass", "x[REDACTED]y, [REDACTED]"},
		{`"tok","tokens":"tok"`, "tok", `"[REDACTED]","tokens":"[REDACTED]"`},
		{"tok", "tok", "[REDACTED]"},
		{"atok tokb tok_c", "tok", "atok tokb [REDACTED]_c"},
		{"pw=-x-&a-x-b", "-x-", "pw=[REDACTED]&a[REDACTED]b"},
		{"dXNlcjpwdw== Basic dXNlcjpwdw==", "dXNlcjpwdw==", "[REDACTED] Basic [REDACTED]"},
		{"none here", "tok", "none here"},
	} {
		assert.Equal(t, tc.want, replaceWhole(tc.s, tc.secret), "%q in %q", tc.secret, tc.s)
	}
}

// PHP's json_encode escapes / and writes non-ASCII as \u00fc, but leaves & < > alone;
// Python's json.dumps writes non-ASCII as \u00fc too. An echo in either is redacted.
func TestEchoInPHPAndPythonJSONIsRedacted(t *testing.T) {
	for secret, echoed := range map[string]string{
		`Tr0ub4dor&3/x`: `Tr0ub4dor&3\/x`,
		`Grüße-2024!`:   `Gr\u00fc\u00dfe-2024!`,
		`pässwörd/😀`:    `p\u00e4ssw\u00f6rd\/\ud83d\ude00`,
	} {
		e := &usersdk.APIError{Message: "bad " + echoed, Body: []byte(`{"message":"bad","echo":"` + echoed + `"}`)}
		redactEchoes(e, []string{secret})
		assert.Equal(t, "bad "+Redacted, e.Message, secret)
		assert.NotContains(t, string(e.Body), echoed, secret)
	}
}
