package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func batchCases() []Case {
	return []Case{
		{"CommitBatchMixed", testCommitBatchMixed},
	}
}

// testCommitBatchMixed commits, in one batch, what a store that writes the
// batch with one statement per kind of row (not one per outcome) could get
// wrong: one URL recorded twice (a deferral, then the final record that
// replaces it), an item retried twice (the later retry wins), an item
// retried and recorded (it ends done), records with consented subjects, and
// records whose ids must follow the batch's order.
func testCommitBatchMixed(t *testing.T, s scruple.Store) {
	now := time.Now()
	enqueue(t, s, items("a.test", 6)...)
	got := lease(t, s, host("a.test"), 6, now)
	entry := func(it scruple.URLItem, what string) []byte {
		return []byte(`{"kind":"` + what + `","url":"` + it.URL + `"}`)
	}
	deferred := scruple.Outcome{Item: got[0], Record: &scruple.Record{URL: got[0].URL, Kind: scruple.KindDeferred, Reason: "later"},
		Entry: entry(got[0], "deferred")}
	final := done(got[0])
	final.Entry = entry(got[0], "final")
	kept := func(it scruple.URLItem, subject string) scruple.Outcome {
		o := done(it)
		o.Record.Findings = []scruple.Finding{{Type: "cn_mobile", Start: 0, End: 4, Action: "keep", Consent: "c1", Subject: subject}}
		o.Entry = entry(it, "kept")
		return o
	}
	retry := func(it scruple.URLItem, attempts int) scruple.Outcome {
		it.Attempts = attempts
		return scruple.Outcome{Item: it, Retry: true}
	}
	p1, p4 := kept(got[1], "S1"), kept(got[4], "S1")
	p5 := done(got[5])
	p5.Entry = entry(got[5], "p5")
	commit(t, s, deferred, p1, retry(got[2], 1), final, retry(got[3], 1), retry(got[2], 2), p4, retry(got[5], 1), p5)

	recs := records(t, s)
	byURL := map[string]*scruple.Record{}
	for _, r := range recs {
		byURL[r.URL] = r
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4 (p0 replaced in place, p1, p4, p5)", len(recs))
	}
	if r := byURL[got[0].URL]; r == nil || r.Kind != scruple.KindPage {
		t.Fatalf("p0 = %+v, want the final page replacing the deferral", r)
	}
	if final.Record.ID != deferred.Record.ID || final.Record.ID == 0 {
		t.Fatalf("p0's final record has id %d, its deferral %d: want the same row", final.Record.ID, deferred.Record.ID)
	}
	if !(deferred.Record.ID < p1.Record.ID && p1.Record.ID < p4.Record.ID && p4.Record.ID < p5.Record.ID) {
		t.Fatalf("record ids %d %d %d %d do not follow the batch order", deferred.Record.ID, p1.Record.ID, p4.Record.ID, p5.Record.ID)
	}
	if u := subjectURLs(t, s, "S1"); !slices.Equal(u, []string{got[1].URL, got[4].URL}) {
		t.Fatalf("RecordsWithSubject(S1) = %v", u)
	}
	// p2 retried twice (attempts 2 wins), p3 once; p5 retried then recorded: done.
	if c := counts(t, s); c != (scruple.FrontierCounts{Queued: 2, Done: 4}) {
		t.Fatalf("Counts = %+v, want 2 queued (p2, p3), 4 done", c)
	}
	again := lease(t, s, host("a.test"), 6, now.Add(time.Hour))
	if len(again) != 2 || again[0].URL != got[2].URL || again[0].Attempts != 2 || again[1].Attempts != 1 {
		t.Fatalf("leased again %+v, want p2 (attempts 2) and p3 (attempts 1)", again)
	}
	CheckLog(t, s, [][]byte{entry(got[0], "deferred"), entry(got[1], "kept"), entry(got[0], "final"), entry(got[4], "kept"), entry(got[5], "p5")})
}
