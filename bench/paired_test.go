package bench

import (
	"context"
	"errors"
	"math"
	"runtime"
	"testing"
	"time"
)

// paired runs the baseline and the SDK call alternately in one loop and reports each
// side's mean time and their ratio. Noise on this shared machine (other processes, CPU
// frequency) then hits both sides alike, which separate benchmarks cannot promise.
// sdk/baseline leaves out calls that took over ten times their side's median (see
// trimmedMean; the *-outliers-% metrics say how many); sdk/baseline-all keeps them and
// sdk/baseline-p50 compares medians. All three discount the clock reading each timed call
// holds.
//
// The loop's allocs/op and B/op count both sides. Each side's own allocations and bytes
// per call are counted apart before the loop, over a batch of that side's calls, and
// reported with their difference (extra-allocs/call, extra-B/call). Over loopback they
// include the test server's share, which is the same for both sides and cancels out in
// the difference.
func paired(b *testing.B, base, sdk func() error) {
	// Warm both sides (connections, pools, lazily built state) and size the batches that
	// count allocations to about 50ms each.
	start := time.Now()
	for range warmCalls {
		if err := errors.Join(base(), sdk()); err != nil {
			b.Fatal(err)
		}
	}
	calls := int(min(max(50*time.Millisecond/(max(time.Since(start)/warmCalls, 1)), 20), 1000))
	baseAllocs, baseBytes := perCall(b, base, calls)
	sdkAllocs, sdkBytes := perCall(b, sdk, calls)

	tb, ts := new(durations), new(durations)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// Alternate which side goes first, so neither always runs on a warm connection.
		first, second, d1, d2 := base, sdk, tb, ts
		if i%2 == 1 {
			first, second, d1, d2 = sdk, base, ts, tb
		}
		start := time.Now()
		if err := first(); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := second(); err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		d1.add(mid.Sub(start))
		d2.add(end.Sub(mid))
	}
	// Each timed call also holds about one reading of the clock; it is not the clients'.
	clock := clockCost()
	baseMean, baseOut := tb.trimmedMean()
	sdkMean, sdkOut := ts.trimmedMean()
	baseMean, sdkMean = baseMean-clock, sdkMean-clock
	b.ReportMetric(baseMean, "baseline-ns/call")
	b.ReportMetric(sdkMean, "sdk-ns/call")
	b.ReportMetric(sdkMean/baseMean, "sdk/baseline")
	b.ReportMetric(100*baseOut, "baseline-outliers-%")
	b.ReportMetric(100*sdkOut, "sdk-outliers-%")
	b.ReportMetric((ts.mean()-clock)/(tb.mean()-clock), "sdk/baseline-all")
	b.ReportMetric((ts.quantile(0.5)-clock)/(tb.quantile(0.5)-clock), "sdk/baseline-p50")
	b.ReportMetric(baseAllocs, "baseline-allocs/call")
	b.ReportMetric(sdkAllocs, "sdk-allocs/call")
	b.ReportMetric(sdkAllocs-baseAllocs, "extra-allocs/call")
	b.ReportMetric(baseBytes, "baseline-B/call")
	b.ReportMetric(sdkBytes, "sdk-B/call")
	b.ReportMetric(sdkBytes-baseBytes, "extra-B/call")
}

// clockCost returns the nanoseconds one time.Now takes, at best of a few rounds.
func clockCost() float64 {
	const n = 1000
	best := time.Duration(math.MaxInt64)
	for range 5 {
		start := time.Now()
		for range n {
			_ = time.Now()
		}
		best = min(best, time.Since(start))
	}
	return float64(best) / n
}

// warmCalls is how many calls of each side precede the measurements.
const warmCalls = 20

// perCall returns the mean heap allocations and bytes of one call of f over calls calls.
func perCall(b *testing.B, f func() error, calls int) (allocs, bytes float64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range calls {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	n := float64(calls)
	return float64(after.Mallocs-before.Mallocs) / n, float64(after.TotalAlloc-before.TotalAlloc) / n
}

// paired runs bc's two sides with paired, against one server.
func (bc backofficeCase) paired(b *testing.B) {
	srv := server(bc.total)
	defer srv.Close()
	ctx := context.Background()
	hand, c := backofficeBaseline(srv.URL), sdk(b, srv.URL)
	paired(b, func() error { return bc.base(ctx, hand) }, func() error { return bc.sdk(ctx, c) })
}

func BenchmarkPairedList1000(b *testing.B) { list1000.paired(b) }
func BenchmarkPairedCreate(b *testing.B)   { create.paired(b) }

// durations is a histogram of call times in buckets 0.2% wide, so that a loop of any
// length records them without allocating.
type durations struct {
	sum   time.Duration
	count int
	n     [histBuckets]uint32
}

const (
	histMin     = 50 * time.Nanosecond
	histStep    = 1.002
	histBuckets = 9000 // up to histMin * histStep^histBuckets, about 3s
)

var logStep = math.Log(histStep)

func (d *durations) add(t time.Duration) {
	d.sum += t
	d.count++
	i := 0
	if t > histMin {
		i = min(int(math.Log(float64(t)/float64(histMin))/logStep), histBuckets-1)
	}
	d.n[i]++
}

func (d *durations) mean() float64 { return float64(d.sum) / float64(d.count) }

// at returns bucket i's middle in nanoseconds.
func at(i int) float64 { return float64(histMin) * math.Pow(histStep, float64(i)+0.5) }

// quantile returns the q-quantile in nanoseconds, to 0.1%.
func (d *durations) quantile(q float64) float64 {
	rank, seen := uint64(q*float64(d.count)), uint64(0)
	for i, n := range d.n {
		if seen += uint64(n); seen > rank {
			return at(i)
		}
	}
	return math.NaN()
}

// trimmedMean returns the mean of the calls that took at most outlier times the median,
// and the share of calls left out. On a busy machine a call that another process
// preempted takes milliseconds rather than microseconds, and a few of them decide a plain
// mean; a garbage collection's share of the clients' cost stays within the limit.
func (d *durations) trimmedMean() (mean, out float64) {
	limit := outlier * d.quantile(0.5)
	var sum, kept float64
	for i, n := range d.n {
		if at(i) > limit {
			break
		}
		sum += at(i) * float64(n)
		kept += float64(n)
	}
	return sum / kept, 1 - kept/float64(d.count)
}

// outlier is how many times the median a call must take to be left out of the means.
const outlier = 10
