package telphin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go"
)

// users is a JSON list of users with these ids.
func users(ids ...int64) string {
	out := make([]pageUser, len(ids))
	for i, id := range ids {
		out[i] = pageUser{ID: id, Login: "u" + strconv.FormatInt(id, 10)}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func span(from, to int64) []int64 {
	var ids []int64
	for id := from; id <= to; id++ {
		ids = append(ids, id)
	}
	return ids
}

// paging reads page and per_page as a server that honours them would, with defaults 1 and 3.
func paging(t *testing.T, r *http.Request) (page, perPage int) {
	page, perPage = 1, 3
	if v := r.URL.Query().Get("page"); v != "" {
		var err error
		page, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	if v := r.URL.Query().Get("per_page"); v != "" {
		var err error
		perPage, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	return page, perPage
}

// honouring serves total users with ids 1..total, paged as asked.
func honouring(t *testing.T, total int) func(*http.Request) (int, string) {
	return func(r *http.Request) (int, string) {
		page, perPage := paging(t, r)
		from := int64((page-1)*perPage + 1)
		return http.StatusOK, users(span(from, min(from+int64(perPage)-1, int64(total)))...)
	}
}

// byPage serves pages[page-1], and [] past the last.
func byPage(t *testing.T, pages ...[]int64) func(*http.Request) (int, string) {
	return func(r *http.Request) (int, string) {
		page, _ := paging(t, r)
		if page > len(pages) {
			return http.StatusOK, "[]"
		}
		return http.StatusOK, users(pages[page-1]...)
	}
}

func allOf(ctx context.Context, u *Users[pageUser], page, perPage int) iter.Seq2[pageUser, error] {
	return u.All(ctx, Me, page, perPage, func(page, perPage int) any {
		return &pageQuery{Login: []string{"a", "b"}, Page: page, PerPage: perPage}
	}, func(u *pageUser) int64 { return u.ID })
}

// collect gathers the ids yielded and the errors, which must come last.
func collect(t *testing.T, seq iter.Seq2[pageUser, error]) (ids []int64, errs []error) {
	t.Helper()
	for u, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.Empty(t, errs, "a user after an error")
		ids = append(ids, u.ID)
	}
	return ids, errs
}

func pageQueries(pages ...int) []url.Values {
	var out []url.Values
	for _, p := range pages {
		out = append(out, url.Values{"login": {"a", "b"}, "page": {strconv.Itoa(p)}, "per_page": {"3"}})
	}
	return out
}

func TestAllFollowsPagingTheServerHonours(t *testing.T) {
	for total, wantPages := range map[int][]int{7: {1, 2, 3}, 6: {1, 2, 3}, 3: {1, 2}, 2: {1}, 0: {1}} {
		t.Run(strconv.Itoa(total), func(t *testing.T) {
			l := &lister{answer: honouring(t, total)}
			ids, errs := collect(t, allOf(t.Context(), newLister(t, l), 0, 3))
			require.Empty(t, errs)
			assert.Equal(t, span(1, int64(total)), ids)
			assert.Equal(t, pageQueries(wantPages...), l.requests(), "the filters kept, page counted from 1")
		})
	}
}

func TestAllStartPageAndDefaultPageSize(t *testing.T) {
	l := &lister{answer: func(*http.Request) (int, string) { return http.StatusOK, users(span(1, 100)...) }}
	ids, errs := collect(t, allOf(t.Context(), newLister(t, l), 4, 0))
	require.Empty(t, errs)
	assert.Len(t, ids, 100)
	q := l.requests()
	require.Len(t, q, 2, "a full page, then its repeat")
	assert.Equal(t, []string{"4"}, q[0]["page"])
	assert.Equal(t, []string{"5"}, q[1]["page"])
	assert.Equal(t, []string{strconv.Itoa(DefaultPageSize)}, q[0]["per_page"])
}

// A server that ignores paging must never make All loop, nor yield a user twice.
func TestAllStopsWhenTheServerIgnoresPaging(t *testing.T) {
	tests := map[string]struct {
		answer   func(t *testing.T) func(*http.Request) (int, string)
		want     []int64
		requests int
	}{
		"whole list, longer than a page": {func(*testing.T) func(*http.Request) (int, string) {
			return func(*http.Request) (int, string) { return http.StatusOK, users(span(1, 5)...) }
		}, span(1, 5), 1},
		"whole list, exactly a page": {func(*testing.T) func(*http.Request) (int, string) {
			return func(*http.Request) (int, string) { return http.StatusOK, users(span(1, 3)...) }
		}, span(1, 3), 2},
		"per_page honoured, page ignored": {func(t *testing.T) func(*http.Request) (int, string) {
			return func(r *http.Request) (int, string) {
				_, perPage := paging(t, r)
				return http.StatusOK, users(span(1, int64(perPage))...)
			}
		}, span(1, 3), 2},
		"a repeat after two pages": {func(t *testing.T) func(*http.Request) (int, string) {
			return byPage(t, span(1, 3), span(4, 6), span(4, 6), span(7, 9))
		}, span(1, 6), 3},
		"a repeat of an earlier page": {func(t *testing.T) func(*http.Request) (int, string) {
			return byPage(t, span(1, 3), span(4, 6), span(1, 3), span(7, 9))
		}, span(1, 6), 3},
		"a later page longer than asked": {func(t *testing.T) func(*http.Request) (int, string) {
			return byPage(t, span(1, 3), span(1, 8), span(9, 11))
		}, span(1, 8), 2},
		// A user deleted between two requests shifts the list: user 3 comes again.
		"a shifted page": {func(t *testing.T) func(*http.Request) (int, string) {
			return byPage(t, span(1, 3), span(3, 5), span(6, 6))
		}, span(1, 6), 3},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l := &lister{answer: tt.answer(t)}
			ids, errs := collect(t, allOf(t.Context(), newLister(t, l), 0, 3))
			require.Empty(t, errs)
			assert.Equal(t, tt.want, ids)
			assert.Len(t, l.requests(), tt.requests)
		})
	}
}

func TestAllYieldsAnErrorOnceAndStops(t *testing.T) {
	l := &lister{answer: func(r *http.Request) (int, string) {
		if page, _ := paging(t, r); page == 2 {
			return http.StatusInternalServerError, `{"message":"Internal error"}`
		}
		return http.StatusOK, users(span(1, 3)...)
	}}
	ids, errs := collect(t, allOf(t.Context(), newLister(t, l), 0, 3))
	assert.Equal(t, span(1, 3), ids)
	require.Len(t, errs, 1)
	var apiErr *usersdk.APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Len(t, l.requests(), 2, "nothing after the error")
}

func TestAllRefusesNegativePagingBeforeSending(t *testing.T) {
	for _, tt := range []struct {
		page, perPage int
		field         string
	}{{-1, 0, "page"}, {0, -3, "per_page"}, {-2, -3, "page"}} {
		l := &lister{answer: honouring(t, 5)}
		ids, errs := collect(t, allOf(t.Context(), newLister(t, l), tt.page, tt.perPage))
		assert.Empty(t, ids)
		require.Len(t, errs, 1)
		var ve *usersdk.ValidationError
		require.ErrorAs(t, errs[0], &ve)
		assert.Equal(t, tt.field, ve.Field)
		assert.Empty(t, l.requests())
	}
	assert.NoError(t, CheckPaging(0, 0))
	assert.NoError(t, CheckPaging(1, 1))
}

func TestAllStopsWhenTheCallerDoes(t *testing.T) {
	l := &lister{answer: honouring(t, 9)}
	n := 0
	for _, err := range allOf(t.Context(), newLister(t, l), 0, 3) {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	assert.Len(t, l.requests(), 1)

	ctx, cancel := context.WithCancel(t.Context())
	l = &lister{answer: honouring(t, 9)}
	ids, errs := collect(t, func(yield func(pageUser, error) bool) {
		for u, err := range allOf(ctx, newLister(t, l), 0, 3) {
			if u.ID == 3 {
				cancel()
			}
			if !yield(u, err) {
				return
			}
		}
	})
	assert.Equal(t, span(1, 3), ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, l.requests(), 1, "no request once the context is done")
}

// A 5xx answer to a write carrying a Telphin or OAuth error code is the server refusing
// it; anything else but 501 and 503 leaves the outcome unknown (a bare {"message"} is
// what gateways send too), and 502 and 504 always do.
func TestWriteRefusalWithTelphinBodyIsAKnownOutcome(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		unknown bool
	}{
		{500, `{"message":"Internal error","status":"internal_error"}`, false},
		{500, `{"status":"internal_error"}`, false},
		{500, `{"message":"Internal error"}`, true},
		{500, `{"message":"Internal error","status":500}`, true},
		{500, `{"error":"server_error","error_description":"Try later"}`, false},
		{500, `{"error":"server_error"}`, false},
		{500, `{"error_description":"Try later"}`, true},
		{500, `<html><body>Internal Server Error</body></html>`, true},
		{500, ``, true},
		{500, `{"errors":[{"message":"boom"}]}`, true},
		{500, `{"message":{"text":"boom"}}`, true},
		{500, `{"status":500}`, true},
		{500, `{"message":""}`, true},
		{500, `["Internal error"]`, true},
		{502, `{"message":"Internal error"}`, true},
		{504, `{"message":"Internal error"}`, true},
		{502, `<html>Bad Gateway</html>`, true},
		{503, ``, false},
		{501, `<html>Not Implemented</html>`, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.body), func(t *testing.T) {
			l := &lister{answer: func(*http.Request) (int, string) { return tt.status, tt.body }}
			u := newLister(t, l)
			_, err := u.Create(t.Context(), Me, validRequest{})
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.unknown, errors.Is(err, usersdk.ErrOutcomeUnknown), "%v", err)

			_, err = u.Get(t.Context(), Me, 7)
			require.ErrorAs(t, err, &apiErr)
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a read's outcome is never unknown")
		})
	}
}

// An answer to Get, Create or Update that holds no user is an error, never a user with
// no id; for Create the user may have been stored.
func TestAnswerWithoutAUserIsAnError(t *testing.T) {
	for _, body := range []string{`{}`, `{"id":0,"login":"x"}`, `{"login":"x"}`} {
		l := &lister{answer: func(*http.Request) (int, string) { return http.StatusOK, body }}
		u := newLister(t, l)
		ctx := t.Context()
		for op, call := range map[string]func() (*pageUser, error){
			"get":    func() (*pageUser, error) { return u.Get(ctx, Me, 7) },
			"create": func() (*pageUser, error) { return u.Create(ctx, Me, validRequest{Login: "x"}) },
			"update": func() (*pageUser, error) { return u.Update(ctx, Me, 7, validRequest{Login: "x"}) },
		} {
			got, err := call()
			require.Error(t, err, "%s %s", op, body)
			assert.Nil(t, got)
			assert.Equal(t, op == "create", errors.Is(err, usersdk.ErrOutcomeUnknown), "%s %s: %v", op, body, err)
		}
	}
}
