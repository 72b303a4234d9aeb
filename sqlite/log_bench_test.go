//go:build unix

package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
)

// The provenance log's cost on the store's commit path (issue 5, "Measure"):
// the same batches of outcomes committed with and without a provenance entry
// per record. With the log on, each outcome's Seal builds
// provenance.NewRecordEntry(r, info).Marshal() inside the transaction (as
// the crawler does) and the store appends the entries and their Merkle-tree
// hashes; a checkpoint is signed every 10,000 records (the crawler's
// checkpointEvery). Run both sides alternately, per core:
//
//	go test -c -o sqlite.test ./sqlite
//	for i in $(seq 10); do GOMAXPROCS=1 ./sqlite.test -test.run '^$' \
//	    -test.bench CommitLog -test.benchmem -test.count 1; done > commit.txt
//	benchstat commit.txt
//
// bench/provenance.sh does this.

const (
	benchBatch      = 256    // the crawler's commitBatch
	benchCheckpoint = 10_000 // the crawler's checkpointEvery
	benchLinks      = 20     // links per page, all already known (the common case)
)

var benchInfo = provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: "pii/1",
	PolicyVersion: "sha256:" + strings.Repeat("ab", 32)}

// benchText is a page's extracted text of about n bytes, mixed Chinese and
// English, with a redacted mobile number, different for every i.
func benchText(i, n int) string {
	paras := []string{
		"近日，国家统计局发布了2025年第三季度国民经济运行数据。数据显示，前三季度国内生产总值同比增长5.2%，其中第三产业增加值增长5.8%。",
		"The quarterly report shows revenue of $12.5 million, up 8.3% year over year, driven by strong demand in the Asia-Pacific region.",
		"据介绍，该项目总投资约38亿元，占地面积1200亩，预计2027年建成投产，届时可提供就业岗位3000余个。如有疑问请联系[cn_mobile]。",
		"Version 2.14.1 fixes a crash on startup (issue #4521) and improves performance of the indexer by about 15 percent.",
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Article %d. ", i)
	for k := i; b.Len() < n; k++ {
		b.WriteString(paras[k%len(paras)])
		b.WriteByte('\n')
	}
	return b.String()
}

// benchRecord is a realistic crawled page: a 6 KB text (the bench site's
// pages carry about 7 KB of text), robots evidence, three findings of which
// one kept with consent (indexed by subject), 20 links.
func benchRecord(i int) *scruple.Record {
	host := fmt.Sprintf("h%02d.bench.test", i%20)
	text := benchText(i, 6000)
	sum := sha256.Sum256([]byte(text))
	return &scruple.Record{
		URL:         fmt.Sprintf("http://%s/p/%d", host, i),
		FinalURL:    fmt.Sprintf("http://%s/p/%d", host, i),
		Kind:        scruple.KindPage,
		Status:      200,
		FetchedAt:   time.Date(2026, 11, 27, 12, 0, 0, i*1000, time.UTC),
		ContentType: "text/html",
		Charset:     "utf-8",
		Title:       fmt.Sprintf("Page %d — 新闻", i),
		Lang:        "zh",
		Text:        text,
		Depth:       i % 6,
		From:        fmt.Sprintf("http://%s/p/%d", host, i/2),
		Source:      scruple.FromLink,
		Digest:      hex.EncodeToString(sum[:]),
		Size:        int64(len(text) + 2500),
		Robots:      &scruple.RobotsVerdict{URL: "http://" + host + "/robots.txt", Allowed: true, Rule: "Allow: /", Digest: strings.Repeat("cd", 32)},
		Links:       benchLinks,
		Findings: []scruple.Finding{
			{Type: "cn_mobile", Start: 120, End: 131, Level: "C2", Confidence: 0.97, Action: "redact"},
			{Type: "cn_mobile", Start: 400, End: 411, Level: "C2", Confidence: 0.9, Action: "redact"},
			{Type: "email", Start: 700, End: 722, Confidence: 0.95, Action: "keep", Consent: "c-42", Subject: fmt.Sprintf("hmac:%064x", i%97)},
		},
	}
}

func benchLinkItems(i int) []scruple.URLItem {
	host := fmt.Sprintf("h%02d.bench.test", i%20)
	links := make([]scruple.URLItem, benchLinks)
	for k := range links {
		links[k] = scruple.URLItem{URL: fmt.Sprintf("http://%s/p/%d", host, k*50), Host: host + ":80", Source: scruple.FromLink}
	}
	return links
}

func BenchmarkCommitLog(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "log=off"
		if on {
			name = "log=on"
		}
		b.Run(name, func(b *testing.B) { benchCommit(b, on) })
	}
}

func benchCommit(b *testing.B, logOn bool) {
	ctx := context.Background()
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	skey, _, err := note.GenerateKey(rand.Reader, "bench")
	if err != nil {
		b.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		b.Fatal(err)
	}
	// The links every page points at are known already.
	for h := 0; h < 20; h++ {
		if _, err := s.Enqueue(ctx, benchLinkItems(h)); err != nil {
			b.Fatal(err)
		}
	}
	seal := func(r *scruple.Record) ([]byte, error) { return provenance.NewRecordEntry(r, benchInfo).Marshal(), nil }

	next, sinceCP, entryBytes := 0, 0, 0
	batch := make([]scruple.Outcome, benchBatch)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, excluded := benchCPU(), time.Duration(0)
	for b.Loop() {
		// Building the records is the crawl's work, not the store's: it is
		// excluded on both sides.
		b.StopTimer()
		x := benchCPU()
		for k := range batch {
			batch[k] = scruple.Outcome{Item: scruple.URLItem{ID: int64(next + 1)}, Record: benchRecord(next), Links: benchLinkItems(next)}
			if logOn {
				batch[k].Seal = seal
			}
			next++
		}
		excluded += benchCPU() - x
		b.StartTimer()
		if err := s.Commit(ctx, batch); err != nil {
			b.Fatal(err)
		}
		if logOn {
			if sinceCP += benchBatch; sinceCP >= benchCheckpoint {
				sinceCP = 0
				if _, _, err := provenance.Sign(ctx, s, signer); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.StopTimer()
	cpu := benchCPU() - cpu0 - excluded
	if logOn {
		n, _ := s.LogSize(ctx)
		if n != int64(next) {
			b.Fatalf("log has %d entries for %d records", n, next)
		}
		entryBytes = len(provenance.NewRecordEntry(benchRecord(0), benchInfo).Marshal())
		b.ReportMetric(float64(entryBytes), "entry-B")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(next), "ns/record")
	// CPU per record (process user+system time, record building excluded):
	// steadier than wall time on a shared machine, and what a CPU-bound
	// crawl pays.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(next), "cpu-ns/record")
}

func benchCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
