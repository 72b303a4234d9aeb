package provenance

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkVerify verifies a bundle of 100,000 synthetic records (about
// 60 MB); the target is at least 100,000 records/s.
func BenchmarkVerify(b *testing.B) {
	const n = 100_000
	signer, vkey := testKey(b, "bench")
	s := newMemStore()
	fill(b, s, 0, n)
	dir := filepath.Join(b.TempDir(), "bundle")
	if _, err := Export(context.Background(), s, signer, vkey, dir); err != nil {
		b.Fatal(err)
	}
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		rep, err := Verify(dir, vkey)
		if err != nil || !rep.OK() {
			b.Fatalf("%v\n%s", err, rep)
		}
	}
	report(b, n, start, cpu0)
}

func report(b *testing.B, n int, start time.Time, cpu0 time.Duration) {
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "records/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "records/cpu-s")
	}
}

// BenchmarkExport exports the same 100,000 records.
func BenchmarkExport(b *testing.B) {
	const n = 100_000
	signer, vkey := testKey(b, "bench")
	s := newMemStore()
	fill(b, s, 0, n)
	dir := filepath.Join(b.TempDir(), "bundle")
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		if _, err := Export(context.Background(), s, signer, vkey, dir); err != nil {
			b.Fatal(err)
		}
	}
	report(b, n, start, cpu0)
}
