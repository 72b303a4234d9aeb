package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// TestMigrateLegacyStore: a store written at schema 2 (before the record
// version and the data keys of issue 10) opens with the current schema
// without losing anything: its consent and its record, a value kept under
// consent in clear included, read back as they were, and the record can be
// rewritten (compare-and-swap on the new version column) and sealed.
func TestMigrateLegacyStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:2] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = 2"); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	const value = "13812345678" // synthetic
	c := &scruple.Consent{ID: "c1", Subject: "S1", SubjectType: "cn_mobile", Types: []string{"cn_mobile"}, Purpose: "p",
		Processor: "Example Ltd", Recipients: []string{"none"}, Method: "form", GrantedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	r := &scruple.Record{URL: "http://a.test/p", Kind: scruple.KindPage, Status: 200, FetchedAt: t0, Text: "call " + value,
		Digest: "ab", Findings: []scruple.Finding{{Type: "cn_mobile", Start: 5, End: 16, Action: "keep", Consent: "c1", Subject: "S1"}}}
	cdata, _ := json.Marshal(c)
	rdata, _ := json.Marshal(r)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO consents(id, seq, subject, data) VALUES (?, 1, ?, ?)`, []any{c.ID, c.Subject, cdata}},
		{`INSERT INTO records(url, kind, digest, data) VALUES (?, ?, ?, ?)`, []any{r.URL, string(r.Kind), r.Digest, rdata}},
		{`INSERT INTO record_subjects(subject, url) VALUES (?, ?)`, []any{"S1", r.URL}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := OpenWith(dir, Options{NoLock: true})
	if err != nil {
		t.Fatalf("open a schema-2 store: %v", err)
	}
	defer s.Close()
	if err := s.UseConsentKey([]byte("0123456789abcdef0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Consent(ctx, "c1")
	if err != nil || got.Purpose != c.Purpose || !got.GrantedAt.Equal(c.GrantedAt) {
		t.Fatalf("the consent after migration: %+v, %v", got, err)
	}
	var back *scruple.Record
	err = s.RecordsWithSubject(ctx, "S1", func(x *scruple.Record) error { back = x; return nil })
	if err != nil || back == nil || back.Text != r.Text || len(back.Findings) != 1 || back.Digest != r.Digest {
		t.Fatalf("the record after migration differs (%v)", err)
	}
	back.Title = "rewritten"
	if err := s.ReplaceRecord(ctx, back.URL, back, nil); err != nil {
		t.Fatalf("rewrite a migrated record: %v", err)
	}
	var raw []byte
	if err := s.db.QueryRowContext(ctx, `SELECT data FROM records WHERE url = ?`, r.URL).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(value)) {
		t.Errorf("a migrated record rewritten by the current scruple still stores its kept value in clear")
	}
}
