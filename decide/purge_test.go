package decide_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

var bg = context.Background()

// openStores returns the stores a purge test runs on: SQLite always,
// PostgreSQL when SCRUPLE_TEST_POSTGRES names a database.
func openStores(t *testing.T) map[string]func(t *testing.T) scruple.Store {
	out := map[string]func(t *testing.T) scruple.Store{
		"sqlite": func(t *testing.T) scruple.Store {
			s, err := sqlite.OpenWith(t.TempDir(), sqlite.Options{NoLock: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
	if dsn := os.Getenv("SCRUPLE_TEST_POSTGRES"); dsn != "" {
		out["postgres"] = func(t *testing.T) scruple.Store {
			b := make([]byte, 4)
			rand.Read(b)
			s, err := postgres.Open(bg, dsn, "test-purge-"+hex.EncodeToString(b), postgres.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.DeleteCrawl(bg); s.Close() })
			return s
		}
	}
	return out
}

// The two values kept on one page, under two consents of two subjects.
const (
	valueA = "13800000001"
	valueB = "13900000002"
)

func consentOf(id, subject string) *scruple.Consent {
	at := time.Unix(1700000000, 0).UTC()
	return &scruple.Consent{ID: id, Subject: subject, SubjectType: "cn_mobile", Types: []string{"cn_mobile"},
		Purpose: "research", Processor: "lab", Recipients: []string{"Lab Ltd"}, Method: "form", Evidence: "00",
		GrantedAt: at, ExpiresAt: at.Add(time.Hour)}
}

// commitTwoKept stores one page keeping valueA (subject SA, consent cA) and
// valueB (subject SB, consent cB).
func commitTwoKept(t *testing.T, s scruple.Store) {
	t.Helper()
	u := "http://a.test/contacts"
	if _, err := s.Enqueue(bg, []scruple.URLItem{{URL: u, Host: "a.test:80", Source: scruple.FromSeed}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Lease(bg, "a.test:80", 1, time.Now())
	if err != nil || len(got) != 1 {
		t.Fatalf("Lease = %d, %v", len(got), err)
	}
	text := "A " + valueA + " B " + valueB
	r := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, Text: text, Findings: []scruple.Finding{
		{Type: "cn_mobile", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
		{Type: "cn_mobile", Start: 16, End: 27, Action: "keep", Consent: "cB", Subject: "SB"},
	}}
	if err := s.Commit(bg, []scruple.Outcome{{Item: got[0], Record: r, Entry: []byte(`{"kind":"record"}`)}}); err != nil {
		t.Fatal(err)
	}
}

// interleaved runs between (once) after Purge has read its records and
// before it writes them back: the moment a racing purge does its damage.
type interleaved struct {
	decide.PurgeStore
	between func()
}

func (s *interleaved) RecordsWithSubject(ctx context.Context, subject string, fn func(*scruple.Record) error) error {
	var recs []*scruple.Record
	if err := s.PurgeStore.RecordsWithSubject(ctx, subject, func(r *scruple.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		return err
	}
	if f := s.between; f != nil {
		s.between = nil
		f()
	}
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// TestPurgeRace is issue 10 item 7: a CLI withdrawal (consent cA) racing a
// crawler's expiry sweep (consent cB) over the same record, or two
// PostgreSQL workers: whichever writes second works from a copy that still
// holds the other's value, and must not write it back.
func TestPurgeRace(t *testing.T) {
	for name, open := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			commitTwoKept(t, s)
			cA, cB := consentOf("cA", "SA"), consentOf("cB", "SB")
			at := time.Unix(1700000100, 0).UTC()
			racer := &interleaved{PurgeStore: s, between: func() {
				if n, err := decide.Purge(bg, s, cB, provenance.KindExpiry, at, provenance.BuildInfo{}); err != nil || n != 1 {
					t.Errorf("racing purge = %d, %v", n, err)
				}
			}}
			n, err := decide.Purge(bg, racer, cA, provenance.KindWithdrawal, at, provenance.BuildInfo{})
			if err != nil || n != 1 {
				t.Fatalf("Purge = %d, %v; want 1 record changed", n, err)
			}
			var recs []*scruple.Record
			if err := s.Records(bg, func(r *scruple.Record) error { recs = append(recs, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			r := recs[0]
			for name, v := range map[string]string{"withdrawn value": valueA, "expired value": valueB} {
				if strings.Contains(r.Text, v) {
					t.Errorf("the %s was written back into the record", name)
				}
			}
			for _, f := range r.Findings {
				if f.Action == "keep" {
					t.Errorf("finding %s still kept under %q", f.Type, f.Consent)
				}
			}
		})
	}
}

// TestPurgeRaceWorkers is TestPurgeRace with real concurrency: two workers
// of one PostgreSQL crawl (two stores, two connection pools) purge two
// consents kept side by side on the same records at the same time. Neither
// may write back the value the other purged.
func TestPurgeRaceWorkers(t *testing.T) {
	dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("needs SCRUPLE_TEST_POSTGRES")
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "test-purge-workers-" + hex.EncodeToString(b)
	w1, err := postgres.Open(bg, dsn, name, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w1.DeleteCrawl(bg); w1.Close() })
	w2, err := postgres.Open(bg, dsn, name, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w2.Close() })
	const pages = 30
	var items []scruple.URLItem
	for i := 0; i < pages; i++ {
		items = append(items, scruple.URLItem{URL: fmt.Sprintf("http://a.test/p%d", i), Host: "a.test:80", Source: scruple.FromSeed})
	}
	if _, err := w1.Enqueue(bg, items); err != nil {
		t.Fatal(err)
	}
	got, err := w1.Lease(bg, "a.test:80", pages, time.Now())
	if err != nil || len(got) != pages {
		t.Fatalf("Lease = %d, %v", len(got), err)
	}
	var outs []scruple.Outcome
	for _, it := range got {
		r := &scruple.Record{URL: it.URL, FinalURL: it.URL, Kind: scruple.KindPage, Status: 200, Text: "A " + valueA + " B " + valueB,
			Findings: []scruple.Finding{
				{Type: "cn_mobile", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
				{Type: "cn_mobile", Start: 16, End: 27, Action: "keep", Consent: "cB", Subject: "SB"},
			}}
		outs = append(outs, scruple.Outcome{Item: it, Record: r, Entry: []byte(`{"kind":"record"}`)})
	}
	if err := w1.Commit(bg, outs); err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1700000100, 0).UTC()
	errs := make(chan error, 2)
	go func() {
		_, err := decide.Purge(bg, w1, consentOf("cA", "SA"), provenance.KindWithdrawal, at, provenance.BuildInfo{})
		errs <- err
	}()
	go func() {
		_, err := decide.Purge(bg, w2, consentOf("cB", "SB"), provenance.KindExpiry, at, provenance.BuildInfo{})
		errs <- err
	}()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("Purge: %v", err)
		}
	}
	n := 0
	err = w2.Records(bg, func(r *scruple.Record) error {
		n++
		if strings.Contains(r.Text, valueA) || strings.Contains(r.Text, valueB) {
			t.Errorf("%s: a purged value was written back", r.URL)
		}
		return nil
	})
	if err != nil || n != pages {
		t.Fatalf("Records: %d, %v", n, err)
	}
}
