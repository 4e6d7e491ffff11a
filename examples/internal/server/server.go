// Package server tells each example program where to send its requests: to the real
// server that the API's environment variables name, or, when they are not set, to a
// fresh in-memory fake of that API, so that every example runs with no configuration.
//
// It also builds the one *http.Client every example gives the SDK (HTTPClient), so that
// record mode reaches every program through one line.
package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
	"github.com/usersdk/usersdk-go/recorder"
	"github.com/usersdk/usersdk-go/usersdktest"
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

// Settings is what the settings of every API (*Backoffice, *Clientuser, …) have.
type Settings interface {
	Close()
	Shared() *Common
}

// FakeServer is what every API's fake has.
type FakeServer interface {
	Close()
	Requests() []usersdktest.Request
	FailNext(n, status int, retryAfter string)
}

// Common is what every API's settings share.
type Common struct {
	// API is the API's package name ("backoffice", …), also the directory record mode
	// writes to.
	API string
	// HTTPClient is the client to give the SDK (WithHTTPClient); it comes from HTTPClient.
	HTTPClient *http.Client
	// Where says where the requests go, for the program to print.
	Where string
	// Credential is the secret the settings hold (a token, an OAuth client secret or a
	// password), which no recording may hold.
	Credential string
	fake       FakeServer
}

// Shared returns c: the part of an API's settings that code for any API can use.
func (c *Common) Shared() *Common { return c }

// FakeServer returns the fake serving the program, nil against a real server.
func (c *Common) FakeServer() FakeServer { return c.fake }

// Close stops the fake, if one was started.
func (c *Common) Close() {
	if c.fake != nil {
		c.fake.Close()
	}
}

// common returns the settings for api: the real server where, or fake when it is not nil
// (it is closed if the settings cannot be made).
func common(api, where, credential string, fake FakeServer) (Common, error) {
	c := Common{API: api, Where: where, Credential: credential, fake: fake}
	hc, err := HTTPClient(api)
	if err != nil {
		c.Close()
		return Common{}, err
	}
	if rec, ok := hc.Transport.(*recorder.Transport); ok {
		c.Where += ", recording to " + rec.Dir()
	}
	c.HTTPClient = hc
	return c, nil
}

// Use sets up an API's settings from env (its server, or a fresh fake), prints a heading
// with the title and where the requests go, runs run with the settings, and closes the
// fake.
func Use[S Settings](ctx context.Context, w io.Writer, env Env, title string, setup func(Env) (S, error),
	run func(context.Context, io.Writer, S) error) error {
	srv, err := setup(env)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(w, "\n== %s, %s\n", title, srv.Shared().Where)
	return run(ctx, w, srv)
}

// Run is a program's main: it runs run for at most timeout, writing to stdout, and on an
// error prints it after name and exits with status 1.
func Run(name string, timeout time.Duration, run func(context.Context, io.Writer) error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	err := run(ctx, os.Stdout)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Main is the main of the one-API program name: it reads the API's variables with setup
// (or starts a fake), and runs run against that server for at most a minute, under the
// heading "title (name)".
func Main[S Settings](name, title string, setup func(Env) (S, error), run func(context.Context, io.Writer, S) error) {
	Run(name, time.Minute, func(ctx context.Context, w io.Writer) error {
		return Use(ctx, w, os.Getenv, title+" ("+name+")", setup, run)
	})
}

// Undo calls undo when *err holds an error as the calling function returns. Deferred
// right after a create, it removes what the program created when a later step fails.
// undo gets a context that outlives ctx's cancellation (a timeout may be why the step
// failed), and its own error is dropped: the step's error is the one to report.
func Undo(ctx context.Context, err *error, undo func(context.Context) error) {
	if *err != nil {
		_ = undo(context.WithoutCancel(ctx))
	}
}

// UniqueName returns a name no server holds yet ("example-" and the time), so that a
// program touches only the user it creates.
func UniqueName() string {
	return "example-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

func fakeWhere(url string, vars string) string {
	return fmt.Sprintf("the built-in fake at %s (set %s for a real server)", url, vars)
}

// realOrFake returns real with the values of names when the first of them is set in env
// (each of the others is then required too), and fake when it is not.
func realOrFake[S any](env Env, names []string, real func(vals []string) (S, error), fake func() (S, error)) (S, error) {
	if env(names[0]) == "" {
		return fake()
	}
	vals := make([]string, len(names))
	for i, n := range names {
		if vals[i] = env(n); vals[i] == "" {
			var none S
			return none, fmt.Errorf("%s is set, so %s is required too", names[0], n)
		}
	}
	return real(vals)
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
	return realOrFake(env, BackofficeVars, func(v []string) (*Backoffice, error) {
		c, err := common("backoffice", v[0], v[1], nil)
		return &Backoffice{Common: c, BaseURL: v[0], Token: v[1]}, err
	}, func() (*Backoffice, error) {
		fake := backofficetest.NewServer()
		c, err := common("backoffice", fakeWhere(fake.URL, "BACKOFFICE_BASE_URL and BACKOFFICE_TOKEN"), fake.Token(), fake)
		return &Backoffice{Common: c, BaseURL: fake.URL, Token: fake.Token(), Fake: fake}, err
	})
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

// telphinFake is what the examples need of either Telphin fake.
type telphinFake interface {
	FakeServer
	BaseURL() string
	AppID() string
	Secret() string
}

// TelphinWith is where a Telphin example sends its requests, with the fake F that serves
// it: Clientuser and Extensionuser.
type TelphinWith[F telphinFake] struct {
	Telphin
	// Fake is the fake serving the example, nil against the real platform.
	Fake F
}

// forTelphin reads the Telphin variables for api, the extension too when needExtension,
// or starts the fake newFake returns.
func forTelphin[F telphinFake](env Env, api string, needExtension bool, newFake func() F) (*TelphinWith[F], error) {
	return realOrFake(env, TelphinVars[:2], func(v []string) (*TelphinWith[F], error) {
		t := Telphin{BaseURL: env("TELPHIN_BASE_URL"), AppID: v[0], Secret: v[1]}
		if t.BaseURL == "" {
			t.BaseURL = clientuser.DefaultBaseURL
		}
		var err error
		if needExtension {
			if t.ExtensionID, err = parseID(env, "TELPHIN_EXTENSION_ID"); err != nil {
				return nil, err
			}
		}
		t.Common, err = common(api, t.BaseURL, t.Secret, nil)
		return &TelphinWith[F]{Telphin: t}, err
	}, func() (*TelphinWith[F], error) {
		fake := newFake()
		t := Telphin{BaseURL: fake.BaseURL(), AppID: fake.AppID(), Secret: fake.Secret(), ExtensionID: fakeExtension}
		vars := "TELPHIN_APP_ID and TELPHIN_APP_SECRET"
		if needExtension {
			vars = "TELPHIN_APP_ID, TELPHIN_APP_SECRET and TELPHIN_EXTENSION_ID"
		}
		var err error
		t.Common, err = common(api, fakeWhere(fake.BaseURL(), vars), t.Secret, fake)
		return &TelphinWith[F]{Telphin: t, Fake: fake}, err
	})
}

// Clientuser is where the clientuser example sends its requests.
type Clientuser = TelphinWith[*clientusertest.Server]

// ForClientuser reads TELPHIN_APP_ID, TELPHIN_APP_SECRET and TELPHIN_BASE_URL, or starts
// a fake.
func ForClientuser(env Env) (*Clientuser, error) {
	return forTelphin(env, "clientuser", false, clientusertest.NewServer)
}

// Extensionuser is where the extensionuser example sends its requests.
type Extensionuser = TelphinWith[*extensionusertest.Server]

// ForExtensionuser reads TELPHIN_APP_ID, TELPHIN_APP_SECRET, TELPHIN_EXTENSION_ID and
// TELPHIN_BASE_URL, or starts a fake.
func ForExtensionuser(env Env) (*Extensionuser, error) {
	return forTelphin(env, "extensionuser", true, extensionusertest.NewServer)
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
	return realOrFake(env, AccountuserVars, func(v []string) (*Accountuser, error) {
		account, err := parseID(env, "REVIVE_ACCOUNT_ID")
		if err != nil {
			return nil, err
		}
		c, err := common("accountuser", v[0], v[2], nil)
		return &Accountuser{Common: c, BaseURL: v[0], User: v[1], Password: v[2], AccountID: accountuser.ID(account)}, err
	}, func() (*Accountuser, error) {
		fake := accountusertest.NewServer()
		user, pass := fake.Credentials()
		c, err := common("accountuser", fakeWhere(fake.URL, "REVIVE_BASE_URL, REVIVE_USER, REVIVE_PASSWORD and REVIVE_ACCOUNT_ID"), pass, fake)
		return &Accountuser{Common: c, BaseURL: fake.URL, User: user, Password: pass,
			AccountID: accountusertest.DefaultAccount, Fake: fake}, err
	})
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
	return realOrFake(env, IotuserVars[:3], func(v []string) (*Iotuser, error) {
		s := &Iotuser{BaseURL: v[0], Login: v[1], Password: v[2], AuthURL: env("DEVICEHIVE_AUTH_URL")}
		var err error
		if env("DEVICEHIVE_NETWORK_ID") != "" {
			if s.NetworkID, err = parseID(env, "DEVICEHIVE_NETWORK_ID"); err != nil {
				return nil, err
			}
		}
		s.Common, err = common("iotuser", v[0], v[2], nil)
		return s, err
	}, func() (*Iotuser, error) {
		fake := iotusertest.NewServer(iotusertest.WithSeparateAuth())
		network := fake.AddNetwork(iotuser.Network{Name: "Greenhouse", Description: "sensors"})
		c, err := common("iotuser", fakeWhere(fake.BaseURL(), "DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN and DEVICEHIVE_PASSWORD"), fake.AdminPassword(), fake)
		return &Iotuser{Common: c, BaseURL: fake.BaseURL(), Login: fake.AdminLogin(), Password: fake.AdminPassword(),
			AuthURL: fake.AuthURL(), NetworkID: network.ID, Fake: fake}, err
	})
}
