package iotuser

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// fakeDH is a DeviceHive token service and user endpoint for the concurrency tests. It
// issues opaque tokens and counts what it is asked.
type fakeDH struct {
	mu            sync.Mutex
	valid         map[string]bool
	issued        int
	logins        int
	refreshes     int
	gets          int
	unauthorized  int
	hold401       chan struct{} // when set, 401 answers wait for it to close
	users         int           // users in the list
	failListAfter int           // when > 0, a list request with skip >= this fails
	lineBreak     int           // when > 0, the token issued as number lineBreak ends with "\r\n"
	listCalls     []string
}

func newFakeDH(valid ...string) *fakeDH {
	f := &fakeDH{valid: map[string]bool{}}
	for _, v := range valid {
		f.valid[v] = true
	}
	return f
}

func (f *fakeDH) issue() string {
	f.issued++
	tok := "access-" + strconv.Itoa(f.issued)
	if f.issued == f.lineBreak {
		tok += "\r\n"
	}
	f.valid[tok] = true
	return tok
}

func (f *fakeDH) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	switch r.URL.Path {
	case "/dh/rest/token":
		f.logins++
		tok := f.issue()
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"accessToken":%q,"refreshToken":"refresh-1"}`, tok)
		return
	case "/dh/rest/token/refresh":
		f.refreshes++
		tok := f.issue()
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"accessToken":%q}`, tok)
		return
	}
	if !f.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		f.unauthorized++
		hold := f.hold401
		f.mu.Unlock()
		if hold != nil {
			<-hold
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":401,"message":"Token expired"}`)
		return
	}
	defer f.mu.Unlock()
	if r.URL.Path == "/dh/rest/user" {
		f.list(w, r)
		return
	}
	f.gets++
	fmt.Fprint(w, `{"id":2,"login":"mary","role":1,"status":0,"networks":[]}`)
}

func (f *fakeDH) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.listCalls = append(f.listCalls, q.Encode())
	take, _ := strconv.Atoi(q.Get("take"))
	skip, _ := strconv.Atoi(q.Get("skip"))
	if f.failListAfter > 0 && skip >= f.failListAfter {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error":500,"message":"database unavailable"}`)
		return
	}
	var b strings.Builder
	b.WriteByte('[')
	for id := skip + 1; id <= min(skip+take, f.users); id++ {
		if id > skip+1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"login":"user-%d","role":1,"status":0,"lastLogin":null,"data":null}`, id, id)
	}
	b.WriteByte(']')
	fmt.Fprint(w, b.String())
}

func (f *fakeDH) count() (logins, refreshes, gets, unauthorized int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins, f.refreshes, f.gets, f.unauthorized
}

func fakeClient(t *testing.T, f *fakeDH, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithBaseURL(testBaseURL), WithHTTPClient(fuzzkit.HandlerClient(f))}, opts...)
	c, err := New(opts...)
	require.NoError(t, err)
	return c
}

// getConcurrently starts n Gets of user 2 (mary) at once; wait waits for them all.
func getConcurrently(t *testing.T, c *Client, n int) (wait func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			u, err := c.Get(context.Background(), 2)
			if assert.NoError(t, err) {
				assert.Equal(t, "mary", u.Login)
			}
		})
	}
	return wg.Wait
}

func TestConcurrent401sCauseOneRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		f.hold401 = make(chan struct{})
		c := fakeClient(t, f, WithTokens("stale", "refresh-1"), WithLogin("admin", "pa55word"))
		wait := getConcurrently(t, c, 50)
		synctest.Wait() // all 50 requests hold a 401 for the stale token
		_, refreshes, _, unauthorized := f.count()
		assert.Equal(t, 50, unauthorized)
		assert.Equal(t, 0, refreshes)
		close(f.hold401)
		wait()
		logins, refreshes, gets, unauthorized := f.count()
		assert.Equal(t, 1, refreshes, "one refresh for 50 rejections of the same token")
		assert.Equal(t, 0, logins)
		assert.Equal(t, 50, gets)
		assert.Equal(t, 50, unauthorized)
		assert.Equal(t, "access-1", c.Tokens().AccessToken)
	})
}

func TestConcurrentRequestsOnAnExpiredTokenCauseOneRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		expired := jwt(time.Now().Add(-time.Minute))
		f.valid[expired] = true // the server would still take it: the client renews it anyway
		c := fakeClient(t, f, WithTokens(expired, "refresh-1"))
		getConcurrently(t, c, 50)()
		_, refreshes, gets, unauthorized := f.count()
		assert.Equal(t, 1, refreshes)
		assert.Equal(t, 50, gets)
		assert.Equal(t, 0, unauthorized, "renewed before use, not after a 401")
	})
}

func TestConcurrentFirstRequestsLogInOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		var log tokenLog
		c := fakeClient(t, f, WithLogin("admin", "pa55word"), WithTokenCallback(log.add))
		getConcurrently(t, c, 50)()
		logins, refreshes, gets, _ := f.count()
		assert.Equal(t, 1, logins)
		assert.Equal(t, 0, refreshes)
		assert.Equal(t, 50, gets)
		assert.Equal(t, []Tokens{{AccessToken: "access-1", RefreshToken: "refresh-1"}}, log.all())
	})
}

func TestCallbackMayUseTheClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		var c *Client
		var seen []string
		c = fakeClient(t, f, WithLogin("admin", "pa55word"), WithTokenCallback(func(tok Tokens) {
			seen = append(seen, tok.AccessToken)
			if len(seen) == 1 {
				// A request from the callback that renews the tokens again: its change is
				// delivered after this call returns, not inside it.
				f.mu.Lock()
				delete(f.valid, tok.AccessToken)
				f.mu.Unlock()
				_, err := c.Get(context.Background(), 2)
				assert.NoError(t, err)
				assert.Equal(t, []string{"access-1"}, seen, "no nested delivery")
			}
		}))
		_, err := c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"access-1", "access-2"}, seen)
		assert.Equal(t, "access-2", c.Tokens().AccessToken)
	})
}

func TestAllPagesThroughEveryUser(t *testing.T) {
	f := newFakeDH("tok")
	f.users = 1050
	c := fakeClient(t, f, WithTokens("tok", ""))
	seen := map[int64]int{}
	for u, err := range c.All(context.Background(), ListOptions{Role: Ptr(RoleClient)}) {
		require.NoError(t, err)
		seen[u.ID]++
	}
	assert.Len(t, seen, 1050)
	for id, n := range seen {
		require.Equal(t, 1, n, "user %d yielded once", id)
	}
	require.Len(t, f.listCalls, 11)
	assert.Equal(t, "role=1&sortField=ID&take=100", f.listCalls[0], "take is always sent; skip=0 is left out")
	assert.Equal(t, "role=1&skip=1000&sortField=ID&take=100", f.listCalls[10])
}

func TestAllYieldsAnErrorAndStops(t *testing.T) {
	f := newFakeDH("tok")
	f.users = 1050
	f.failListAfter = 500
	c := fakeClient(t, f, WithTokens("tok", ""), WithoutRetries())
	var ids []int64
	var errs []error
	for u, err := range c.All(context.Background(), ListOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.Empty(t, errs, "nothing is yielded after the error")
		ids = append(ids, u.ID)
	}
	assert.Len(t, ids, 500)
	assert.Equal(t, int64(500), ids[499])
	require.Len(t, errs, 1)
	var apiErr *APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, "database unavailable", apiErr.Message)
	assert.Len(t, f.listCalls, 6)
}

func TestAllKeepsTheCallersOptions(t *testing.T) {
	f := newFakeDH("tok")
	f.users = 5
	c := fakeClient(t, f, WithTokens("tok", ""))
	opts := ListOptions{Take: 2, Skip: 1, SortField: SortByLogin, SortOrder: Descending}
	var n int
	for _, err := range c.All(context.Background(), opts) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n)
	assert.Equal(t, ListOptions{Take: 2, Skip: 1, SortField: SortByLogin, SortOrder: Descending}, opts)
	assert.Equal(t, []string{
		"skip=1&sortField=Login&sortOrder=DESC&take=2",
		"skip=3&sortField=Login&sortOrder=DESC&take=2",
		"skip=5&sortField=Login&sortOrder=DESC&take=2",
	}, f.listCalls)
}

func TestCallbackPanicDoesNotStopLaterNotifications(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		var seen []string
		c := fakeClient(t, f, WithLogin("admin", "pa55word"), WithTokenCallback(func(tok Tokens) {
			seen = append(seen, tok.AccessToken)
			if len(seen) == 1 {
				panic("store unavailable")
			}
		}))
		assert.Panics(t, func() { _, _ = c.Get(context.Background(), 2) })
		f.mu.Lock()
		clear(f.valid)
		f.mu.Unlock()
		_, err := c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"access-1", "access-2"}, seen)
	})
}
