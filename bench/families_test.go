package bench

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/iotuser"
)

// getter fetches one user and returns it as the pointer its client decoded into.
type getter func(context.Context) (any, error)

// family is one vendor's Get, as the SDK and as the hand-written client make it. Both
// request path and answer bind the two sides to the same call; TestGetPairing checks that
// they send the same request and decode the same value.
type family struct {
	name string
	// apiPath is the base URL's path; path is the request's path on the wire.
	apiPath, path string
	answer        []byte
	header        http.Header
	// authorize adds the Authorization header the hand-written way.
	authorize func(*http.Request)
	// gets builds the family's client on base and returns its Get, and the hand-written
	// Get of path through b, which decodes into the same type.
	gets func(base string, hc *http.Client, b *baseline, path string) (sdk, hand getter, err error)
}

// gets returns a family's gets: newClient with its options for the base URL, the HTTP
// client and auth, and get, the client's Get method, called with id. T, the model both
// sides decode into, is get's result type.
func gets[C, O, T, I any](newClient func(...O) (C, error), withBaseURL func(string) O, withHTTPClient func(*http.Client) O,
	auth O, get func(C, context.Context, I) (*T, error), id I) func(string, *http.Client, *baseline, string) (getter, getter, error) {
	return func(base string, hc *http.Client, b *baseline, path string) (getter, getter, error) {
		c, err := newClient(withBaseURL(base), withHTTPClient(hc), auth)
		if err != nil {
			return nil, nil, err
		}
		return func(ctx context.Context) (any, error) { return get(c, ctx, id) }, baselineGet[T](b, path), nil
	}
}

// telphin returns the family of one of Telphin's two user kinds, "client" or
// "extension": its Get of user id of the token owner's client (@me) with WithToken.
func telphin[C, O, T any](kind string, id int64, answer string, newClient func(...O) (C, error), withBaseURL func(string) O,
	withHTTPClient func(*http.Client) O, withToken func(string) O, get func(C, context.Context, string, int64) (*T, error)) family {
	return family{
		name: kind + "user", apiPath: "/api/ver1.0", path: "/api/ver1.0/client/@me/user/" + kind + "/" + strconv.FormatInt(id, 10),
		answer: []byte(answer), header: telphinHeaders, authorize: bearer(token),
		gets: gets(newClient, withBaseURL, withHTTPClient, withToken(token), func(c C, ctx context.Context, id int64) (*T, error) {
			return get(c, ctx, "@me", id)
		}, id),
	}
}

// baselineGet is the hand-written Get of any family: the request, the status check, the
// decode into T.
func baselineGet[T any](c *baseline, path string) getter {
	return func(ctx context.Context) (any, error) {
		v := new(T)
		return v, c.do(ctx, http.MethodGet, path, nil, v)
	}
}

func bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

const revUser, revPassword = "bench-user", "bench-pass"

// farJWT is a DeviceHive access token whose "e" claim (expiry, ms) is in the year 2100,
// so the session never renews it while the benchmark runs.
var farJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
	base64.RawURLEncoding.EncodeToString([]byte(`{"payload":{"a":[0],"e":4102444800000,"t":1,"u":2,"n":["*"],"dt":["*"]}}`)) +
	".c2lnbmF0dXJl"

// telphinHeaders are what Telphin's API proxy sends with every answer.
var telphinHeaders = http.Header{
	"Content-Type":          {"application/json"},
	"X-Ratelimit-Limit":     {"5000"},
	"X-Ratelimit-Remaining": {"4987"},
	"X-Ratelimit-Reset":     {"1832"},
}

// families holds each vendor's Get with an answer shaped like its testdata/get*.json.
var families = []family{
	{name: "backoffice", path: "/api/v2/users/1",
		answer: []byte(`{"id":1,"name":"Mary","email":"foo@bar.com","phone":"+18043257762","active":true,"tfa":true,"groups":[1],"ipWhitelist":["79.24.241.198","20.65.174.119"],"clientTags":["my_tag"],"canViewMaskedData":true}`),
		header: http.Header{"Content-Type": {"application/json"}}, authorize: bearer(token),
		gets: gets(backoffice.New, backoffice.WithBaseURL, backoffice.WithHTTPClient, backoffice.WithToken(token), (*backoffice.Client).Get, 1)},
	telphin("client", 101, `{"id":101,"client_id":12345,"login":"operator1","name":"Ivan Petrov","email":"ivan.petrov@example.com","comment":"Head office","access":"full","status":"active","extra_params":"{\"crm_id\": 17}","timezone":"Europe/Moscow"}`,
		clientuser.New, clientuser.WithBaseURL, clientuser.WithHTTPClient, clientuser.WithToken, (*clientuser.Client).Get),
	telphin("extension", 201, `{"id":201,"extension_id":5001,"login":"ext100","name":"Reception","email":"reception@example.com","comment":"Front desk","access":"full","status":"active","extra_params":"","timezone":"Europe/Moscow"}`,
		extensionuser.New, extensionuser.WithBaseURL, extensionuser.WithHTTPClient, extensionuser.WithToken, (*extensionuser.Client).Get),
	{name: "accountuser", path: "/usr/21",
		answer: []byte(`{"userId":"21","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"}`),
		header: http.Header{"Content-Type": {"application/json"}}, authorize: func(r *http.Request) { r.SetBasicAuth(revUser, revPassword) },
		gets: gets(accountuser.New, accountuser.WithBaseURL, accountuser.WithHTTPClient, accountuser.WithBasicAuth(revUser, revPassword), (*accountuser.Client).Get, 21)},
	{name: "iotuser", apiPath: "/dh/rest", path: "/dh/rest/user/2",
		answer: []byte(`{"id":2,"login":"mary","role":1,"status":0,"lastLogin":"2018-02-20T14:10:15.123","data":{"phone":"+1-555-0100","preferences":{"theme":"dark","units":"metric"},"tags":["pilot",7,null]},"introReviewed":true,"allDeviceTypesAvailable":false,"networks":[{"id":1,"name":"Default Network","description":"Network created for the user"},{"id":3,"name":"Greenhouse sensors","description":null}]}`),
		header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}}, authorize: bearer(farJWT),
		gets: gets(iotuser.New, iotuser.WithBaseURL, iotuser.WithHTTPClient, iotuser.WithTokens(farJWT, "bench-refresh"), (*iotuser.Client).Get, 2)},
}

// transports are the two ways to the server: an in-process http.RoundTripper that
// answers without any network (what remains is the clients' own cost), and loopback TCP
// to an httptest server.
var transports = []string{"inprocess", "loopback"}

// pair is one family's two Gets over one transport, through the same *http.Client.
type pair struct {
	base, sdk getter
	close     func()
}

// newPair serves f's answer over transport and builds both clients on it. seen, when not
// nil, is shown every request the server receives.
func newPair(tb testing.TB, f family, transport string, seen func(*http.Request)) pair {
	tb.Helper()
	hc := core.DefaultHTTPClient()
	host, closeFn := "https://api.bench.example", func() {}
	switch transport {
	case "inprocess":
		hc.Transport = &canned{f: f, seen: seen}
	case "loopback":
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if seen != nil {
				seen(r)
			}
			if r.URL.EscapedPath() != f.path {
				http.NotFound(w, r)
				return
			}
			for k, v := range f.header {
				w.Header()[k] = v
			}
			_, _ = w.Write(f.answer)
		}))
		host, closeFn = srv.URL, srv.Close
	default:
		tb.Fatalf("unknown transport %q", transport)
	}
	sdk, hand, err := f.gets(host+f.apiPath, hc, &baseline{hc: hc, base: host, authorize: f.authorize}, f.path)
	if err != nil {
		closeFn()
		tb.Fatal(err)
	}
	return pair{base: hand, sdk: sdk, close: closeFn}
}

// canned is the in-process transport: it answers f's path from the pre-built answer,
// anything else with 404, at the cost of one allocation per call, equal for both sides.
type canned struct {
	f    family
	seen func(*http.Request)
}

type cannedAnswer struct {
	resp http.Response
	body nopCloser
}

type nopCloser struct{ bytes.Reader }

func (*nopCloser) Close() error { return nil }

func (c *canned) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.seen != nil {
		c.seen(req)
	}
	a := new(cannedAnswer)
	a.resp = http.Response{Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: c.f.header, Body: &a.body, ContentLength: int64(len(c.f.answer)), Request: req}
	a.body.Reset(c.f.answer)
	if req.URL.EscapedPath() != c.f.path {
		a.resp.Status, a.resp.StatusCode, a.resp.Header, a.resp.ContentLength = "404 Not Found", http.StatusNotFound, nil, 0
		a.body.Reset(nil)
	}
	return &a.resp, nil
}

// BenchmarkGet pairs each family's Get with its hand-written twin, call by call, over
// both transports. Its sdk/baseline, extra-allocs/call and extra-B/call are the figures
// to quote; bench/run.sh tabulates them.
func BenchmarkGet(b *testing.B) {
	for _, f := range families {
		for _, tr := range transports {
			b.Run("family="+f.name+"/transport="+tr, func(b *testing.B) {
				p := newPair(b, f, tr, nil)
				defer p.close()
				ctx := context.Background()
				paired(b, func() error { return baselineSide(ctx, p.base) }, func() error { return sdkSide(ctx, p.sdk) })
			})
		}
	}
}

// sdkSide and baselineSide are where each side's calls run, by these names in profiles
// whatever the compiler inlines (bench/profile.sh splits a profile by them).
//
//go:noinline
func sdkSide(ctx context.Context, get getter) error {
	_, err := get(ctx)
	return err
}

//go:noinline
func baselineSide(ctx context.Context, get getter) error {
	_, err := get(ctx)
	return err
}

// TestGetPairing keeps BenchmarkGet honest: for every family and transport, the SDK and
// the hand-written client send the same request (method, path, query and every header
// but User-Agent, which only the SDK sets), the SDK sends no other (no token fetch), and
// both decode the same, non-empty value.
func TestGetPairing(t *testing.T) {
	for _, f := range families {
		for _, tr := range transports {
			t.Run(f.name+"/"+tr, func(t *testing.T) {
				var mu sync.Mutex
				var seen []*http.Request
				p := newPair(t, f, tr, func(r *http.Request) {
					mu.Lock()
					defer mu.Unlock()
					seen = append(seen, &http.Request{Method: r.Method, URL: r.URL, Header: r.Header.Clone()})
				})
				defer p.close()
				ctx := context.Background()
				base, err := p.base(ctx)
				require.NoError(t, err)
				sdk, err := p.sdk(ctx)
				require.NoError(t, err)

				mu.Lock()
				defer mu.Unlock()
				require.Len(t, seen, 2, "one request from each side")
				b, s := seen[0], seen[1]
				assert.Equal(t, http.MethodGet, s.Method)
				assert.Equal(t, f.path, s.URL.EscapedPath())
				assert.Equal(t, b.Method, s.Method)
				assert.Equal(t, b.URL.EscapedPath(), s.URL.EscapedPath())
				assert.Equal(t, b.URL.RawQuery, s.URL.RawQuery)
				assert.NotEmpty(t, s.Header.Get("Authorization"))
				assert.Equal(t, "application/json", s.Header.Get("Accept"))
				b.Header.Del("User-Agent")
				s.Header.Del("User-Agent")
				assert.Equal(t, b.Header, s.Header)

				assert.Equal(t, base, sdk)
				assert.False(t, reflect.ValueOf(base).Elem().IsZero(), "decoded an empty %T", base)
			})
		}
	}
}

// TestCannedTransport checks the in-process transport answers only the path it serves,
// so that a side that drifted to another request fails the benchmark.
func TestCannedTransport(t *testing.T) {
	f := families[0]
	b := &baseline{hc: &http.Client{Transport: &canned{f: f}}, base: "https://api.bench.example", authorize: f.authorize}
	u, err := baselineGet[backoffice.User](b, f.path)(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), u.(*backoffice.User).ID)
	_, err = baselineGet[backoffice.User](b, f.path+"0")(context.Background())
	assert.ErrorContains(t, err, "404")
}
