package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func consentCases() []Case {
	return []Case{
		{"Consent/put-get-order", testConsents},
		{"Consent/invalid", testConsentInvalid},
		{"Consent/final", testConsentFinal},
		{"Consent/refusal-blocks", testConsentRefusalBlocks},
		{"Consent/logged-atomic", testConsentLogged},
		{"Consent/concurrent-revive", testConsentConcurrent},
		{"Consent/expiry-logged-once", testConsentExpiryLogged},
		{"RecordsWithSubject/ReplaceRecord", testReplaceRecord},
		{"ReplaceRecord/errors", testReplaceRecordErrors},
		{"ReplaceRecord/stale", testReplaceRecordStale},
	}
}

func consent(id, subject string, granted time.Time) *scruple.Consent {
	return &scruple.Consent{ID: id, Subject: subject, SubjectType: "cn_mobile", Types: []string{"cn_mobile", "email"},
		Purpose: "research", Processor: "lab", Recipients: []string{"partner"}, Method: "signed form",
		Evidence: "e3b0c442", Separate: true, GrantedAt: granted, ExpiresAt: granted.Add(365 * 24 * time.Hour)}
}

func consentIDs(t *testing.T, s scruple.Store) []string {
	t.Helper()
	var ids []string
	if err := s.Consents(bg, func(c *scruple.Consent) error { ids = append(ids, c.ID); return nil }); err != nil {
		t.Fatalf("Consents: %v", err)
	}
	return ids
}

func testConsents(t *testing.T, s scruple.Store) {
	_, err := s.Consent(bg, "nope")
	wantCode(t, "Consent of an unknown id", err, scruple.ENOTFOUND)
	if ids := consentIDs(t, s); len(ids) != 0 {
		t.Fatalf("Consents of an empty store = %v", ids)
	}
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	// Grant order is the order of PutConsent, not of the IDs.
	for i, id := range []string{"c-zulu", "c-alpha", "c-mike"} {
		if err := s.PutConsent(bg, consent(id, "subj-"+id, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	if ids := consentIDs(t, s); !slices.Equal(ids, []string{"c-zulu", "c-alpha", "c-mike"}) {
		t.Fatalf("Consents order = %v", ids)
	}
	got, err := s.Consent(bg, "c-alpha")
	if err != nil {
		t.Fatal(err)
	}
	want := consent("c-alpha", "subj-c-alpha", t0.Add(time.Hour))
	if got.Subject != want.Subject || !slices.Equal(got.Types, want.Types) || !got.GrantedAt.Equal(want.GrantedAt) ||
		!got.ExpiresAt.Equal(want.ExpiresAt) || got.WithdrawnAt != nil || !got.Separate || got.Purpose != want.Purpose {
		t.Fatalf("consent does not round-trip: %+v, want %+v", got, want)
	}
	// Replacing by ID (a withdrawal) keeps the consent's place in grant order.
	w := t0.Add(48 * time.Hour)
	want.WithdrawnAt = &w
	if err := s.PutConsent(bg, want); err != nil {
		t.Fatal(err)
	}
	if ids := consentIDs(t, s); !slices.Equal(ids, []string{"c-zulu", "c-alpha", "c-mike"}) {
		t.Fatalf("Consents order after a replace = %v", ids)
	}
	got, err = s.Consent(bg, "c-alpha")
	if err != nil || got.WithdrawnAt == nil || !got.WithdrawnAt.Equal(w) || got.Live(w.Add(time.Hour), nil) {
		t.Fatalf("replaced consent = %+v, %v", got, err)
	}
	calls := 0
	if err := s.Consents(bg, func(*scruple.Consent) error { calls++; return errStop }); !errors.Is(err, errStop) || calls != 1 {
		t.Fatalf("Consents with a failing callback: %v after %d calls", err, calls)
	}
}

func testConsentInvalid(t *testing.T, s scruple.Store) {
	err := s.PutConsent(bg, &scruple.Consent{Subject: "s"})
	wantCode(t, "PutConsent without id", err, scruple.EINVALID)
	err = s.PutConsent(bg, &scruple.Consent{ID: "c"})
	wantCode(t, "PutConsent without subject", err, scruple.EINVALID)
}

func subjectURLs(t *testing.T, s scruple.Store, subject string) []string {
	t.Helper()
	var out []string
	if err := s.RecordsWithSubject(bg, subject, func(r *scruple.Record) error { out = append(out, r.URL); return nil }); err != nil {
		t.Fatalf("RecordsWithSubject: %v", err)
	}
	return out
}

func testReplaceRecord(t *testing.T, s scruple.Store) {
	enqueue(t, s, items("a.test", 3)...)
	got := lease(t, s, host("a.test"), 3, time.Now())
	kept := func(it scruple.URLItem, subject string) scruple.Outcome {
		o := done(it)
		o.Record.Findings = []scruple.Finding{{Type: "cn_mobile", Start: 0, End: 4, Action: "keep", Consent: "c1", Subject: subject},
			{Type: "email", Start: 5, End: 9, Action: "redact"}}
		o.Entry = []byte("commit " + it.URL)
		return o
	}
	commit(t, s, kept(got[0], "S1"), done(got[1]), kept(got[2], "S1"))
	if u := subjectURLs(t, s, "S1"); !slices.Equal(u, []string{got[0].URL, got[2].URL}) {
		t.Fatalf("RecordsWithSubject(S1) = %v", u)
	}
	if u := subjectURLs(t, s, "S9"); len(u) != 0 {
		t.Fatalf("RecordsWithSubject(unknown) = %v", u)
	}
	before := records(t, s)

	// Purge the value from /p0: same URL, same ID, new content, no subject
	// S1 but another one S2; one log entry.
	purged := *before[0]
	purged.Text = "[redacted]"
	purged.Findings = []scruple.Finding{{Type: "email", Action: "keep", Subject: "S2"}}
	if err := s.ReplaceRecord(bg, purged.URL, &purged, []byte("purge p0")); err != nil {
		t.Fatal(err)
	}
	if u := subjectURLs(t, s, "S1"); !slices.Equal(u, []string{got[2].URL}) {
		t.Fatalf("RecordsWithSubject(S1) after replace = %v", u)
	}
	if u := subjectURLs(t, s, "S2"); !slices.Equal(u, []string{got[0].URL}) {
		t.Fatalf("RecordsWithSubject(S2) after replace = %v", u)
	}
	after := records(t, s)
	if len(after) != 3 || after[0].ID != before[0].ID || after[0].Text != "[redacted]" || after[0].URL != before[0].URL {
		t.Fatalf("replaced record = %+v", after[0])
	}

	// Delete /p2: gone from Records, counts and the subject index.
	if err := s.ReplaceRecord(bg, got[2].URL, nil, []byte("purge p2")); err != nil {
		t.Fatal(err)
	}
	if u := subjectURLs(t, s, "S1"); len(u) != 0 {
		t.Fatalf("RecordsWithSubject(S1) after delete = %v", u)
	}
	after = records(t, s)
	if len(after) != 2 || after[0].URL != got[0].URL || after[1].URL != got[1].URL {
		t.Fatalf("records after delete = %d", len(after))
	}
	if rc := recordCounts(t, s); rc[scruple.KindPage] != 2 {
		t.Fatalf("RecordCounts after delete = %v", rc)
	}
	// A nil entry appends nothing.
	if err := s.ReplaceRecord(bg, got[1].URL, after[1], nil); err != nil {
		t.Fatal(err)
	}
	CheckLog(t, s, [][]byte{[]byte("commit " + got[0].URL), []byte("commit " + got[2].URL), []byte("purge p0"), []byte("purge p2")})
}

func testReplaceRecordErrors(t *testing.T, s scruple.Store) {
	enqueue(t, s, items("a.test", 1)...)
	got := lease(t, s, host("a.test"), 1, time.Now())
	commit(t, s, done(got[0]))
	other := page(scruple.URLItem{URL: "http://a.test/other"}, "z")
	err := s.ReplaceRecord(bg, got[0].URL, other, []byte("x"))
	wantCode(t, "ReplaceRecord with another URL", err, scruple.EINVALID)
	err = s.ReplaceRecord(bg, other.URL, other, []byte("x"))
	wantCode(t, "ReplaceRecord of a missing record", err, scruple.ENOTFOUND)
	if n := logSize(t, s); n != 0 {
		t.Fatalf("failed ReplaceRecord appended %d log entries", n)
	}
	if recs := records(t, s); len(recs) != 1 || recs[0].Text != page(got[0], "").Text {
		t.Fatalf("failed ReplaceRecord changed the records")
	}
}

func getConsent(t *testing.T, s scruple.Store, id string) *scruple.Consent {
	t.Helper()
	c, err := s.Consent(bg, id)
	if err != nil {
		t.Fatalf("Consent(%s): %v", id, err)
	}
	return c
}

// testConsentFinal: a withdrawn consent is never overwritten back to live,
// by any write path (issue 10 item 2: both stores overwrote by ID).
func testConsentFinal(t *testing.T, s scruple.Store) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	live := consent("c1", "S1", t0)
	if err := s.PutConsent(bg, live); err != nil {
		t.Fatal(err)
	}
	if err := s.PutConsent(bg, live); err != nil {
		t.Fatalf("writing the same live consent again: %v", err)
	}
	w := t0.Add(time.Hour)
	withdrawn := consent("c1", "S1", t0)
	withdrawn.WithdrawnAt = &w
	if err := s.PutConsent(bg, withdrawn); err != nil {
		t.Fatal(err)
	}
	if err := s.PutConsent(bg, withdrawn); err != nil {
		t.Fatalf("writing the same withdrawal again: %v", err)
	}
	for name, put := range map[string]func() error{
		"PutConsent":  func() error { return s.PutConsent(bg, consent("c1", "S1", t0)) },
		"PutConsents": func() error { return s.PutConsents(bg, []*scruple.Consent{consent("c1", "S1", t0)}) },
		"PutConsentsLogged": func() error {
			return s.PutConsentsLogged(bg, []*scruple.Consent{consent("c1", "S1", t0)}, [][]byte{[]byte("grant")})
		},
	} {
		err := put()
		if !errors.Is(err, scruple.ErrConsentFinal) {
			t.Errorf("%s reviving a withdrawn consent: %v, want ErrConsentFinal", name, err)
		}
		wantCode(t, name+" reviving a withdrawn consent", err, scruple.ECONFLICT)
	}
	if got := getConsent(t, s, "c1"); got.WithdrawnAt == nil || !got.WithdrawnAt.Equal(w) {
		t.Fatalf("withdrawn consent was overwritten: withdrawn_at %v", got.WithdrawnAt)
	}
	if n := logSize(t, s); n != 0 {
		t.Fatalf("refused writes appended %d log entries", n)
	}
	// A refusal is final too.
	r := &scruple.Consent{ID: "r1", Subject: "S2", SubjectType: "cn_mobile", Refused: true, GrantedAt: t0}
	if err := s.PutConsent(bg, r); err != nil {
		t.Fatal(err)
	}
	unrefused := *r
	unrefused.Refused = false
	if err := s.PutConsent(bg, &unrefused); !errors.Is(err, scruple.ErrConsentFinal) {
		t.Fatalf("overwriting a refusal: %v, want ErrConsentFinal", err)
	}
}

// testConsentRefusalBlocks: a refusal blocks grants of its subject dated at
// or before it (PIPL Art. 27), not later ones nor other subjects'.
func testConsentRefusalBlocks(t *testing.T, s scruple.Store) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	r := &scruple.Consent{ID: "r1", Subject: "S1", SubjectType: "cn_mobile", Refused: true, GrantedAt: t0}
	if err := s.PutConsent(bg, r); err != nil {
		t.Fatal(err)
	}
	err := s.PutConsent(bg, consent("old", "S1", t0.Add(-time.Hour)))
	if !errors.Is(err, scruple.ErrConsentBlocked) {
		t.Fatalf("grant dated before a refusal: %v, want ErrConsentBlocked", err)
	}
	if err := s.PutConsent(bg, consent("new", "S1", t0.Add(time.Hour))); err != nil {
		t.Fatalf("grant dated after the refusal: %v", err)
	}
	if err := s.PutConsent(bg, consent("other", "S2", t0.Add(-time.Hour))); err != nil {
		t.Fatalf("another subject's grant: %v", err)
	}
	if ids := consentIDs(t, s); !slices.Equal(ids, []string{"r1", "new", "other"}) {
		t.Fatalf("consents = %v", ids)
	}
}

// testConsentLogged: consents and entries are written together or not at
// all; a batch with one refused consent writes nothing.
func testConsentLogged(t *testing.T, s scruple.Store) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	if err := s.PutConsentsLogged(bg, []*scruple.Consent{consent("a", "S1", t0), consent("b", "S2", t0)},
		[][]byte{[]byte("import a"), []byte("import b")}); err != nil {
		t.Fatal(err)
	}
	CheckLog(t, s, [][]byte{[]byte("import a"), []byte("import b")})
	w := t0.Add(time.Hour)
	wa := consent("a", "S1", t0)
	wa.WithdrawnAt = &w
	if err := s.PutConsentsLogged(bg, []*scruple.Consent{wa}, [][]byte{[]byte("withdraw a")}); err != nil {
		t.Fatal(err)
	}
	err := s.PutConsentsLogged(bg, []*scruple.Consent{consent("c", "S3", t0), consent("a", "S1", t0)},
		[][]byte{[]byte("import c"), []byte("import a again")})
	if !errors.Is(err, scruple.ErrConsentFinal) {
		t.Fatalf("batch reviving a: %v", err)
	}
	if ids := consentIDs(t, s); !slices.Equal(ids, []string{"a", "b"}) {
		t.Fatalf("a refused batch wrote consents: %v", ids)
	}
	CheckLog(t, s, [][]byte{[]byte("import a"), []byte("import b"), []byte("withdraw a")})
	// Entries alone (a sweep that ended nothing new) are fine.
	if err := s.PutConsentsLogged(bg, nil, [][]byte{[]byte("sweep")}); err != nil {
		t.Fatal(err)
	}
	CheckLog(t, s, [][]byte{[]byte("import a"), []byte("import b"), []byte("withdraw a"), []byte("sweep")})
	err = s.PutConsentsLogged(bg, []*scruple.Consent{{ID: "x"}}, nil)
	wantCode(t, "PutConsentsLogged without subject", err, scruple.EINVALID)
}

// testConsentConcurrent races withdrawals against re-grants of the same
// consents: once a withdrawal is stored, no re-grant may overwrite it.
func testConsentConcurrent(t *testing.T, s scruple.Store) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	const n = 8
	for i := 0; i < n; i++ {
		if err := s.PutConsent(bg, consent(fmt.Sprint("c", i), fmt.Sprint("S", i), t0)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i := 0; i < n; i++ {
		id, subj := fmt.Sprint("c", i), fmt.Sprint("S", i)
		wg.Add(2)
		go func() {
			defer wg.Done()
			w := t0.Add(time.Hour)
			c := consent(id, subj, t0)
			c.WithdrawnAt = &w
			if err := s.PutConsentsLogged(bg, []*scruple.Consent{c}, [][]byte{[]byte("withdraw " + id)}); err != nil {
				errs <- fmt.Errorf("withdraw %s: %w", id, err)
			}
		}()
		go func() {
			defer wg.Done()
			for k := 0; k < 3; k++ {
				err := s.PutConsentsLogged(bg, []*scruple.Consent{consent(id, subj, t0)}, [][]byte{[]byte("grant " + id)})
				if err != nil && !errors.Is(err, scruple.ErrConsentFinal) {
					errs <- fmt.Errorf("re-grant %s: %w", id, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := 0; i < n; i++ {
		if c := getConsent(t, s, fmt.Sprint("c", i)); c.WithdrawnAt == nil {
			t.Errorf("consent c%d is live after a withdrawal raced re-grants", i)
		}
	}
}

// testReplaceRecordStale: ReplaceRecord is a compare-and-swap on
// Record.Version, so a purge working from a copy read before another purge
// can never write the other's purged value back (issue 10 item 7).
func testReplaceRecordStale(t *testing.T, s scruple.Store) {
	enqueue(t, s, items("a.test", 1)...)
	got := lease(t, s, host("a.test"), 1, time.Now())
	commit(t, s, done(got[0]))
	a, b := records(t, s)[0], records(t, s)[0] // two readers, same version
	a.Text = "first purge"
	if err := s.ReplaceRecord(bg, a.URL, a, []byte("purge a")); err != nil {
		t.Fatal(err)
	}
	if now := records(t, s)[0]; now.Version == b.Version {
		t.Fatalf("ReplaceRecord kept version %d", now.Version)
	}
	b.Text = "second purge from a stale copy"
	err := s.ReplaceRecord(bg, b.URL, b, []byte("purge b"))
	wantCode(t, "ReplaceRecord of a stale copy", err, scruple.ECONFLICT)
	if !errors.Is(err, scruple.ErrStale) {
		t.Errorf("ReplaceRecord of a stale copy: %v is not ErrStale", err)
	}
	now := records(t, s)[0]
	if now.Text != "first purge" {
		t.Fatalf("a stale ReplaceRecord overwrote the record")
	}
	CheckLog(t, s, [][]byte{[]byte("purge a")})
	// A fresh copy goes through.
	now.Text = "second purge"
	if err := s.ReplaceRecord(bg, now.URL, now, []byte("purge b")); err != nil {
		t.Fatalf("ReplaceRecord of a fresh copy: %v", err)
	}
	found := false
	if err := s.RecordsWithSubject(bg, "none", func(*scruple.Record) error { found = true; return nil }); err != nil || found {
		t.Fatalf("RecordsWithSubject = %v, %v", found, err)
	}
}

// testConsentExpiryLogged: once a sweep marked a consent's expiry as
// logged, a second mark (a racing sweep) is refused and writes nothing.
func testConsentExpiryLogged(t *testing.T, s scruple.Store) {
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	if err := s.PutConsent(bg, consent("c1", "S1", t0)); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(400 * 24 * time.Hour)
	marked := consent("c1", "S1", t0)
	marked.ExpiryLoggedAt = &at
	if err := s.PutConsentsLogged(bg, []*scruple.Consent{marked}, [][]byte{[]byte("expire c1")}); err != nil {
		t.Fatal(err)
	}
	err := s.PutConsentsLogged(bg, []*scruple.Consent{marked}, [][]byte{[]byte("expire c1 again")})
	if !errors.Is(err, scruple.ErrExpiryLogged) {
		t.Fatalf("second expiry mark: %v, want ErrExpiryLogged", err)
	}
	CheckLog(t, s, [][]byte{[]byte("expire c1")})
}
