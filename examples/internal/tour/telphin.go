package tour

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
)

// TelphinEnv names the variables that point the Telphin tour at a real server.
var TelphinEnv = []string{"TELPHIN_BASE_URL", "TELPHIN_APP_ID", "TELPHIN_APP_SECRET", "TELPHIN_EXTENSION_ID"}

// telphin is a session with both Telphin clients sharing one token.
type telphin struct {
	s          *Step
	users      *clientuser.Client
	extensions *extensionuser.Client
	fake       *clientusertest.Server
	extension  int64
	close      func()
}

// newTelphin connects to the real platform when TELPHIN_APP_ID and TELPHIN_APP_SECRET are
// set (TELPHIN_BASE_URL overrides the default host; TELPHIN_EXTENSION_ID names an internal
// number of the application's client), else to the built-in fake.
func newTelphin(w io.Writer, env Env, title string) (*telphin, error) {
	t := &telphin{s: NewStep(w, title), extension: 5001, close: func() {}}
	var base, appID, secret string
	if appID = env("TELPHIN_APP_ID"); appID != "" {
		base, secret = env("TELPHIN_BASE_URL"), env("TELPHIN_APP_SECRET")
		if base == "" {
			base = clientuser.DefaultBaseURL
		}
		if v := env("TELPHIN_EXTENSION_ID"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("TELPHIN_EXTENSION_ID: %w", err)
			}
			t.extension = n
		}
		t.s.Printf("using %s", base)
	} else {
		t.fake = clientusertest.NewServer()
		t.close = t.fake.Close
		base, appID, secret = t.fake.BaseURL(), t.fake.AppID(), t.fake.Secret()
		t.s.Printf("no TELPHIN_APP_ID: using the built-in fake at %s", t.fake.URL)
	}
	var err error
	if t.users, err = clientuser.New(clientuser.WithBaseURL(base), clientuser.WithClientCredentials(appID, secret)); err != nil {
		return nil, err
	}
	if t.extensions, err = extensionuser.New(extensionuser.WithBaseURL(base), extensionuser.WithTokenSource(t.users.TokenSource())); err != nil {
		return nil, err
	}
	t.s.Printf("two clients, one OAuth token: extensionuser uses clientuser's TokenSource")
	return t, nil
}

func (t *telphin) faults() faults {
	if t.fake == nil {
		return nil
	}
	return t.fake
}

// Telphin walks through both Telphin user APIs with one token shared by the two clients.
// Against a real server it deletes only the users it created.
func Telphin(ctx context.Context, w io.Writer, env Env) error {
	t, err := newTelphin(w, env, "Telphin cloud PBX (clientuser, extensionuser)")
	if err != nil {
		return err
	}
	defer t.close()
	if err := t.clientUsers(ctx, w); err != nil {
		return err
	}
	if err := t.extensionUsers(ctx, w); err != nil {
		return err
	}
	if t.fake != nil {
		t.s.Printf("both APIs were served with %d token request", t.fake.TokenRequests())
	}
	return nil
}

// ClientUser walks through Telphin's client-level user API alone.
func ClientUser(ctx context.Context, w io.Writer, env Env) error {
	t, err := newTelphin(w, env, "Telphin client-level users (clientuser)")
	if err != nil {
		return err
	}
	defer t.close()
	return t.clientUsers(ctx, w)
}

// ExtensionUser walks through Telphin's internal-number user API alone.
func ExtensionUser(ctx context.Context, w io.Writer, env Env) error {
	t, err := newTelphin(w, env, "Telphin internal-number users (extensionuser)")
	if err != nil {
		return err
	}
	defer t.close()
	return t.extensionUsers(ctx, w)
}

func (t *telphin) clientUsers(ctx context.Context, w io.Writer) error {
	s, users := t.s, t.users
	login := "quickstart" + uniqueSuffix()
	u, err := users.Create(ctx, clientuser.Me, &clientuser.CreateRequest{Login: login, Name: "Quickstart User",
		Password: "Quickstart-Pw-1", Email: login + "@example.com", Access: clientuser.AccessReadOnly})
	if err != nil {
		return fmt.Errorf("create client user: %w", err)
	}
	s.Printf("created client-level user %d (%s, %s access) on client @me", u.ID, u.Login, u.Access)
	defer func() {
		if err := users.Delete(context.WithoutCancel(ctx), clientuser.Me, u.ID); err != nil && !errors.Is(err, clientuser.ErrNotFound) {
			fmt.Fprintf(w, "    cleanup: %v\n", err)
		}
	}()

	list, err := users.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{login}})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	s.Printf("listed client users with login=%s: %d found", login, len(list))

	// All pages with page and per_page, and stops by itself if the server ignores them.
	n := 0
	for _, err := range users.All(ctx, clientuser.Me, clientuser.ListOptions{PerPage: 50}) {
		if err != nil {
			return fmt.Errorf("all: %w", err)
		}
		n++
	}
	s.Printf("walked every client user with All, 50 a page: %d", n)

	got, err := users.Get(ctx, clientuser.Me, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	s.Printf("got user %d: %s <%s>, status %s", got.ID, got.Name, got.Email, got.Status)

	upd, err := users.Update(ctx, clientuser.Me, u.ID, &clientuser.UpdateRequest{Status: clientuser.Ptr(clientuser.StatusBlocked)})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	s.Printf("updated only the status: %s", upd.Status)
	if rl, ok := users.RateLimit(); ok {
		s.Printf("rate limit: %d of %d requests left this hour", rl.Remaining, rl.Limit)
	}

	if err := retryDemo(ctx, s, t.faults(), func(ctx context.Context) error { _, err := users.Get(ctx, clientuser.Me, u.ID); return err }); err != nil {
		return err
	}

	if err := users.Delete(ctx, clientuser.Me, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	s.Printf("deleted client user %d", u.ID)
	_, err = users.Get(ctx, clientuser.Me, u.ID)
	var apiErr *clientuser.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, clientuser.ErrNotFound) {
		return fmt.Errorf("expected a 404 after delete, got %v", err)
	}
	s.Printf("reading it again gives a typed error: errors.Is(err, ErrNotFound), %q", apiErr.Message)
	return nil
}

func (t *telphin) extensionUsers(ctx context.Context, w io.Writer) error {
	s, extensions := t.s, t.extensions
	login := "quickstart" + uniqueSuffix() + "x"
	x, err := extensions.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{ExtensionID: t.extension, Login: login,
		Name: "Quickstart Extension User", Password: "Quickstart-Pw-2", Email: login + "@example.com"})
	if err != nil {
		return fmt.Errorf("create extension user: %w", err)
	}
	s.Printf("created internal-number user %d (%s) on extension %d", x.ID, x.Login, x.ExtensionID)
	defer func() {
		if err := extensions.Delete(context.WithoutCancel(ctx), extensionuser.Me, x.ID); err != nil && !errors.Is(err, extensionuser.ErrNotFound) {
			fmt.Fprintf(w, "    cleanup: %v\n", err)
		}
	}()

	list, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{ExtensionID: []int64{t.extension}, Login: []string{login}})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	s.Printf("listed users of extension %d with login=%s: %d found", t.extension, login, len(list))

	got, err := extensions.Get(ctx, extensionuser.Me, x.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	s.Printf("got internal-number user %d: %s, access %s", got.ID, got.Name, got.Access)

	upd, err := extensions.Update(ctx, extensionuser.Me, x.ID, &extensionuser.UpdateRequest{Access: extensionuser.Ptr(extensionuser.AccessReadOnly)})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	s.Printf("updated only the access: %s", upd.Access)

	if err := retryDemo(ctx, s, t.faults(), func(ctx context.Context) error { _, err := extensions.Get(ctx, extensionuser.Me, x.ID); return err }); err != nil {
		return err
	}

	if err := extensions.Delete(ctx, extensionuser.Me, x.ID); err != nil {
		return fmt.Errorf("delete extension user: %w", err)
	}
	s.Printf("deleted internal-number user %d", x.ID)
	_, err = extensions.Get(ctx, extensionuser.Me, x.ID)
	if !errors.Is(err, extensionuser.ErrNotFound) {
		return fmt.Errorf("expected a 404 after delete, got %v", err)
	}
	s.Printf("reading it again gives a typed error: errors.Is(err, ErrNotFound)")
	return nil
}
