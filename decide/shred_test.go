package decide_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/shred"
	"github.com/scruple/scruple/sqlite"
)

// randomMobile returns an 11-digit mobile number no other test uses.
func randomMobile(t *testing.T) string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e8))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("139%08d", n.Int64())
}

// rawBytes returns every byte the store holds outside the process: the
// SQLite files of the data directory, or a pg_dump of the database.
func rawBytes(t *testing.T, name string, s scruple.Store) []byte {
	t.Helper()
	if st, ok := s.(*sqlite.Store); ok {
		var all []byte
		for _, f := range []string{sqlite.FileName, sqlite.FileName + "-wal"} {
			b, err := os.ReadFile(filepath.Join(st.Dir(), f))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return all
	}
	out, err := exec.Command("pg_dump", "--data-only", "--schema=public", os.Getenv("SCRUPLE_TEST_POSTGRES")).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return out
}

func exportAndVerify(t *testing.T, s scruple.Store, signer note.Signer, vkey string) []byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	if _, err := provenance.Export(bg, s, signer, vkey, dir); err != nil {
		t.Fatal(err)
	}
	rep, err := provenance.Verify(dir, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("bundle does not verify: %v", rep.Problems)
	}
	var all []byte
	for _, f := range []string{provenance.RecordsFile, provenance.LogFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestCryptoShredding is issue 10 (crypto-shredding, items 10 and 11) on
// both stores: a value kept under consent never reaches the store's files
// in clear; withdrawal destroys its key and the record's salt, after which
// neither the store's bytes (SQLite file and WAL, a pg_dump) nor an export
// hold the value or the salt, the bundle still verifies, and the log's
// digests of the original record are salted, so a guess of the number
// cannot be tested against them.
func TestCryptoShredding(t *testing.T) {
	signer, vkey := testSigner(t)
	for name, open := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			if err := s.(interface{ UseConsentKey([]byte) error }).UseConsentKey(bytes.Repeat([]byte{9}, 32)); err != nil {
				t.Fatal(err)
			}
			va, vb := randomMobile(t), randomMobile(t)
			u := "http://a.test/contacts"
			if _, err := s.Enqueue(bg, []scruple.URLItem{{URL: u, Host: "a.test:80", Source: scruple.FromSeed}}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Lease(bg, "a.test:80", 1, time.Now())
			if err != nil || len(got) != 1 {
				t.Fatalf("Lease = %d, %v", len(got), err)
			}
			text := "A " + va + " B " + vb
			r := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, Text: text, Title: "T " + va,
				FetchedAt: time.Unix(1700000000, 0).UTC(), Digest: "d-" + va[3:], Findings: []scruple.Finding{
					{Type: "cn_mobile", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
					{Type: "cn_mobile", Start: 16, End: 27, Action: "keep", Consent: "cB", Subject: "SB"},
					{Type: "cn_mobile", Field: "title", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
				}}
			shred.SaltKept(r) // as the crawler does before hashing
			salt := r.Salt
			unsalted := *r
			unsalted.Salt = ""
			entry := provenance.NewRecordEntry(r, provenance.BuildInfo{})
			if err := s.Commit(bg, []scruple.Outcome{{Item: got[0], Record: r, Entry: entry.Marshal()}}); err != nil {
				t.Fatal(err)
			}

			// The API's pager (scruple serve) reads records opened too.
			page, err := s.(scruple.RecordPager).RecordsAfter(bg, 0, 10)
			if err != nil || len(page) != 1 || len(page[0].Sealed) != 0 || !strings.Contains(page[0].Text, va) || page[0].Salt != salt {
				t.Fatalf("RecordsAfter does not read the record opened (%d records, %v)", len(page), err)
			}

			// Item 11: the plaintext never reached the store.
			if raw := rawBytes(t, name, s); bytes.Contains(raw, []byte(va)) || bytes.Contains(raw, []byte(vb)) ||
				bytes.Contains(raw, []byte(salt)) {
				t.Fatalf("the store's bytes hold a kept value or the salt in clear")
			}
			// The store reads it back opened, and an export carries it
			// (the consents are live) and verifies.
			if b := exportAndVerify(t, s, signer, vkey); !bytes.Contains(b, []byte(va)) || !bytes.Contains(b, []byte(salt)) {
				t.Fatalf("export under live consents lost the value or the salt")
			}

			// Withdraw cA.
			at := time.Unix(1700000100, 0).UTC()
			if n, err := decide.Purge(bg, s, consentOf("cA", "SA"), provenance.KindWithdrawal, at, provenance.BuildInfo{}); err != nil || n != 1 {
				t.Fatalf("Purge = %d, %v", n, err)
			}
			var recs []*scruple.Record
			if err := s.Records(bg, func(r *scruple.Record) error { recs = append(recs, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			after := recs[0]
			if strings.Contains(after.Text+after.Title, va) || !strings.Contains(after.Text, vb) {
				t.Errorf("after withdrawal of cA: the withdrawn value is readable, or the live one is lost")
			}
			if after.Salt == "" || after.Salt == salt {
				t.Errorf("the record keeping cB's value has no fresh salt")
			}
			if k, err := s.(interface {
				DataKey(ctx_ context.Context, consent string, create []byte) ([]byte, error)
			}).DataKey(bg, "cA", nil); err != nil || k != nil {
				t.Errorf("the data key of the withdrawn consent survives (%v)", err)
			}
			raw := rawBytes(t, name, s)
			if bytes.Contains(raw, []byte(va)) || bytes.Contains(raw, []byte(salt)) {
				t.Errorf("the store's bytes hold the withdrawn value or the old salt")
			}
			b := exportAndVerify(t, s, signer, vkey)
			if bytes.Contains(b, []byte(va)) || bytes.Contains(b, []byte(salt)) {
				t.Errorf("the export holds the withdrawn value or the old salt")
			}

			// Item 10: the original entry's digests are not the unsalted
			// ones, so trying numbers against them needs the salt.
			if entry.TextDigest == hexSHA256(text) {
				t.Errorf("text_digest is the unsalted SHA-256 of the text")
			}
			if entry.RecordDigest == provenance.RecordDigest(&unsalted) {
				t.Errorf("record_digest does not depend on the salt")
			}
			if entry.TextDigest != provenance.TextDigest(r) {
				t.Errorf("text_digest is not the salted digest")
			}
		})
	}
}

func hexSHA256(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func testSigner(t *testing.T) (note.Signer, string) {
	skey, vkey, err := note.GenerateKey(rand.Reader, "scruple-test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return signer, vkey
}

// TestCommitAfterWithdrawal: a crawler that still holds a consent as live
// (it reloads the ledger every few seconds) commits a value after the
// withdrawal destroyed the consent's key. The value is stored masked, never
// under a fresh key, and the record's log entry is built from the record
// as stored, so the bundle verifies.
func TestCommitAfterWithdrawal(t *testing.T) {
	signer, vkey := testSigner(t)
	for name, open := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			if err := s.(interface{ UseConsentKey([]byte) error }).UseConsentKey(bytes.Repeat([]byte{9}, 32)); err != nil {
				t.Fatal(err)
			}
			at := time.Unix(1700000100, 0).UTC()
			if _, err := decide.Purge(bg, s, consentOf("cA", "SA"), provenance.KindWithdrawal, at, provenance.BuildInfo{}); err != nil {
				t.Fatal(err)
			}
			va := randomMobile(t)
			u := "http://a.test/late"
			if _, err := s.Enqueue(bg, []scruple.URLItem{{URL: u, Host: "a.test:80", Source: scruple.FromSeed}}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Lease(bg, "a.test:80", 1, time.Now())
			if err != nil || len(got) != 1 {
				t.Fatalf("Lease = %d, %v", len(got), err)
			}
			r := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, Text: "A " + va,
				FetchedAt: time.Unix(1700000000, 0).UTC(), Findings: []scruple.Finding{
					{Type: "cn_mobile", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"}}}
			shred.SaltKept(r)
			seal := func(got *scruple.Record) ([]byte, error) {
				return provenance.NewRecordEntry(got, provenance.BuildInfo{}).Marshal(), nil
			}
			if err := s.Commit(bg, []scruple.Outcome{{Item: got[0], Record: r, Seal: seal}}); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(rawBytes(t, name, s), []byte(va)) {
				t.Errorf("the store's bytes hold a value whose consent had ended")
			}
			if b := exportAndVerify(t, s, signer, vkey); bytes.Contains(b, []byte(va)) {
				t.Errorf("the export holds a value whose consent had ended")
			}
		})
	}
}
