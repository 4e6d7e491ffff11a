// Package bench measures the SDK against the hand-written net/http + encoding/json code a
// careful engineer would write instead, in the same run against the same loopback server.
// Run ./bench/run.sh for the SDK/baseline ratios.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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
	req.Header.Set("Authorization", "Bearer "+token)
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

func BenchmarkGet(b *testing.B) {
	srv := server(0)
	defer srv.Close()
	ctx := context.Background()
	b.Run("impl=baseline", func(b *testing.B) {
		c := &baseline{hc: transport(), base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			var u user
			if err := c.do(ctx, "GET", "/api/v2/users/1", nil, &u); err != nil || u.ID != 1 {
				b.Fatal(err, u.ID)
			}
		}
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := sdk(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			u, err := c.Get(ctx, 1)
			if err != nil || u.ID != 1 {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkList1000(b *testing.B) {
	srv := server(0)
	defer srv.Close()
	ctx := context.Background()
	b.Run("impl=baseline", func(b *testing.B) {
		c := &baseline{hc: transport(), base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			var us []user
			if err := c.do(ctx, "GET", "/api/v2/users?limit=1000&offset=0", nil, &us); err != nil || len(us) != 1000 {
				b.Fatal(err, len(us))
			}
		}
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := sdk(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			us, err := c.List(ctx, backoffice.ListOptions{Limit: 1000})
			if err != nil || len(us) != 1000 {
				b.Fatal(err, len(us))
			}
		}
	})
}

func BenchmarkCreate(b *testing.B) {
	srv := server(0)
	defer srv.Close()
	ctx := context.Background()
	req := &backoffice.CreateRequest{Name: "Mary", Email: "mary@example.com", Password: "MySecret123", Active: true, Groups: []int64{1}}
	b.Run("impl=baseline", func(b *testing.B) {
		c := &baseline{hc: transport(), base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			var u user
			if err := c.do(ctx, "POST", "/api/v2/users", req, &u); err != nil || u.ID != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := sdk(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			u, err := c.Create(ctx, req)
			if err != nil || u.ID != 1 {
				b.Fatal(err)
			}
		}
	})
}

const allTotal, allPage = 100_000, 1000

func BenchmarkAll100k(b *testing.B) {
	srv := server(allTotal)
	defer srv.Close()
	ctx := context.Background()
	b.Run("impl=baseline", func(b *testing.B) {
		c := &baseline{hc: transport(), base: srv.URL}
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for offset := 0; ; offset += allPage {
				var page []user
				if err := c.do(ctx, "GET", "/api/v2/users?limit="+strconv.Itoa(allPage)+"&offset="+strconv.Itoa(offset), nil, &page); err != nil {
					b.Fatal(err)
				}
				n += len(page)
				if len(page) < allPage {
					break
				}
			}
			if n != allTotal {
				b.Fatal(n)
			}
		}
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := sdk(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range c.All(ctx, backoffice.ListOptions{Limit: allPage}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != allTotal {
				b.Fatal(n)
			}
		}
	})
}

var _ = strings.Repeat
