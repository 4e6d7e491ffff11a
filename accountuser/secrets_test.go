package accountuser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// TestNoCredentialInErrorsOrLogs drives failing and succeeding calls of every operation
// with debug logging on and checks that neither the Basic credentials (user, password,
// header value) nor a new user's password appear in any error text, any log line, or the
// printed form of errors, options, the client and the request structs.
func TestNoCredentialInErrorsOrLogs(t *testing.T) {
	const (
		apiUser     = "revive-api-operator"
		apiPassword = "Basic-pa55-word"
		newPassword = "new-user-Secret-77"
	)
	header := "Basic " + base64.StdEncoding.EncodeToString([]byte(apiUser+":"+apiPassword))
	secrets := []string{apiUser, apiPassword, header[len("Basic "):], newPassword}

	auth := map[string]string{"Authorization": header}
	createBody := json.RawMessage(`{"contactName":"Mary","emailAddress":"mary@example.com","defaultAccountId":2,"username":"mary","password":"` + newPassword + `"}`)
	updateBody := json.RawMessage(`{"password":"` + newPassword + `"}`)
	errBody := json.RawMessage(`{"error":{"type":"Exception","message":"Unknown userId Error"}}`)
	user := json.RawMessage(`{"userId":"5","contactName":"Mary","emailAddress":"mary@example.com","username":"mary","password":null,"defaultAccountId":"2","active":"1"}`)
	list := json.RawMessage(`[` + string(user) + `]`)
	exchange := func(method, path string, body json.RawMessage, status int, answer json.RawMessage, text string) *fixture.Exchange {
		return &fixture.Exchange{
			Request:  fixture.Request{Method: method, Path: path, Headers: auth, Body: body},
			Response: fixture.Response{Status: status, Body: answer, BodyText: text, Headers: map[string]string{"WWW-Authenticate": `Basic realm="Revive"`}},
		}
	}
	rec := fixture.New(t)
	for _, ex := range []*fixture.Exchange{
		// failures
		exchange("GET", "/usr/acc/2", nil, 401, nil, "Unauthorized"),
		exchange("GET", "/usr/acc/2", nil, 200, nil, "not a list"),
		exchange("GET", "/usr/5", nil, 404, errBody, ""),
		exchange("GET", "/usr/5", nil, 200, errBody, ""),
		exchange("POST", "/usr/new", createBody, 400, json.RawMessage(`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`), ""),
		exchange("POST", "/usr/new", createBody, 500, nil, "<html>Fatal error</html>"),
		exchange("POST", "/usr/new", createBody, 200, nil, `{"OK"}`),
		exchange("POST", "/usr/5", updateBody, 502, nil, "Bad Gateway"),
		exchange("POST", "/usr/5", updateBody, 200, errBody, ""),
		exchange("DELETE", "/usr/5", nil, 200, errBody, ""),
		// successes
		exchange("GET", "/usr/acc/2", nil, 200, list, ""),
		exchange("GET", "/usr/5", nil, 200, user, ""),
		exchange("POST", "/usr/new", createBody, 200, user, ""),
		exchange("POST", "/usr/5", updateBody, 200, user, ""),
		exchange("DELETE", "/usr/5", nil, 200, nil, `{"OK"}`),
	} {
		rec.ExpectExchange(ex)
	}

	leaks := fuzzkit.NewLeaks()
	opts := []Option{WithBaseURL("https://api.test"), WithBasicAuth(apiUser, apiPassword), WithHTTPClient(rec.Client()), WithoutRetries(), WithLogger(leaks.Logger)}
	c, err := New(opts...)
	require.NoError(t, err)

	ctx := context.Background()
	create := &CreateRequest{ContactName: "Mary", EmailAddress: "mary@example.com", DefaultAccountID: 2, Username: "mary", Password: newPassword}
	update := &UpdateRequest{Password: Ptr(newPassword)}
	calls := []func() error{
		func() error { _, err := c.ListByAccount(ctx, 2); return err },
		func() error { _, err := c.Get(ctx, 5); return err },
		func() error { _, err := c.Create(ctx, create); return err },
		func() error { _, err := c.Update(ctx, 5, update); return err },
		func() error { return c.Delete(ctx, 5) },
	}
	var failures int
	for _, round := range [][]int{{0, 0, 1, 1, 2, 2, 2, 3, 3, 4}, {0, 1, 2, 3, 4}} {
		for _, i := range round {
			if err := calls[i](); err != nil {
				failures++
				leaks.Error(t, err)
			}
		}
	}
	assert.Equal(t, 10, failures, "the first round fails, the second succeeds")

	// A request that gets no answer at all.
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	offline, err := New(WithBaseURL("https://api.test"), WithBasicAuth(apiUser, apiPassword), WithHTTPClient(&http.Client{Transport: mt}), WithoutRetries(), WithLogger(leaks.Logger))
	require.NoError(t, err)
	_, err = offline.Create(ctx, create)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	leaks.Error(t, err)

	leaks.Logger.Debug("structs", "create", create, "update", update, "createValue", *create, "updateValue", *update)
	leaks.Print(create, *create, update, *update, opts, c, *c)

	require.Contains(t, leaks.Log(), "level=DEBUG", "debug logging must produce lines")
	require.Contains(t, leaks.Log(), "status=200", "the core logs each attempt with its status")
	leaks.Check(t, secrets...)
	assert.Contains(t, fmt.Sprintf("%+v", create), "[REDACTED]", "the redaction is visible")
}

// The options' errors name the problem, never the password.
func TestBasicAuthErrorsDoNotEchoThePassword(t *testing.T) {
	const pw = "only-this-Secret"
	for _, user := range []string{"", "a:b"} {
		_, err := New(WithBaseURL("https://api.test"), WithBasicAuth(user, pw))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), pw)
	}
	_, err := New(WithBaseURL("http://ads.example.com"), WithBasicAuth("admin", pw))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), pw)
}
