package report

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/scruple/scruple/report/reporttest"
)

// benchBundles caches the synthetic bundles across benchmark runs (-count):
// writing 100,000 records takes longer than reporting on them.
var benchBundles sync.Map // records → dir

func benchBundle(b *testing.B, n int) string {
	if d, ok := benchBundles.Load(n); ok {
		return d.(string)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("scruple-report-bench-%d-%d", n, os.Getpid()))
	os.RemoveAll(dir)
	if _, _, err := reporttest.Synthetic(context.Background(), dir, reporttest.SynthSpec{Records: n, Hosts: 100, TextBytes: 6000}); err != nil {
		b.Fatal(err)
	}
	benchBundles.Store(n, dir)
	return dir
}

// TestMain removes the benchmark bundles and checks that Build leaves no
// goroutine behind (it verifies and hashes on goroutines of its own).
func TestMain(m *testing.M) {
	code := m.Run()
	benchBundles.Range(func(_, d any) bool { os.RemoveAll(d.(string)); return true })
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// BenchmarkReport is a whole report (verify, passes, HTML) of a synthetic
// bundle of 6 KB pages over 100 hosts. It reports records/s and the peak
// live heap (as each garbage collection measured it, sampled every 5 ms):
// what the report holds, which must not grow with the records' text.
func BenchmarkReport(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		dir := benchBundle(b, n)
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			stop := make(chan struct{})
			peak := make(chan uint64)
			go func() {
				s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				var max uint64
				t := time.NewTicker(5 * time.Millisecond)
				defer t.Stop()
				for {
					metrics.Read(s)
					max = maxU(max, s[0].Value.Uint64())
					select {
					case <-stop:
						peak <- max
						return
					case <-t.C:
					}
				}
			}()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := Build(context.Background(), dir, Options{})
				if err != nil || !r.OK() {
					b.Fatalf("%v %+v", err, r.Verdict.Problems)
				}
				if err := r.WriteHTML(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			close(stop)
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(<-peak)/(1<<20), "peak-live-heap-MB")
		})
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
