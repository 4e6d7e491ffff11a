package bench

import (
	"context"
	"testing"
	"time"

	"github.com/usersdk/usersdk-go/backoffice"
)

// paired runs the baseline and the SDK call alternately in one loop and reports each
// side's mean time and their ratio. Noise on this shared machine (other processes, CPU
// frequency) then hits both sides alike, which separate benchmarks cannot promise.
func paired(b *testing.B, base, sdk func() error) {
	var tb, ts time.Duration
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// Alternate which side goes first, so neither always runs on a warm connection.
		first, second, t1, t2 := base, sdk, &tb, &ts
		if i%2 == 1 {
			first, second, t1, t2 = sdk, base, &ts, &tb
		}
		start := time.Now()
		if err := first(); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := second(); err != nil {
			b.Fatal(err)
		}
		*t1 += mid.Sub(start)
		*t2 += time.Since(mid)
	}
	n := float64(b.N)
	b.ReportMetric(float64(tb.Nanoseconds())/n, "baseline-ns/call")
	b.ReportMetric(float64(ts.Nanoseconds())/n, "sdk-ns/call")
	b.ReportMetric(float64(ts)/float64(tb), "sdk/baseline")
}

func BenchmarkPairedGet(b *testing.B) {
	srv := server(0)
	defer srv.Close()
	ctx := context.Background()
	base := &baseline{hc: transport(), base: srv.URL}
	c := sdk(b, srv.URL)
	paired(b, func() error {
		var u user
		return base.do(ctx, "GET", "/api/v2/users/1", nil, &u)
	}, func() error {
		_, err := c.Get(ctx, 1)
		return err
	})
}

func BenchmarkPairedList1000(b *testing.B) {
	srv := server(0)
	defer srv.Close()
	ctx := context.Background()
	base := &baseline{hc: transport(), base: srv.URL}
	c := sdk(b, srv.URL)
	paired(b, func() error {
		var us []user
		return base.do(ctx, "GET", "/api/v2/users?limit=1000&offset=0", nil, &us)
	}, func() error {
		_, err := c.List(ctx, backoffice.ListOptions{Limit: 1000})
		return err
	})
}

func BenchmarkPairedCreate(b *testing.B) {
	srv := server(0)
	defer srv.Close()
	ctx := context.Background()
	req := &backoffice.CreateRequest{Name: "Mary", Email: "mary@example.com", Password: "MySecret123", Active: true, Groups: []int64{1}}
	base := &baseline{hc: transport(), base: srv.URL}
	c := sdk(b, srv.URL)
	paired(b, func() error {
		var u user
		return base.do(ctx, "POST", "/api/v2/users", req, &u)
	}, func() error {
		_, err := c.Create(ctx, req)
		return err
	})
}
