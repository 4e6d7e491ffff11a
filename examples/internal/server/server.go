// Package server tells each example program where to send its requests: to the real
// server that the API's environment variables name, or, when they are not set, to a
// fresh in-memory fake of that API, so that every example runs with no configuration.
//
// It also builds the one *http.Client every example gives the SDK (HTTPClient), so that
// record mode reaches every program through one line.
package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
	"github.com/usersdk/usersdk-go/recorder"
)

// Env reads a variable: os.Getenv in the programs, a map in tests.
type Env func(string) string

// HTTPClient returns the client an example gives the SDK for api ("backoffice",
// "iotuser", …). Every client the examples build comes from here, so that with
// USERSDK_RECORD=DIR each exchange of every example is written, secrets redacted, under
// DIR/api (see package recorder).
func HTTPClient(api string) (*http.Client, error) {
	rt, err := recorder.FromEnv(api, nil) // nil, the default transport, when not recording
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: rt}, nil
}

// Common is what every API's settings share.
type Common struct {
	// HTTPClient is the client to give the SDK (WithHTTPClient); it comes from HTTPClient.
	HTTPClient *http.Client
	// Where says where the requests go, for the program to print.
	Where string
	close func()
}

// Close stops the fake, if one was started.
func (c *Common) Close() {
	if c.close != nil {
		c.close()
	}
}

func common(api, where string, close func()) (Common, error) {
	hc, err := HTTPClient(api)
	if err != nil {
		close()
		return Common{}, err
	}
	if rec, ok := hc.Transport.(*recorder.Transport); ok {
		where += ", recording to " + rec.Dir()
	}
	return Common{HTTPClient: hc, Where: where, close: close}, nil
}

func fakeWhere(url string, vars string) string {
	return fmt.Sprintf("the built-in fake at %s (set %s for a real server)", url, vars)
}

// required reads variables that must all be set once the first of them is.
func required(env Env, names ...string) ([]string, error) {
	vals := make([]string, len(names))
	for i, n := range names {
		if vals[i] = env(n); vals[i] == "" {
			return nil, fmt.Errorf("%s is set, so %s is required too", names[0], n)
		}
	}
	return vals, nil
}

func parseID(env Env, name string) (int64, error) {
	n, err := strconv.ParseInt(env(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: want a positive number, got %q", name, env(name))
	}
	return n, nil
}

// BackofficeVars are the variables that point the backoffice example at a real server.
var BackofficeVars = []string{"BACKOFFICE_BASE_URL", "BACKOFFICE_TOKEN"}

// Backoffice is where the backoffice example sends its requests.
type Backoffice struct {
	Common
	BaseURL, Token string
	// Fake is the fake serving the example, nil against a real server.
	Fake *backofficetest.Server
}

// ForBackoffice reads BACKOFFICE_BASE_URL and BACKOFFICE_TOKEN, or starts a fake.
func ForBackoffice(env Env) (*Backoffice, error) {
	if env(BackofficeVars[0]) != "" {
		v, err := required(env, BackofficeVars...)
		if err != nil {
			return nil, err
		}
		c, err := common("backoffice", v[0], func() {})
		return &Backoffice{Common: c, BaseURL: v[0], Token: v[1]}, err
	}
	fake := backofficetest.NewServer()
	c, err := common("backoffice", fakeWhere(fake.URL, "BACKOFFICE_BASE_URL and BACKOFFICE_TOKEN"), fake.Close)
	return &Backoffice{Common: c, BaseURL: fake.URL, Token: fake.Token(), Fake: fake}, err
}

// TelphinVars are the variables that point the Telphin examples at the real platform.
// TELPHIN_BASE_URL is optional; TELPHIN_EXTENSION_ID is needed by extensionuser only.
var TelphinVars = []string{"TELPHIN_APP_ID", "TELPHIN_APP_SECRET", "TELPHIN_EXTENSION_ID", "TELPHIN_BASE_URL"}

// Telphin is where a Telphin example sends its requests.
type Telphin struct {
	Common
	BaseURL, AppID, Secret string
	// ExtensionID is an internal number (extension) of the application's client.
	ExtensionID int64
}

// fakeExtension is the internal number the examples use on the fake: the fake gives any
// number to the first client that puts a user on it.
const fakeExtension = 5001

func forTelphin(env Env, api string, needExtension bool) (Telphin, bool, error) {
	if env("TELPHIN_APP_ID") == "" {
		return Telphin{}, false, nil
	}
	v, err := required(env, "TELPHIN_APP_ID", "TELPHIN_APP_SECRET")
	if err != nil {
		return Telphin{}, true, err
	}
	t := Telphin{BaseURL: env("TELPHIN_BASE_URL"), AppID: v[0], Secret: v[1]}
	if t.BaseURL == "" {
		t.BaseURL = clientuser.DefaultBaseURL
	}
	if needExtension {
		if t.ExtensionID, err = parseID(env, "TELPHIN_EXTENSION_ID"); err != nil {
			return Telphin{}, true, err
		}
	}
	t.Common, err = common(api, t.BaseURL, func() {})
	return t, true, err
}

const telphinFakeVars = "TELPHIN_APP_ID and TELPHIN_APP_SECRET"

// Clientuser is where the clientuser example sends its requests.
type Clientuser struct {
	Telphin
	// Fake is the fake serving the example, nil against the real platform.
	Fake *clientusertest.Server
}

// ForClientuser reads TELPHIN_APP_ID, TELPHIN_APP_SECRET and TELPHIN_BASE_URL, or starts
// a fake.
func ForClientuser(env Env) (*Clientuser, error) {
	t, real, err := forTelphin(env, "clientuser", false)
	if real || err != nil {
		return &Clientuser{Telphin: t}, err
	}
	fake := clientusertest.NewServer()
	t = Telphin{BaseURL: fake.BaseURL(), AppID: fake.AppID(), Secret: fake.Secret(), ExtensionID: fakeExtension}
	t.Common, err = common("clientuser", fakeWhere(fake.URL, telphinFakeVars), fake.Close)
	return &Clientuser{Telphin: t, Fake: fake}, err
}

// Extensionuser is where the extensionuser example sends its requests.
type Extensionuser struct {
	Telphin
	// Fake is the fake serving the example, nil against the real platform.
	Fake *extensionusertest.Server
}

// ForExtensionuser reads TELPHIN_APP_ID, TELPHIN_APP_SECRET, TELPHIN_EXTENSION_ID and
// TELPHIN_BASE_URL, or starts a fake.
func ForExtensionuser(env Env) (*Extensionuser, error) {
	t, real, err := forTelphin(env, "extensionuser", true)
	if real || err != nil {
		return &Extensionuser{Telphin: t}, err
	}
	fake := extensionusertest.NewServer()
	t = Telphin{BaseURL: fake.BaseURL(), AppID: fake.AppID(), Secret: fake.Secret(), ExtensionID: fakeExtension}
	t.Common, err = common("extensionuser", fakeWhere(fake.URL, "TELPHIN_APP_ID, TELPHIN_APP_SECRET and TELPHIN_EXTENSION_ID"), fake.Close)
	return &Extensionuser{Telphin: t, Fake: fake}, err
}

// AccountuserVars are the variables that point the accountuser example at a real server.
var AccountuserVars = []string{"REVIVE_BASE_URL", "REVIVE_USER", "REVIVE_PASSWORD", "REVIVE_ACCOUNT_ID"}

// Accountuser is where the accountuser example sends its requests.
type Accountuser struct {
	Common
	BaseURL, User, Password string
	// AccountID is the account the example's user belongs to.
	AccountID accountuser.ID
	// Fake is the fake serving the example, nil against a real server.
	Fake *accountusertest.Server
}

// ForAccountuser reads REVIVE_BASE_URL, REVIVE_USER, REVIVE_PASSWORD and
// REVIVE_ACCOUNT_ID, or starts a fake.
func ForAccountuser(env Env) (*Accountuser, error) {
	if env(AccountuserVars[0]) != "" {
		v, err := required(env, AccountuserVars...)
		if err != nil {
			return nil, err
		}
		account, err := parseID(env, "REVIVE_ACCOUNT_ID")
		if err != nil {
			return nil, err
		}
		c, err := common("accountuser", v[0], func() {})
		return &Accountuser{Common: c, BaseURL: v[0], User: v[1], Password: v[2], AccountID: accountuser.ID(account)}, err
	}
	fake := accountusertest.NewServer()
	user, pass := fake.Credentials()
	c, err := common("accountuser", fakeWhere(fake.URL, "REVIVE_BASE_URL, REVIVE_USER, REVIVE_PASSWORD and REVIVE_ACCOUNT_ID"), fake.Close)
	return &Accountuser{Common: c, BaseURL: fake.URL, User: user, Password: pass,
		AccountID: accountusertest.DefaultAccount, Fake: fake}, err
}

// IotuserVars are the variables that point the iotuser example at a real server;
// DEVICEHIVE_AUTH_URL and DEVICEHIVE_NETWORK_ID are optional.
var IotuserVars = []string{"DEVICEHIVE_BASE_URL", "DEVICEHIVE_LOGIN", "DEVICEHIVE_PASSWORD", "DEVICEHIVE_AUTH_URL", "DEVICEHIVE_NETWORK_ID"}

// Iotuser is where the iotuser example sends its requests.
type Iotuser struct {
	Common
	BaseURL, Login, Password string
	// AuthURL is DeviceHive's token service; empty when the base URL serves /token too.
	AuthURL string
	// NetworkID is an existing network to assign; 0 skips that step.
	NetworkID int64
	// Fake is the fake serving the example, nil against a real server.
	Fake *iotusertest.Server
}

// ForIotuser reads DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN, DEVICEHIVE_PASSWORD,
// DEVICEHIVE_AUTH_URL and DEVICEHIVE_NETWORK_ID, or starts a fake with a separate token
// service and one network.
func ForIotuser(env Env) (*Iotuser, error) {
	if env(IotuserVars[0]) != "" {
		v, err := required(env, IotuserVars[:3]...)
		if err != nil {
			return nil, err
		}
		s := &Iotuser{BaseURL: v[0], Login: v[1], Password: v[2], AuthURL: env("DEVICEHIVE_AUTH_URL")}
		if env("DEVICEHIVE_NETWORK_ID") != "" {
			if s.NetworkID, err = parseID(env, "DEVICEHIVE_NETWORK_ID"); err != nil {
				return nil, err
			}
		}
		s.Common, err = common("iotuser", v[0], func() {})
		return s, err
	}
	fake := iotusertest.NewServer(iotusertest.WithSeparateAuth())
	network := fake.AddNetwork(iotuser.Network{Name: "Greenhouse", Description: "sensors"})
	c, err := common("iotuser", fakeWhere(fake.BaseURL(), "DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN and DEVICEHIVE_PASSWORD"), fake.Close)
	return &Iotuser{Common: c, BaseURL: fake.BaseURL(), Login: fake.AdminLogin(), Password: fake.AdminPassword(),
		AuthURL: fake.AuthURL(), NetworkID: network.ID, Fake: fake}, err
}
