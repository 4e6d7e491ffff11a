// Package bench measures the SDK against the hand-written net/http + encoding/json code a
// careful engineer would write instead, in the same run against the same server: every
// family's Get over an in-process transport and over loopback (families_test.go), and
// backoffice's List, Create and All over loopback. Run ./bench/run.sh for the
// SDK/baseline ratios and ./bench/profile.sh for where the SDK's extra allocations come
// from.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/core"
)

const token = "bench-token"

// user is what the baseline decodes: the same fields as backoffice.User.
type user = backoffice.User

func userJSON(id int) string {
	return fmt.Sprintf(`{"id":%d,"name":"User %d","email":"user%d@example.com","phone":"+18043257762","active":true,"tfa":false,"groups":[1,2],"ipWhitelist":["10.0.0.1"],"clientTags":["t"],"canViewMaskedData":false}`, id, id, id)
}

func usersJSON(from, n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(userJSON(from + i))
	}
	b.WriteByte(']')
	return b.Bytes()
}

// server answers from pre-built bodies so that its own cost is small and equal for both
// sides; listings of total users are generated a page at a time.
func server(total int) *httptest.Server {
	one := []byte(userJSON(1))
	thousand := usersJSON(1, 1000)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost:
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(one)
		case r.URL.Path == "/api/v2/users/1":
			_, _ = w.Write(one)
		case r.URL.Query().Get("limit") == "1000" && total == 0:
			_, _ = w.Write(thousand)
		default:
			q := r.URL.Query()
			offset, _ := strconv.Atoi(q.Get("offset"))
			limit, _ := strconv.Atoi(q.Get("limit"))
			n := max(min(limit, total-offset), 0)
			_, _ = w.Write(usersJSON(offset+1, n))
		}
	}))
}

// transport is the one both sides use: the SDK's default settings.
func transport() *http.Client { return core.DefaultHTTPClient() }

func sdk(b testing.TB, url string) *backoffice.Client {
	c, err := backoffice.New(backoffice.WithBaseURL(url), backoffice.WithToken(token), backoffice.WithHTTPClient(transport()))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// baseline is the hand-written client.
type baseline struct {
	hc   *http.Client
	base string
	// authorize sets the Authorization header, built on every call as such code does.
	authorize func(*http.Request)
}

// backofficeBaseline is the hand-written backoffice client on url.
func backofficeBaseline(url string) *baseline {
	return &baseline{hc: transport(), base: url, authorize: bearer(token)}
}

func (c *baseline) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	c.authorize(req)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// backofficeCase is one backoffice call as the hand-written client and the SDK make it,
// each checking the answer.
type backofficeCase struct {
	total int // users the server pages through; 0 answers from pre-built bodies
	base  func(context.Context, *baseline) error
	sdk   func(context.Context, *backoffice.Client) error
}

var createReq = &backoffice.CreateRequest{Name: "Mary", Email: "mary@example.com", Password: "MySecret123", Active: true, Groups: []int64{1}}

var (
	list1000 = backofficeCase{
		base: func(ctx context.Context, c *baseline) error {
			var us []user
			return errors.Join(c.do(ctx, "GET", "/api/v2/users?limit=1000&offset=0", nil, &us), want(len(us), 1000))
		},
		sdk: func(ctx context.Context, c *backoffice.Client) error {
			us, err := c.List(ctx, backoffice.ListOptions{Limit: 1000})
			return errors.Join(err, want(len(us), 1000))
		},
	}
	create = backofficeCase{
		base: func(ctx context.Context, c *baseline) error {
			var u user
			return errors.Join(c.do(ctx, "POST", "/api/v2/users", createReq, &u), want(u.ID, 1))
		},
		sdk: func(ctx context.Context, c *backoffice.Client) error {
			u, err := c.Create(ctx, createReq)
			if err != nil {
				return err
			}
			return want(u.ID, 1)
		},
	}
	all100k = backofficeCase{
		total: allTotal,
		base: func(ctx context.Context, c *baseline) error {
			n := 0
			for offset := 0; ; offset += allPage {
				var page []user
				if err := c.do(ctx, "GET", "/api/v2/users?limit="+strconv.Itoa(allPage)+"&offset="+strconv.Itoa(offset), nil, &page); err != nil {
					return err
				}
				if n += len(page); len(page) < allPage {
					return want(n, allTotal)
				}
			}
		},
		sdk: func(ctx context.Context, c *backoffice.Client) error {
			n := 0
			for _, err := range c.All(ctx, backoffice.ListOptions{Limit: allPage}) {
				if err != nil {
					return err
				}
				n++
			}
			return want(n, allTotal)
		},
	}
)

const allTotal, allPage = 100_000, 1000

func want[T comparable](got, want T) error {
	if got != want {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

// sides runs bc's two sides as the sub-benchmarks impl=baseline and impl=sdk, one after
// the other, against one server.
func (bc backofficeCase) sides(b *testing.B) {
	srv := server(bc.total)
	defer srv.Close()
	ctx := context.Background()
	hand, c := backofficeBaseline(srv.URL), sdk(b, srv.URL)
	run := map[string]func() error{
		"impl=baseline": func() error { return bc.base(ctx, hand) },
		"impl=sdk":      func() error { return bc.sdk(ctx, c) },
	}
	for _, name := range []string{"impl=baseline", "impl=sdk"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := run[name](); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkList1000(b *testing.B) { list1000.sides(b) }
func BenchmarkCreate(b *testing.B)   { create.sides(b) }
func BenchmarkAll100k(b *testing.B)  { all100k.sides(b) }
