// Command provbundle writes a provenance bundle of N synthetic records for
// timing `scruple verify` (issue 5: target ≥ 100,000 records/s):
//
//	provbundle -out DIR -n 100000 -text 6000
//
// Records are crawled pages (text of about -text bytes, mixed Chinese and
// English, three findings, robots evidence), with one in five a non-page
// record (nonpublic, disallowed) as a real crawl has. They are committed to an
// in-memory store over provenance.MemLog with their entries (built by
// provenance.NewRecordEntry, as the crawler's Seal does), then written with
// provenance.Export and a fresh ed25519 key, exactly the bundle `scruple
// export` writes.
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
)

// store is a RecordStore over a MemLog that commits a record and its entry
// together, as the SQLite store does.
type store struct {
	*provenance.MemLog
	mu      sync.Mutex
	records []*scruple.Record
}

func (s *store) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var entries [][]byte
	for _, o := range outcomes {
		if o.Record == nil {
			continue
		}
		o.Record.ID = int64(len(s.records) + 1)
		s.records = append(s.records, o.Record)
		e, err := o.Seal(o.Record)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	_, err := s.AppendEntries(ctx, entries)
	return err
}

func (s *store) Records(ctx context.Context, fn func(*scruple.Record) error) error {
	for _, r := range s.records {
		c := *r
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *store) RecordCounts(ctx context.Context) (map[scruple.Kind]int64, error) {
	m := map[scruple.Kind]int64{}
	for _, r := range s.records {
		m[r.Kind]++
	}
	return m, nil
}

var paras = []string{
	"近日，国家统计局发布了2025年第三季度国民经济运行数据。数据显示，前三季度国内生产总值同比增长5.2%，其中第三产业增加值增长5.8%。",
	"The quarterly report shows revenue of $12.5 million, up 8.3% year over year, driven by strong demand in the Asia-Pacific region.",
	"据介绍，该项目总投资约38亿元，占地面积1200亩，预计2027年建成投产，届时可提供就业岗位3000余个。如有疑问请联系[cn_mobile]。",
	"Version 2.14.1 fixes a crash on startup (issue #4521) and improves performance of the indexer by about 15 percent.",
}

func record(i, textLen int) *scruple.Record {
	host := fmt.Sprintf("h%02d.bench.test", i%20)
	u := fmt.Sprintf("http://%s/p/%d", host, i)
	r := &scruple.Record{
		URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200,
		FetchedAt:   time.Date(2026, 11, 27, 12, 0, 0, i*1000, time.UTC),
		ContentType: "text/html", Charset: "utf-8", Lang: "zh",
		Title:  fmt.Sprintf("Page %d — 新闻", i),
		Depth:  i % 6,
		From:   fmt.Sprintf("http://%s/p/%d", host, i/2),
		Source: scruple.FromLink,
		Robots: &scruple.RobotsVerdict{URL: "http://" + host + "/robots.txt", Allowed: true, Rule: "Allow: /", Digest: strings.Repeat("cd", 32)},
		Links:  20,
	}
	switch i % 5 {
	case 3:
		r.Kind, r.Status, r.Reason = scruple.KindNonPublic, 401, "http 401 (authentication required)"
		return r
	case 4:
		r.Kind, r.Status, r.Reason = scruple.KindDisallowed, 0, "robots.txt: Disallow: /p/"
		r.Robots.Allowed, r.Robots.Rule = false, "Disallow: /p/"
		return r
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Article %d. ", i)
	for k := i; b.Len() < textLen; k++ {
		b.WriteString(paras[k%len(paras)])
		b.WriteByte('\n')
	}
	r.Text = b.String()
	sum := sha256.Sum256([]byte(r.Text))
	r.Digest, r.Size = hex.EncodeToString(sum[:]), int64(len(r.Text)+2500)
	r.Findings = []scruple.Finding{
		{Type: "cn_mobile", Start: 120, End: 131, Level: "C2", Confidence: 0.97, Action: "redact"},
		{Type: "cn_mobile", Start: 400, End: 411, Level: "C2", Confidence: 0.9, Action: "redact"},
		{Type: "email", Start: 700, End: 722, Confidence: 0.95, Action: "keep", Consent: "c-42", Subject: fmt.Sprintf("hmac:%064x", i%97)},
	}
	return r
}

func main() {
	out := flag.String("out", "", "bundle directory to write")
	n := flag.Int("n", 100_000, "records")
	textLen := flag.Int("text", 6000, "bytes of text per page record")
	flag.Parse()
	if *out == "" {
		log.Fatal("-out is required")
	}
	ctx := context.Background()
	info := provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: "pii/1", PolicyVersion: "sha256:" + strings.Repeat("ab", 32)}
	seal := func(r *scruple.Record) ([]byte, error) { return provenance.NewRecordEntry(r, info).Marshal(), nil }
	s := &store{MemLog: provenance.NewMemLog()}
	var batch []scruple.Outcome
	for i := 0; i < *n; i++ {
		batch = append(batch, scruple.Outcome{Record: record(i, *textLen), Seal: seal})
		if len(batch) == 256 || i == *n-1 {
			if err := s.Commit(ctx, batch); err != nil {
				log.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, "bench")
	if err != nil {
		log.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		log.Fatal(err)
	}
	m, err := provenance.Export(ctx, s, signer, vkey, *out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("bundle %s: %d records, %d log entries, key %s\n", *out, m.Records, m.LogEntries, vkey)
}
