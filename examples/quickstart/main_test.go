package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/recorder"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// apis are the record directories, one per one-API program.
var apis = []string{"backoffice", "clientuser", "extensionuser", "accountuser", "iotuser"}

// TestRun runs the quickstart as `go run` does with no configuration. Each one-API
// program's own test checks what its fake stored; this one checks that the tour takes
// every step, and the misbehaving servers' demonstrations check themselves.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, exampletest.NoEnv), out.String())
	for _, want := range []string{
		"== B2Core Back Office", "== Telphin client-level users", "== Telphin internal-number users",
		"== Revive Adserver", "== DeviceHive",
		"status 200 after 2 attempts", "(1 login, 1 refresh)", "1 token request for both",
		"Done: every step succeeded.",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.Equal(t, 5, strings.Count(out.String(), "\ndeleted user "), "every API's user is deleted")
	assert.Equal(t, 5, strings.Count(out.String(), "ErrNotFound"), "every API shows its typed 404")
}

// TestRunWithVariables points every API at a server named by its variables, as a user
// with real accounts would; the fakes the one-API programs start with no variables stand
// in for the real servers.
func TestRunWithVariables(t *testing.T) {
	bo := exampletest.Open(t, server.ForBackoffice)
	tel := exampletest.Open(t, server.ForClientuser) // serves both Telphin APIs
	rev := exampletest.Open(t, server.ForAccountuser)
	rev.Fake.AddAccount(2)
	dh := exampletest.Open(t, server.ForIotuser) // with a token service of its own
	vars := map[string]string{
		"BACKOFFICE_BASE_URL": bo.BaseURL, "BACKOFFICE_TOKEN": bo.Token,
		"TELPHIN_BASE_URL": tel.BaseURL, "TELPHIN_APP_ID": tel.AppID, "TELPHIN_APP_SECRET": tel.Secret,
		"TELPHIN_EXTENSION_ID": "7001",
		"REVIVE_BASE_URL":      rev.BaseURL, "REVIVE_USER": rev.User, "REVIVE_PASSWORD": rev.Password, "REVIVE_ACCOUNT_ID": "2",
		"DEVICEHIVE_BASE_URL": dh.BaseURL, "DEVICEHIVE_AUTH_URL": dh.AuthURL,
		"DEVICEHIVE_LOGIN": dh.Login, "DEVICEHIVE_PASSWORD": dh.Password,
		"DEVICEHIVE_NETWORK_ID": strconv.FormatInt(dh.NetworkID, 10),
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(k string) string { return vars[k] }), out.String())
	// The misbehaving servers' part always uses its own fakes, and says so.
	tour, _, _ := strings.Cut(out.String(), "== When a server misbehaves")
	assert.NotContains(t, tour, "built-in fake")
	for _, want := range []string{
		"(backoffice), " + bo.BaseURL + "\n", "(clientuser), " + tel.BaseURL + "\n", "(extensionuser), " + tel.BaseURL + "\n",
		"(accountuser), " + rev.BaseURL + "\n", "(iotuser), " + dh.BaseURL + "\n",
	} {
		assert.Contains(t, tour, want)
	}
	assert.Contains(t, posted(tel.Fake.Requests(), "/user/extension/"), `"extension_id":7001`, "the internal number named")
	assert.Contains(t, posted(rev.Fake.Requests(), "/usr/new"), `"defaultAccountId":2`, "the account named")
	assert.Empty(t, bo.Fake.Users(), "only what the tour created was touched, and it is gone")
	assert.Empty(t, tel.Fake.ClientUsers())
	assert.Empty(t, tel.Fake.ExtensionUsers())
	assert.Empty(t, rev.Fake.Users())
	assert.Len(t, dh.Fake.Users(), 1, "the administrator only")
}

// posted returns the body of the first POST whose path ends in suffix.
func posted(reqs []usersdktest.Request, suffix string) string {
	for _, r := range reqs {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, suffix) {
			return string(r.Body)
		}
	}
	return ""
}

// TestRecordMode runs the quickstart with USERSDK_RECORD set: every API's exchanges are
// written under DIR/<api>/, each file loads as a fixture, and the staged misbehaviour is
// not among them.
func TestRecordMode(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(recorder.EnvVar, dir)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, exampletest.NoEnv), out.String())

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	assert.ElementsMatch(t, apis, got, "one directory per API, nothing else")
	for _, api := range apis {
		files, err := filepath.Glob(filepath.Join(dir, api, "*.json"))
		require.NoError(t, err)
		require.NotEmpty(t, files, api)
		var methods []string
		for _, f := range files {
			ex := fixture.Load(t, f)
			methods = append(methods, ex.Request.Method)
			assert.NotEqual(t, http.StatusServiceUnavailable, ex.Response.Status, "%s: a staged failure was recorded", f)
		}
		for _, m := range []string{"POST", "GET", "DELETE"} {
			assert.Contains(t, methods, m, api)
		}
		assert.Contains(t, out.String(), "recording to "+filepath.Join(dir, api))
	}
}
