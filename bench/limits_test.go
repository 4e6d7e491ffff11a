package bench

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/core"
)

// heapSampler tracks the peak of live heap objects while a loop runs.
type heapSampler struct {
	sample []metrics.Sample
	peak   uint64
}

func newHeapSampler() *heapSampler {
	runtime.GC()
	return &heapSampler{sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

func (h *heapSampler) read() {
	metrics.Read(h.sample)
	h.peak = max(h.peak, h.sample[0].Value.Uint64())
}

// TestAllHoldsOnePage pages through 100,000 users and checks that the heap stays small
// while a baseline that collects the pages grows with the data.
func TestAllHoldsOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("pages through 100,000 users")
	}
	srv := server(allTotal)
	defer srv.Close()
	ctx := context.Background()

	h := newHeapSampler()
	c := sdk(t, srv.URL)
	n := 0
	for _, err := range c.All(ctx, backoffice.ListOptions{Limit: allPage}) {
		require.NoError(t, err)
		if n++; n%500 == 0 {
			h.read()
		}
	}
	require.Equal(t, allTotal, n)
	sdkPeak := h.peak

	h = newHeapSampler()
	b := backofficeBaseline(srv.URL)
	var all []user
	for offset := 0; ; offset += allPage {
		var page []user
		require.NoError(t, b.do(ctx, "GET", "/api/v2/users?limit="+strconv.Itoa(allPage)+"&offset="+strconv.Itoa(offset), nil, &page))
		all = append(all, page...)
		h.read()
		if len(page) < allPage {
			break
		}
	}
	require.Len(t, all, allTotal)
	t.Logf("peak heap: All %.1f MiB, collecting baseline %.1f MiB", float64(sdkPeak)/(1<<20), float64(h.peak)/(1<<20))
	assert.Less(t, sdkPeak, uint64(16<<20), "All must hold one page at a time")
	assert.Greater(t, h.peak, 2*sdkPeak, "the collecting baseline grows with the data")
}

// TestSharedClientStaysWithinPool shares one client across 64 goroutines for 20,000
// requests, some answered 404 and some 503 then retried, and counts connections.
func TestSharedClientStaysWithinPool(t *testing.T) {
	const goroutines, requests = 64, 20_000
	var served atomic.Int64
	one := []byte(userJSON(1))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := served.Add(1)
		switch {
		case i%50 == 7:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"User not found"}`)
		case i%50 == 13:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"message":"busy"}`)
		default:
			_, _ = w.Write(one)
		}
	}))
	var conns, closed, open, peak atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			conns.Add(1)
			n := open.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			closed.Add(1)
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()

	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken(token), backoffice.WithRetry(3, 0, 0))
	require.NoError(t, err)
	var next atomic.Int64
	var ok, notFound atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= requests {
				_, err := c.Get(context.Background(), 1)
				switch {
				case err == nil:
					ok.Add(1)
				case assert.ErrorIs(t, err, backoffice.ErrNotFound):
					notFound.Add(1)
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(requests), ok.Load()+notFound.Load())
	assert.Greater(t, notFound.Load(), int64(0))
	assert.Greater(t, served.Load(), int64(requests), "some answers were retried")
	t.Logf("%d requests, %d answers served, %d connections opened, %d closed, at most %d open at once (pool %d)",
		requests, served.Load(), conns.Load(), closed.Load(), peak.Load(), core.DefaultMaxConnsPerHost)
	// A connection the server or the network closed may be replaced, never added to. The
	// server sees the replacement's start and the old one's end in either order, so a
	// closed connection may briefly count twice.
	assert.LessOrEqual(t, int(peak.Load()), core.DefaultMaxConnsPerHost+int(closed.Load()), "open at once")
	assert.LessOrEqual(t, int(conns.Load()), core.DefaultMaxConnsPerHost+int(closed.Load()), "opened in all")
}
