package ledger_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/shred"
)

// TestWithdrawLeavesNoUnsaltedRawDigest: a page keeping a value under
// consent carries the SHA-256 of its raw body, which holds the value. For a
// text/plain page the body is the stored text with the value in place of
// its mask, so once the consent ends that digest lets anyone test guesses
// of the value (an 11-digit mobile number is within brute-force range),
// exactly what the salted text digest is there to prevent. Neither the
// stored record nor the log may keep it after the withdrawal.
func TestWithdrawLeavesNoUnsaltedRawDigest(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		if k, ok := st.(interface{ UseConsentKey([]byte) error }); ok {
			if err := k.UseConsentKey(testKey); err != nil {
				t.Fatal(err)
			}
		}
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		g, err := l.Grant(bg, grant(mobile, t0.Add(-time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		c := g.Consent
		it := scruple.URLItem{URL: "http://a.test/plain-" + c.ID[:8], Host: "a.test:80", Source: scruple.FromSeed}
		if _, err := st.Enqueue(bg, []scruple.URLItem{it}); err != nil {
			t.Fatal(err)
		}
		got, err := st.Lease(bg, it.Host, 1, time.Now().Add(time.Hour))
		if err != nil || len(got) != 1 {
			t.Fatalf("lease: %v %v", got, err)
		}
		body := "call " + mobile + " now" // a text/plain body: the text as fetched
		sum := sha256.Sum256([]byte(body))
		guess := hex.EncodeToString(sum[:])
		r := &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Status: 200, FetchedAt: t0, Text: body, Digest: guess,
			Findings: []scruple.Finding{{Type: "cn_mobile", Start: 5, End: 5 + len(mobile), Action: "keep", Consent: c.ID, Subject: c.Subject}}}
		shred.SaltKept(r) // as the crawler does before building the entry
		o := scruple.Outcome{Item: got[0], Record: r, Entry: provenance.NewRecordEntry(r, provenance.BuildInfo{}).Marshal()}
		if err := st.Commit(bg, []scruple.Outcome{o}); err != nil {
			t.Fatal(err)
		}
		// While the consent is live, the store's files (SQLite) or its
		// rows (PostgreSQL, whose dead tuples outlive any later rewrite)
		// must not hold the plain digest either: it is written there once
		// and would stay in free pages, dead tuples, WAL and backups.
		if storeHolds(t, st, guess) {
			t.Errorf("the store holds the unsalted digest of a body holding a value kept under consent")
		}
		if _, err := l.Withdraw(bg, c.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		err = st.Records(bg, func(r *scruple.Record) error {
			if r.URL == it.URL && r.Digest == guess {
				t.Errorf("after the withdrawal the record keeps the unsalted digest of a body holding the value")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range logEntries(t, st) {
			if e.RawDigest == guess || strings.Contains(e.RecordDigest+e.TextDigest+e.NewRecordDigest, guess) {
				t.Errorf("log entry %d (%s) keeps the unsalted digest of a body holding the withdrawn value", i, e.Kind)
			}
		}
	})
}

// storeHolds reports whether the raw bytes of st hold s: every file of a
// SQLite data directory, or a pg_dump of this crawl's rows.
func storeHolds(t *testing.T, st scruple.Store, s string) bool {
	t.Helper()
	if d, ok := st.(interface{ Dir() string }); ok {
		files, _ := filepath.Glob(filepath.Join(d.Dir(), "*"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(s)) {
				return true
			}
		}
		return false
	}
	c, ok := st.(interface{ CrawlID() int64 })
	if !ok {
		t.Fatalf("cannot read the raw bytes of a %T", st)
	}
	out, err := exec.Command("pg_dump", "--data-only", "--schema=public", os.Getenv("SCRUPLE_TEST_POSTGRES")).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	prefix := []byte(fmt.Sprintf("%d\t", c.CrawlID()))
	for _, line := range bytes.Split(out, []byte("\n")) {
		if bytes.HasPrefix(line, prefix) && bytes.Contains(line, []byte(s)) {
			return true
		}
	}
	return false
}
