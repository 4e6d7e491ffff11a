package server

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/recorder"
)

func env(m map[string]string) Env { return func(k string) string { return m[k] } }

func TestNoVariablesStartAFake(t *testing.T) {
	none := env(nil)
	b, err := ForBackoffice(none)
	require.NoError(t, err)
	defer b.Close()
	require.NotNil(t, b.Fake)
	assert.Equal(t, b.Fake.URL, b.BaseURL)
	assert.Equal(t, b.Fake.Token(), b.Token)
	assert.Contains(t, b.Where, "BACKOFFICE_BASE_URL and BACKOFFICE_TOKEN")

	i, err := ForIotuser(none)
	require.NoError(t, err)
	defer i.Close()
	require.NotNil(t, i.Fake)
	assert.Equal(t, i.Fake.AuthURL(), i.AuthURL, "the fake runs its token service apart, as DeviceHive does")
	assert.NotZero(t, i.NetworkID)
}

func TestVariablesNameARealServer(t *testing.T) {
	b, err := ForBackoffice(env(map[string]string{"BACKOFFICE_BASE_URL": "https://bo.example.com", "BACKOFFICE_TOKEN": "t"}))
	require.NoError(t, err)
	assert.Nil(t, b.Fake)
	assert.Equal(t, "https://bo.example.com", b.BaseURL)
	assert.Equal(t, "t", b.Token)
	assert.Equal(t, "https://bo.example.com", b.Where)

	telphin := map[string]string{"TELPHIN_APP_ID": "app", "TELPHIN_APP_SECRET": "s"}
	c, err := ForClientuser(env(telphin))
	require.NoError(t, err, "clientuser needs no extension")
	assert.Nil(t, c.Fake)
	assert.Equal(t, clientuser.DefaultBaseURL, c.BaseURL)
	_, err = ForExtensionuser(env(telphin))
	assert.ErrorContains(t, err, "TELPHIN_EXTENSION_ID")
	telphin["TELPHIN_EXTENSION_ID"], telphin["TELPHIN_BASE_URL"] = "7001", "https://pbx.example.com/api/ver1.0"
	e, err := ForExtensionuser(env(telphin))
	require.NoError(t, err)
	assert.Nil(t, e.Fake)
	assert.Equal(t, int64(7001), e.ExtensionID)
	assert.Equal(t, "https://pbx.example.com/api/ver1.0", e.BaseURL)

	a, err := ForAccountuser(env(map[string]string{"REVIVE_BASE_URL": "https://r.example.com/api",
		"REVIVE_USER": "u", "REVIVE_PASSWORD": "p", "REVIVE_ACCOUNT_ID": "2"}))
	require.NoError(t, err)
	assert.Nil(t, a.Fake)
	assert.Equal(t, accountuser.ID(2), a.AccountID)

	i, err := ForIotuser(env(map[string]string{"DEVICEHIVE_BASE_URL": "https://dh.example.com/api/rest",
		"DEVICEHIVE_LOGIN": "dhadmin", "DEVICEHIVE_PASSWORD": "p"}))
	require.NoError(t, err)
	assert.Nil(t, i.Fake)
	assert.Empty(t, i.AuthURL, "optional: a proxy may serve /token under the base URL")
	assert.Zero(t, i.NetworkID, "optional: the program then skips the network")
}

func TestIncompleteVariablesAreRefused(t *testing.T) {
	for name, try := range map[string]func() error{
		"BACKOFFICE_TOKEN": func() error {
			_, err := ForBackoffice(env(map[string]string{"BACKOFFICE_BASE_URL": "https://bo.example.com"}))
			return err
		},
		"TELPHIN_APP_SECRET": func() error {
			_, err := ForClientuser(env(map[string]string{"TELPHIN_APP_ID": "app"}))
			return err
		},
		"REVIVE_ACCOUNT_ID": func() error {
			_, err := ForAccountuser(env(map[string]string{"REVIVE_BASE_URL": "https://r.example.com/api",
				"REVIVE_USER": "u", "REVIVE_PASSWORD": "p", "REVIVE_ACCOUNT_ID": "two"}))
			return err
		},
		"DEVICEHIVE_PASSWORD": func() error {
			_, err := ForIotuser(env(map[string]string{"DEVICEHIVE_BASE_URL": "https://dh.example.com", "DEVICEHIVE_LOGIN": "a"}))
			return err
		},
		"DEVICEHIVE_NETWORK_ID": func() error {
			_, err := ForIotuser(env(map[string]string{"DEVICEHIVE_BASE_URL": "https://dh.example.com",
				"DEVICEHIVE_LOGIN": "a", "DEVICEHIVE_PASSWORD": "p", "DEVICEHIVE_NETWORK_ID": "-1"}))
			return err
		},
	} {
		assert.ErrorContains(t, try(), name)
	}
}

func TestHTTPClientRecordsUnderDirAPI(t *testing.T) {
	hc, err := HTTPClient("backoffice")
	require.NoError(t, err)
	assert.Nil(t, hc.Transport, "not recording: the default transport")

	dir := t.TempDir()
	t.Setenv(recorder.EnvVar, dir)
	hc, err = HTTPClient("backoffice")
	require.NoError(t, err)
	rec, ok := hc.Transport.(*recorder.Transport)
	require.True(t, ok, "recording")
	assert.Equal(t, filepath.Join(dir, "backoffice"), rec.Dir())

	b, err := ForBackoffice(env(nil))
	require.NoError(t, err)
	defer b.Close()
	assert.Contains(t, b.Where, "recording to "+filepath.Join(dir, "backoffice"))
}

func TestUndoRunsOnlyAfterAFailure(t *testing.T) {
	var undone []error
	step := func(fail error) (err error) {
		ctx, cancel := context.WithCancel(context.Background())
		defer Undo(ctx, &err, func(ctx context.Context) error {
			undone = append(undone, ctx.Err())
			return errors.New("dropped")
		})
		cancel() // ctx has ended by the time Undo runs, as after a timeout
		return fail
	}
	require.NoError(t, step(nil))
	assert.Empty(t, undone, "nothing to undo after a success")
	fail := errors.New("list failed")
	assert.Equal(t, fail, step(fail), "the step's error, not undo's")
	assert.Equal(t, []error{nil}, undone, "undone once, with a context that is not canceled")
}
