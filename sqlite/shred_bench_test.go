//go:build unix

package sqlite

import (
	"bytes"
	"context"
	"crypto/rand"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/shred"
)

// The cost of crypto-shredding (issue 10, "Measure"), on the commit path
// and on export, with and without a keyring, the log on for both. Every
// benchRecord keeps one value under consent, so this is the worst case: a
// crawl where every page keeps a consented value (in a real crawl few do,
// and a record that keeps nothing costs one scan of its findings). Run both
// sides alternately, per core (bench/shred.sh):
//
//	go test -c -o sqlite.test ./sqlite
//	for i in $(seq 10); do GOMAXPROCS=1 ./sqlite.test -test.run '^$' \
//	    -test.bench 'CommitShred|ExportShred' -test.benchmem -test.count 1; done > shred.txt
//	benchstat shred.txt

var benchConsentKey = bytes.Repeat([]byte{0x5c}, 32)

func BenchmarkCommitShred(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "shred=off"
		if on {
			name = "shred=on"
		}
		b.Run(name, func(b *testing.B) { benchCommitShred(b, on) })
	}
}

func benchCommitShred(b *testing.B, on bool) {
	ctx := context.Background()
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if on {
		if err := s.UseConsentKey(benchConsentKey); err != nil {
			b.Fatal(err)
		}
	}
	for h := 0; h < 20; h++ {
		if _, err := s.Enqueue(ctx, benchLinkItems(h)); err != nil {
			b.Fatal(err)
		}
	}
	seal := func(r *scruple.Record) ([]byte, error) { return provenance.NewRecordEntry(r, benchInfo).Marshal(), nil }
	next := 0
	batch := make([]scruple.Outcome, benchBatch)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, excluded := benchCPU(), time.Duration(0)
	for b.Loop() {
		// Building the records (and, as the crawler's workers do off the
		// commit path, their salt and encoding) is excluded on both sides.
		b.StopTimer()
		x := benchCPU()
		for k := range batch {
			r := benchRecord(next)
			shred.SaltKept(r)
			batch[k] = scruple.Outcome{Item: scruple.URLItem{ID: int64(next + 1)}, Record: r, Links: benchLinkItems(next),
				Line: provenance.AppendRecordLine(nil, r, 0), Seal: seal}
			next++
		}
		excluded += benchCPU() - x
		b.StartTimer()
		if err := s.Commit(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu := benchCPU() - cpu0 - excluded
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(next), "ns/record")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(next), "cpu-ns/record")
}

// benchExportRecords is the size of the store BenchmarkExportShred exports.
const benchExportRecords = 2000

func BenchmarkExportShred(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "shred=off"
		if on {
			name = "shred=on"
		}
		b.Run(name, func(b *testing.B) { benchExportShred(b, on) })
	}
}

func benchExportShred(b *testing.B, on bool) {
	ctx := context.Background()
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if on {
		if err := s.UseConsentKey(benchConsentKey); err != nil {
			b.Fatal(err)
		}
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, "bench")
	if err != nil {
		b.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		b.Fatal(err)
	}
	var items []scruple.URLItem
	for i := 0; i < benchExportRecords; i++ {
		items = append(items, scruple.URLItem{URL: benchRecord(i).URL, Host: "x:80", Source: scruple.FromLink})
	}
	if _, err := s.Enqueue(ctx, items); err != nil {
		b.Fatal(err)
	}
	seal := func(r *scruple.Record) ([]byte, error) { return provenance.NewRecordEntry(r, benchInfo).Marshal(), nil }
	for i := 0; i < benchExportRecords; i += benchBatch {
		var batch []scruple.Outcome
		for k := i; k < min(i+benchBatch, benchExportRecords); k++ {
			r := benchRecord(k)
			shred.SaltKept(r)
			batch = append(batch, scruple.Outcome{Item: scruple.URLItem{ID: int64(k + 1)}, Record: r, Seal: seal})
		}
		if err := s.Commit(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	out := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := benchCPU()
	n := 0
	for b.Loop() {
		if _, err := provenance.Export(ctx, s, signer, vkey, filepath.Join(out, "b")); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.StopTimer()
	cpu := benchCPU() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*benchExportRecords), "ns/record")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n*benchExportRecords), "cpu-ns/record")
}
