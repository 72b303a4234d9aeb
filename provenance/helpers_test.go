package provenance

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
)

// memStore is a RecordStore over a MemLog, committing a record and its entry
// together as the SQLite store does.
type memStore struct {
	*MemLog
	mu      sync.Mutex
	records []*scruple.Record
}

func newMemStore() *memStore { return &memStore{MemLog: NewMemLog()} }

func (s *memStore) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var entries [][]byte
	for _, o := range outcomes {
		if o.Record != nil {
			o.Record.ID = int64(len(s.records) + 1)
			c := *o.Record
			s.records = append(s.records, &c)
		}
		if o.Entry != nil {
			entries = append(entries, o.Entry)
		}
	}
	_, err := s.AppendEntries(ctx, entries)
	return err
}

func (s *memStore) Records(ctx context.Context, fn func(*scruple.Record) error) error {
	s.mu.Lock()
	recs := append([]*scruple.Record(nil), s.records...)
	s.mu.Unlock()
	for _, r := range recs {
		c := *r
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) RecordCounts(ctx context.Context) (map[scruple.Kind]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[scruple.Kind]int64{}
	for _, r := range s.records {
		m[r.Kind]++
	}
	return m, nil
}

// replace rewrites (or, with r nil, deletes) the record at url in place and
// logs the purge, as RecordUpdater.ReplaceRecord does.
func (s *memStore) replace(ctx context.Context, url string, r *scruple.Record, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, old := range s.records {
		if old.URL != url {
			continue
		}
		if r == nil {
			s.records = append(s.records[:i], s.records[i+1:]...)
		} else {
			c := *r
			c.ID = old.ID
			s.records[i] = &c
		}
		e := NewPurgeEntry(url, r, reason, "consent-1", time.Unix(1700000000, 0), testInfo)
		_, err := s.AppendEntries(ctx, [][]byte{e.Marshal()})
		return err
	}
	return fmt.Errorf("no record %s", url)
}

var testInfo = BuildInfo{DetectorVersion: "pii/1", PolicyVersion: "sha256:abc"}

// testRecord returns a deterministic record of some kind for i.
func testRecord(i int) *scruple.Record {
	r := &scruple.Record{
		URL:       fmt.Sprintf("https://h%d.example.org/p/%d", i%7, i),
		Kind:      scruple.KindPage,
		Status:    200,
		FetchedAt: time.Date(2025, 1, 2, 3, 4, 5, i*1000, time.FixedZone("CST", 8*3600)),
		Robots:    &scruple.RobotsVerdict{URL: fmt.Sprintf("https://h%d.example.org/robots.txt", i%7), Allowed: true, Rule: "Allow: /"},
		Depth:     i % 5,
		Source:    scruple.Source("link"),
		Digest:    fmt.Sprintf("%064x", i),
		Size:      int64(1000 + i),
		Links:     i % 13,
	}
	r.FinalURL = r.URL
	switch i % 5 {
	case 0, 1, 2:
		r.Title = fmt.Sprintf("Page %d <&>", i)
		r.Text = fmt.Sprintf("Some public text number %d, call [cn_mobile] for details. 中文内容。", i)
		r.Findings = []scruple.Finding{
			{Type: "cn_mobile", Start: 30, End: 41, Level: "C2", Action: "redact", Confidence: 0.97},
			{Type: "cn_mobile", Start: 50, End: 61, Level: "C2", Action: "redact", Confidence: 0.9},
			{Type: "email", Start: 70, End: 80, Action: "keep", Consent: "c-9", Subject: "hmac-of-subject"},
		}
	case 3:
		r.Kind, r.Status, r.Reason = scruple.KindNonPublic, 401, "http 401 (authentication required)"
		r.Digest, r.Size = "", 0
	case 4:
		r.Kind, r.Status, r.Reason = scruple.KindDisallowed, 0, "robots.txt: Disallow: /p/"
		r.Robots.Allowed, r.Robots.Rule = false, "Disallow: /p/"
		r.Digest, r.Size = "", 0
	}
	return r
}

// fill commits n records, in batches, with their entries.
func fill(t testing.TB, s *memStore, from, n int) {
	t.Helper()
	ctx := context.Background()
	var batch []scruple.Outcome
	for i := from; i < from+n; i++ {
		r := testRecord(i)
		batch = append(batch, scruple.Outcome{Record: r, Entry: NewRecordEntry(r, testInfo).Marshal()})
		if len(batch) == 64 {
			if err := s.Commit(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	if err := s.Commit(ctx, batch); err != nil {
		t.Fatal(err)
	}
}

func testKey(t testing.TB, name string) (note.Signer, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}
