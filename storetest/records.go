package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func recordCases() []Case {
	return []Case{
		{"Commit/record-done-links", testCommitRecord},
		{"Commit/atomic", testCommitAtomic},
		{"Commit/neither-record-nor-retry", testCommitNeither},
		{"Commit/exactly-once", testCommitExactlyOnce},
		{"Commit/exactly-once-log", testCommitExactlyOnceLog},
		{"Commit/duplicates", testCommitDuplicates},
		{"Commit/retry", testCommitRetry},
		{"Records/order", testRecordsOrder},
		{"Records/log-order-gaps", testRecordsLogOrderGaps},
		{"RecordCounts", testRecordCounts},
	}
}

func testCommitRecord(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, item("a.test", "1"), item("a.test", "known"))
	got := lease(t, s, host("a.test"), 1, now)
	rec := page(got[0], "d1")
	rec.Findings = []scruple.Finding{{Type: "email", Start: 1, End: 4, Action: "redact", Confidence: 0.9}}
	rec.Robots = &scruple.RobotsVerdict{URL: "http://a.test/robots.txt", Allowed: true, Rule: "Allow: /"}
	links := []scruple.URLItem{item("a.test", "known"), item("b.test", "new"), item("b.test", "new"), item("a.test", "2")}
	links[1].Depth, links[1].From = 1, got[0].URL
	commit(t, s, scruple.Outcome{Item: got[0], Record: rec, Links: links})
	if rec.ID == 0 {
		t.Fatalf("Commit did not set the record ID")
	}
	if c := counts(t, s); c != (scruple.FrontierCounts{Queued: 3, Done: 1}) {
		t.Fatalf("Counts = %+v, want 3 queued (known, b/new, a/2), 1 done", c)
	}
	b := lease(t, s, host("b.test"), 5, now)
	if len(b) != 1 || b[0].Depth != 1 || b[0].From != got[0].URL {
		t.Fatalf("discovered link = %+v", b)
	}
	recs := records(t, s)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r := recs[0]
	if r.ID != rec.ID || r.URL != rec.URL || r.Kind != scruple.KindPage || r.Text != rec.Text || r.Digest != "d1" ||
		!r.FetchedAt.Equal(rec.FetchedAt) || r.Robots == nil || *r.Robots != *rec.Robots ||
		len(r.Findings) != 1 || r.Findings[0] != rec.Findings[0] {
		t.Fatalf("record does not round-trip:\n got %+v\nwant %+v", r, rec)
	}
}

func testCommitAtomic(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 2)...)
	got := lease(t, s, host("a.test"), 2, now)
	good := done(got[0])
	good.Links = []scruple.URLItem{item("b.test", "from-good")}
	good.Entry = []byte(`{"entry":"good"}`)
	bad := scruple.Outcome{Item: got[1], Record: &scruple.Record{URL: got[1].URL, Kind: "bogus"},
		Links: []scruple.URLItem{item("c.test", "from-bad")}, Entry: []byte(`{"entry":"bad"}`)}
	err := s.Commit(bg, []scruple.Outcome{good, bad})
	wantCode(t, "Commit with an invalid record", err, scruple.EINVALID)

	// A text on a non-page is invalid too, and also fails the whole batch.
	bad2 := scruple.Outcome{Item: got[1], Record: &scruple.Record{URL: got[1].URL, Kind: scruple.KindError, Text: "x"}}
	err = s.Commit(bg, []scruple.Outcome{good, bad2})
	wantCode(t, "Commit with text on an error record", err, scruple.EINVALID)

	if rc := recordCounts(t, s); len(rc) != 0 {
		t.Fatalf("failed Commit left records: %v", rc)
	}
	if c := counts(t, s); c != (scruple.FrontierCounts{Leased: 2}) {
		t.Fatalf("failed Commit changed the frontier: %+v, want 2 leased", c)
	}
	if n, err := s.HostDone(bg, host("a.test")); err != nil || n != 0 {
		t.Fatalf("HostDone after a failed Commit = %d, %v", n, err)
	}
	if n := logSize(t, s); n != 0 {
		t.Fatalf("failed Commit left %d log entries", n)
	}
	// The batch goes through once fixed.
	commit(t, s, good, done(got[1]))
	if c := counts(t, s); c != (scruple.FrontierCounts{Queued: 1, Done: 2}) {
		t.Fatalf("Counts after the retried Commit = %+v", c)
	}
	if n := logSize(t, s); n != 1 {
		t.Fatalf("log size %d, want 1", n)
	}
}

func testCommitNeither(t *testing.T, s scruple.Store) {
	enqueue(t, s, items("a.test", 2)...)
	got := lease(t, s, host("a.test"), 2, time.Now())
	err := s.Commit(bg, []scruple.Outcome{done(got[0]), {Item: got[1]}})
	wantCode(t, "Commit of an outcome with neither record nor retry", err, scruple.EINVALID)
	if rc := recordCounts(t, s); len(rc) != 0 {
		t.Fatalf("failed Commit left records: %v", rc)
	}
	if err := s.Commit(bg, nil); err != nil {
		t.Fatalf("empty Commit: %v", err)
	}
}

func testCommitExactlyOnce(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, item("a.test", "1"))
	got := lease(t, s, host("a.test"), 1, now)
	commit(t, s, done(got[0]))
	// A second outcome for the same URL (a lease that outlived its worker,
	// say) must not add a record nor change the first.
	second := scruple.Outcome{Item: got[0], Record: &scruple.Record{URL: got[0].URL, Kind: scruple.KindError, Reason: "late"}}
	commit(t, s, second)
	recs := records(t, s)
	if len(recs) != 1 || recs[0].Kind != scruple.KindPage {
		t.Fatalf("records after a second commit = %d (first kind %v), want the one page", len(recs), recs[0].Kind)
	}
	if rc := recordCounts(t, s); rc[scruple.KindPage] != 1 || len(rc) != 1 {
		t.Fatalf("RecordCounts = %v", rc)
	}
	if c := counts(t, s); c != (scruple.FrontierCounts{Done: 1}) {
		t.Fatalf("Counts = %+v", c)
	}
}

func testCommitExactlyOnceLog(t *testing.T, s scruple.Store) {
	enqueue(t, s, item("a.test", "1"))
	got := lease(t, s, host("a.test"), 1, time.Now())
	first := done(got[0])
	first.Entry = []byte(`{"n":1}`)
	commit(t, s, first)
	// A record and its log entry exist together or not at all: the entry of
	// an outcome whose record was not stored describes nothing in the store.
	second := done(got[0])
	second.Entry = []byte(`{"n":2}`)
	commit(t, s, second)
	if n := logSize(t, s); n != 1 {
		t.Fatalf("log size %d after committing one URL twice, want 1", n)
	}
}

func testCommitDuplicates(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 7)...)
	got := lease(t, s, host("a.test"), 7, now)
	// A noindex record with digest "x" does not make later pages duplicates.
	noindex := &scruple.Record{URL: got[0].URL, Kind: scruple.KindNoIndex, Digest: "x"}
	commit(t, s, scruple.Outcome{Item: got[0], Record: noindex}, scruple.Outcome{Item: got[1], Record: page(got[1], "x")})
	// Across batches: same digest as the page /p1. A duplicate keeps no
	// content at all, title included.
	dup := page(got[2], "x")
	dup.Title = "Title 13800138000"
	dup.Findings = []scruple.Finding{{Type: "cn_mobile", Field: "title", Start: 6, End: 17, Action: "redact"}}
	commit(t, s, scruple.Outcome{Item: got[2], Record: dup})
	if dup.Kind != scruple.KindDuplicate || dup.DuplicateOf != got[1].URL {
		t.Fatalf("Commit did not mark the record: kind %v of %q", dup.Kind, dup.DuplicateOf)
	}
	// In one batch: /p3 is the first page with "y", /p4 its duplicate; an
	// empty digest (no body) never makes a duplicate.
	commit(t, s, scruple.Outcome{Item: got[3], Record: page(got[3], "y")}, scruple.Outcome{Item: got[4], Record: page(got[4], "y")},
		scruple.Outcome{Item: got[5], Record: page(got[5], "")})
	// A page keeping a value under consent is never looked up by its raw
	// digest (shred.IndexDigest: that digest is as guessable as the value,
	// and a lookup would send it to the database, whose statement log may
	// keep it): it is a page of its own even when its body matches /p1.
	kept := page(got[6], "x")
	kept.Title = "Title 13800138000"
	kept.Findings = []scruple.Finding{{Type: "cn_mobile", Field: "title", Start: 6, End: 17, Action: "keep", Consent: "c1", Subject: "S1"}}
	commit(t, s, scruple.Outcome{Item: got[6], Record: kept})
	recs := records(t, s)
	want := []struct {
		kind scruple.Kind
		of   string
	}{{scruple.KindNoIndex, ""}, {scruple.KindPage, ""}, {scruple.KindDuplicate, got[1].URL},
		{scruple.KindPage, ""}, {scruple.KindDuplicate, got[3].URL}, {scruple.KindPage, ""}, {scruple.KindPage, ""}}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		r := recs[i]
		if r.Kind != w.kind || r.DuplicateOf != w.of {
			t.Errorf("record %s: kind %v of %q, want %v of %q", r.URL, r.Kind, r.DuplicateOf, w.kind, w.of)
		}
		if r.Kind == scruple.KindDuplicate && (r.Text != "" || r.Title != "" || len(r.Findings) != 0) {
			t.Errorf("duplicate %s keeps content (text %d bytes, title %d bytes, %d findings)", r.URL, len(r.Text), len(r.Title), len(r.Findings))
		}
	}
	if u := subjectURLs(t, s, "S1"); len(u) != 1 || u[0] != got[6].URL {
		t.Errorf("RecordsWithSubject(S1) = %v, want only the page keeping its value", u)
	}
	if rc := recordCounts(t, s); rc[scruple.KindPage] != 4 || rc[scruple.KindDuplicate] != 2 || rc[scruple.KindNoIndex] != 1 {
		t.Fatalf("RecordCounts = %v", rc)
	}
}

func testCommitRetry(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 2)...)
	got := lease(t, s, host("a.test"), 2, now)
	r := got[0]
	r.Attempts++
	r.NotBefore = now.Add(time.Hour)
	commit(t, s, scruple.Outcome{Item: r, Retry: true}, done(got[1]))
	if c := counts(t, s); c != (scruple.FrontierCounts{Queued: 1, Done: 1}) {
		t.Fatalf("Counts after a retry = %+v, want 1 queued, 1 done", c)
	}
	if rc := recordCounts(t, s); rc[scruple.KindPage] != 1 || len(rc) != 1 {
		t.Fatalf("a retry made a record: %v", rc)
	}
	if early := lease(t, s, host("a.test"), 5, now); len(early) != 0 {
		t.Fatalf("retried URL leased before its NotBefore: %v", urlsOf(early))
	}
	next, err := s.NextEligible(bg)
	if err != nil || next.UnixMilli() != r.NotBefore.UnixMilli() {
		t.Fatalf("NextEligible = %v, %v; want %v", next, err, r.NotBefore)
	}
	later := lease(t, s, host("a.test"), 5, now.Add(2*time.Hour))
	if len(later) != 1 || later[0].URL != r.URL || later[0].Attempts != 1 || later[0].NotBefore.UnixMilli() != r.NotBefore.UnixMilli() {
		t.Fatalf("lease after the retry time = %+v", later)
	}
}

func testRecordsOrder(t *testing.T, s scruple.Store) {
	// More than one page of the stores' internal paging (1000).
	const n = 1205
	enqueue(t, s, items("a.test", n)...)
	now := time.Now()
	var ids []int64
	for {
		got := lease(t, s, host("a.test"), 400, now)
		if len(got) == 0 {
			break
		}
		outs := make([]scruple.Outcome, len(got))
		for i, it := range got {
			outs[i] = done(it)
		}
		commit(t, s, outs...)
		for _, o := range outs {
			ids = append(ids, o.Record.ID)
		}
	}
	recs := records(t, s)
	if len(recs) != n {
		t.Fatalf("Records returned %d, want %d", len(recs), n)
	}
	for i, r := range recs {
		if want := fmt.Sprintf("http://a.test/p%d", i); r.URL != want || r.ID != ids[i] {
			t.Fatalf("record %d = %s (id %d), want %s (id %d)", i, r.URL, r.ID, want, ids[i])
		}
		if i > 0 && r.ID <= recs[i-1].ID {
			t.Fatalf("record IDs not increasing at %d", i)
		}
	}
	calls := 0
	err := s.Records(bg, func(*scruple.Record) error { calls++; return errStop })
	if !errors.Is(err, errStop) || calls != 1 {
		t.Fatalf("Records with a failing callback: %v after %d calls; want errStop after 1", err, calls)
	}
}

// testRecordsLogOrderGaps commits a batch in which outcomes that could have
// had an entry have none (a URL already recorded, Seals that return no
// entry) ahead of records that have one, then another batch: the records
// with an entry must still come in log order (a store that guesses each
// record's log index before it knows which records are stored has to
// correct the guess). Where records without an entry go is the store's.
func testRecordsLogOrderGaps(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 8)...)
	got := lease(t, s, host("a.test"), 8, now)
	withEntry := func(o scruple.Outcome, e string) scruple.Outcome {
		o.Entry = []byte(`{"e":"` + e + `"}`)
		return o
	}
	noEntry := func(o scruple.Outcome) scruple.Outcome {
		o.Seal = func(*scruple.Record) ([]byte, error) { return nil, nil }
		return o
	}
	commit(t, s, withEntry(done(got[0]), "A"))
	commit(t, s, withEntry(done(got[0]), "A2"), withEntry(done(got[1]), "B"), noEntry(done(got[2])), noEntry(done(got[3])),
		withEntry(done(got[4]), "D"), done(got[5]))
	commit(t, s, withEntry(done(got[6]), "F"), withEntry(done(got[7]), "H"))

	logged := map[string]bool{got[0].URL: true, got[1].URL: true, got[4].URL: true, got[6].URL: true, got[7].URL: true}
	var urls []string
	n := 0
	for _, r := range records(t, s) {
		n++
		if logged[r.URL] {
			urls = append(urls, r.URL)
		}
	}
	want := []string{got[0].URL, got[1].URL, got[4].URL, got[6].URL, got[7].URL}
	if n != 8 || !slices.Equal(urls, want) {
		t.Fatalf("Records: %d records, those with an entry in order %v; want 8, and %v (log order)", n, urls, want)
	}
	CheckLog(t, s, [][]byte{[]byte(`{"e":"A"}`), []byte(`{"e":"B"}`), []byte(`{"e":"D"}`), []byte(`{"e":"F"}`), []byte(`{"e":"H"}`)})
}

func testRecordCounts(t *testing.T, s scruple.Store) {
	if rc := recordCounts(t, s); len(rc) != 0 {
		t.Fatalf("RecordCounts of an empty store = %v", rc)
	}
	kinds := []scruple.Kind{scruple.KindPage, scruple.KindNoIndex, scruple.KindNonPublic, scruple.KindDisallowed,
		scruple.KindRedirect, scruple.KindBlocked, scruple.KindError, scruple.KindSitemap, scruple.KindError}
	enqueue(t, s, items("a.test", len(kinds))...)
	got := lease(t, s, host("a.test"), len(kinds), time.Now())
	var outs []scruple.Outcome
	for i, it := range got {
		r := &scruple.Record{URL: it.URL, Kind: kinds[i]}
		if kinds[i] == scruple.KindPage {
			r.Text = "t"
		}
		outs = append(outs, scruple.Outcome{Item: it, Record: r})
	}
	commit(t, s, outs...)
	rc := recordCounts(t, s)
	want := map[scruple.Kind]int64{}
	for _, k := range kinds {
		want[k]++
	}
	keys := func(m map[scruple.Kind]int64) []string {
		var out []string
		for k, v := range m {
			out = append(out, fmt.Sprintf("%s=%d", k, v))
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(keys(rc), keys(want)) {
		t.Fatalf("RecordCounts = %v, want %v", rc, want)
	}
}
