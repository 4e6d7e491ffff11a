package telphin

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go/internal/core"
)

// The package's two stand-ins for Telphin: fakeTelphin, a token endpoint and a user list
// for the auth tests, and lister, a user list behind a static token for the tests of
// paging and answers.

const (
	testAppID  = "test-app-id"
	testSecret = "test-app-secret"
	testBase   = "https://api.test/api/ver1.0"
)

type testUser struct {
	ID int64 `json:"id"`
}

// fakeTelphin is a token endpoint and a user list behind an httpmock transport. Tokens
// are tok-1, tok-2, ... in the order they are issued.
type fakeTelphin struct {
	t  *testing.T
	mt *httpmock.MockTransport

	expiresIn   int           // 0: the answer has no expires_in
	gate        chan struct{} // when set, token requests wait for it to close
	tokenStatus int           // when set, the token endpoint fails with it
	tokenBody   string
	lineBreak   int32 // when > 0, the token issued as number lineBreak ends with "\r\n"
	// reject lists the tokens the API answers with 401.
	reject func(token string) bool

	tokens   atomic.Int32
	apiCalls atomic.Int32

	mu   sync.Mutex
	sent []string // Authorization header of each API request
}

func newFake(t *testing.T) *fakeTelphin {
	f := &fakeTelphin{t: t, mt: httpmock.NewMockTransport(), expiresIn: 3600, reject: func(string) bool { return false }}
	f.mt.RegisterResponder(http.MethodPost, "https://api.test/oauth/token", f.token)
	f.mt.RegisterNoResponder(f.api)
	return f
}

func (f *fakeTelphin) client() *http.Client { return &http.Client{Transport: f.mt} }

func (f *fakeTelphin) token(r *http.Request) (*http.Response, error) {
	// The token endpoint must get the client credentials in the form and never a bearer.
	assert.Empty(f.t, r.Header.Get("Authorization"), "token request carries credentials in a header")
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	assert.Equal(f.t, url.Values{"grant_type": {"client_credentials"}, "client_id": {testAppID}, "client_secret": {testSecret}}, r.PostForm)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	if f.tokenStatus != 0 {
		f.tokens.Add(1)
		return httpmock.NewStringResponse(f.tokenStatus, f.tokenBody), nil
	}
	n := f.tokens.Add(1)
	access := "tok-" + strconv.Itoa(int(n))
	if n == f.lineBreak {
		access += "\r\n"
	}
	tok := map[string]any{"access_token": access, "token_type": "Bearer", "scope": "all"}
	if f.expiresIn > 0 {
		tok["expires_in"] = f.expiresIn
	}
	return httpmock.NewJsonResponse(http.StatusOK, tok)
}

func (f *fakeTelphin) api(r *http.Request) (*http.Response, error) {
	f.apiCalls.Add(1)
	h := r.Header.Get("Authorization")
	f.mu.Lock()
	f.sent = append(f.sent, h)
	f.mu.Unlock()
	if tok, ok := strings.CutPrefix(h, "Bearer "); !ok || f.reject(tok) {
		return httpmock.NewStringResponse(http.StatusUnauthorized, `{"message":"Unauthorized"}`), nil
	}
	return httpmock.NewStringResponse(http.StatusOK, `[{"id":1}]`), nil
}

func (f *fakeTelphin) sentHeaders() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

func newUsers(t *testing.T, f *fakeTelphin, opts ...core.Option) *Users[testUser] {
	t.Helper()
	all := append([]core.Option{core.WithBaseURL(testBase), core.WithHTTPClient(f.client()), WithClientCredentials(testAppID, testSecret)}, opts...)
	u, err := New("test", KindClient, hasTestID, all)
	require.NoError(t, err)
	return u
}

func list(u *Users[testUser]) error {
	_, err := u.List(context.Background(), Me, nil)
	return err
}

// failedList lists with u and returns the error, which must be (or wrap) an E, both as
// that E and whole.
func failedList[E error](t *testing.T, u *Users[testUser]) (E, error) {
	t.Helper()
	err := list(u)
	var target E
	require.ErrorAs(t, err, &target)
	return target, err
}

type sourceFunc func() (*oauth2.Token, error)

func (f sourceFunc) Token() (*oauth2.Token, error) { return f() }

func hasTestID(u *testUser) bool { return u.ID != 0 }

// pageUser and pageQuery stand for a package's User and ListOptions.
type pageUser struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
}

type pageQuery struct {
	Login   []string `url:"login,omitempty"`
	Page    int      `url:"page,omitempty"`
	PerPage int      `url:"per_page,omitempty"`
}

// lister answers every request from answer and records the queries of the requests. Past
// maxRequests it answers 400, so that an All that loops fails instead of hanging.
type lister struct {
	answer func(r *http.Request) (status int, body string)

	mu      sync.Mutex
	queries []url.Values
}

func (l *lister) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.queries = append(l.queries, r.URL.Query())
	n := len(l.queries)
	l.mu.Unlock()
	status, body := http.StatusBadRequest, `{"message":"too many requests: All loops"}`
	if n <= maxRequests {
		status, body = l.answer(r)
	}
	ct := "application/json"
	if strings.HasPrefix(body, "<") {
		ct = "text/html"
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}},
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

const maxRequests = 20

func (l *lister) requests() []url.Values {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]url.Values(nil), l.queries...)
}

func newLister(t *testing.T, l *lister) *Users[pageUser] {
	t.Helper()
	u, err := New("test", KindClient, func(u *pageUser) bool { return u.ID != 0 }, []core.Option{
		core.WithBaseURL("https://api.test/api/ver1.0"), core.WithHTTPClient(&http.Client{Transport: l}),
		WithToken("t"), core.WithoutRetries(),
	})
	require.NoError(t, err)
	return u
}

type validRequest struct {
	Login string `json:"login"`
}

func (validRequest) Validate() error { return nil }
