package ledger_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// keepPageAt commits a page at path keeping raw under c, as a crawl would.
func keepPageAt(t *testing.T, st scruple.Store, c *scruple.Consent, raw, path string) string {
	t.Helper()
	it := scruple.URLItem{URL: "http://a.test/" + path, Host: "a.test:80", Source: scruple.FromSeed}
	if _, err := st.Enqueue(bg, []scruple.URLItem{it}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Lease(bg, it.Host, 1, time.Now().Add(time.Hour))
	if err != nil || len(got) != 1 {
		t.Fatalf("lease: %v %v", got, err)
	}
	text := "call " + raw + " now"
	r := &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Status: 200, FetchedAt: t0, Text: text,
		Findings: []scruple.Finding{{Type: "cn_mobile", Start: 5, End: 5 + len(raw), Action: "keep", Consent: c.ID, Subject: c.Subject}}}
	o := scruple.Outcome{Item: got[0], Record: r, Entry: provenance.NewRecordEntry(r, provenance.BuildInfo{}).Marshal()}
	if err := st.Commit(bg, []scruple.Outcome{o}); err != nil {
		t.Fatal(err)
	}
	return it.URL
}

// holdsValue reports whether the record at url reads with raw in it.
func holdsValue(t *testing.T, st scruple.Store, url, raw string) bool {
	t.Helper()
	held := false
	err := st.Records(bg, func(r *scruple.Record) error {
		if r.URL == url {
			held = strings.Contains(r.Text, raw) || strings.Contains(r.Title, raw)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return held
}

// TestRefusalPurgesOnlyWhatItCovers: a refusal (PIPL Art. 27) ends its
// subject's grants dated at or before it, and nothing else. A later grant
// of the same subject (for another purpose), and any grant of another
// subject, keep their values and their data keys, whether the purge runs
// at the refusal, at a repeated refusal, or in a sweep that found a value
// a racing crawl committed under the ended grant.
func TestRefusalPurgesOnlyWhatItCovers(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		ks, _ := st.(dataKeys)
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		early, err := l.Grant(bg, grant(mobile, t0.Add(-3*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		laterG := grant(mobile, t0.Add(-time.Hour))
		laterG.Purpose = "parcel pick-up reminders"
		later, err := l.Grant(bg, laterG)
		if err != nil {
			t.Fatal(err)
		}
		other, err := l.Grant(bg, grant(mobile2, t0.Add(-3*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		standing := []*scruple.Consent{later.Consent, other.Consent}
		if ks != nil {
			for _, c := range append(standing, early.Consent) {
				if k, err := ks.DataKey(bg, c.ID, bytes.Repeat([]byte{7}, 60)); err != nil || k == nil {
					t.Fatalf("make a data key: %v", err)
				}
			}
		}
		urlEarly := keepPageAt(t, st, early.Consent, mobile, "early")
		urlLater := keepPageAt(t, st, later.Consent, mobile, "later")
		urlOther := keepPageAt(t, st, other.Consent, mobile2, "other")
		check := func(when string) {
			t.Helper()
			if holdsValue(t, st, urlEarly, mobile) {
				t.Errorf("%s: the grant the refusal ended still keeps its value", when)
			}
			if !holdsValue(t, st, urlLater, mobile) {
				t.Errorf("%s: the refusal purged a grant of its subject dated after it", when)
			}
			if !holdsValue(t, st, urlOther, mobile2) {
				t.Errorf("%s: the refusal purged another subject's grant", when)
			}
			if ks == nil {
				return
			}
			for _, c := range standing {
				if k, err := ks.DataKey(bg, c.ID, nil); err != nil || k == nil {
					t.Errorf("%s: the data key of a standing grant is gone (%v)", when, err)
				}
			}
			if k, _ := ks.DataKey(bg, early.Consent.ID, nil); k != nil {
				t.Errorf("%s: the data key of the ended grant survived", when)
			}
		}
		refusedAt := t0.Add(-2 * time.Hour)
		ref, err := l.Refuse(bg, pii.Mobile, mobile, refusedAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(ref.Ended) != 1 || ref.Ended[0] != early.Consent.ID {
			t.Fatalf("refusal ended %v, want the early grant only", ref.Ended)
		}
		check("at the refusal")
		// The same refusal sent again purges again (idempotent).
		if _, err := l.Refuse(bg, pii.Mobile, mobile, refusedAt); err != nil {
			t.Fatal(err)
		}
		check("at a repeated refusal")
		// A crawl worker decided a page under the early grant before it
		// learnt of the refusal and commits it now: the sweep purges it.
		urlLate := keepPageAt(t, st, early.Consent, mobile, "early-late")
		if _, err := l.Sweep(bg); err != nil {
			t.Fatal(err)
		}
		check("at a sweep")
		if holdsValue(t, st, urlLate, mobile) {
			t.Errorf("the sweep left the value a racing crawl committed under the ended grant")
		}
		var all []*scruple.Consent
		st.Consents(bg, func(c *scruple.Consent) error { all = append(all, c); return nil })
		subj := consent.SubjectHMAC(testKey, pii.Mobile, mobile)
		if id, ok := consent.NewIndex(all).Covers(subj, pii.Mobile, laterG.Purpose, clk.Now(), false, false); !ok || id != later.Consent.ID {
			t.Errorf("the later grant no longer covers its subject after the refusal")
		}
	})
}
