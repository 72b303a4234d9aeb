package bundle

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// TestCheckConsents: a kept value must cite a consent whose grant entry
// precedes the record and that no withdrawal, refusal or expiry ended
// before it (issue 10: grants were not log entries at all).
func TestCheckConsents(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	info := provenance.BuildInfo{}
	g := &scruple.Consent{ID: "c1", Subject: "S", GrantedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	later := &scruple.Consent{ID: "c2", Subject: "S", GrantedAt: t0.Add(2 * time.Hour), ExpiresAt: t0.Add(3 * time.Hour)}
	refusal := &scruple.Consent{ID: "r1", Subject: "S", Refused: true, GrantedAt: t0.Add(time.Minute)}
	grant := provenance.NewConsentEntry(provenance.KindGrant, g, "", t0, nil, info).Marshal()
	grantLater := provenance.NewConsentEntry(provenance.KindImport, later, "", t0, nil, info).Marshal()
	withdraw := provenance.NewConsentEntry(provenance.KindWithdraw, g, "", t0, nil, info).Marshal()
	expire := provenance.NewConsentEntry(provenance.KindExpire, g, "", t0, nil, info).Marshal()
	sweep := provenance.NewSweepEntry([]string{"c1"}, "", t0, info).Marshal()
	refuseListing := provenance.NewConsentEntry(provenance.KindRefuse, refusal, "", t0, []string{"c1"}, info).Marshal()
	refuseSilent := provenance.NewConsentEntry(provenance.KindRefuse, refusal, "", t0, nil, info).Marshal()
	rec := func(url, id string) []byte {
		r := &scruple.Record{URL: url, Kind: scruple.KindPage, Text: "x",
			Findings: []scruple.Finding{{Type: "cn_mobile", Action: "keep", Consent: id, Subject: "S"}, {Type: "email", Action: "redact"}}}
		return provenance.NewRecordEntry(r, info).Marshal()
	}
	purge := func(url, id string) []byte {
		return provenance.NewPurgeEntry(url, &scruple.Record{URL: url, Kind: scruple.KindPage}, "", id, t0, info).Marshal()
	}
	// A record written by scruple 0.1.0, which logged no consent events.
	oldRec := func(url, id string) []byte {
		r := &scruple.Record{URL: url, Kind: scruple.KindPage, Text: "x", FetchedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
			Findings: []scruple.Finding{{Type: "cn_mobile", Action: "keep", Consent: id, Subject: "S"}}}
		return provenance.NewRecordEntry(r, provenance.BuildInfo{CrawlerVersion: "0.1.0"}).Marshal()
	}
	legacyWithdrawal := provenance.NewEventEntry(provenance.KindWithdrawal, "c1", "consent withdrawn (PIPL Art. 15)", t0, info).Marshal()
	legacyRefusal := provenance.NewEventEntry(provenance.KindRefusal, "r1", "subject refused consent (PIPL Art. 27)", t0, info).Marshal()
	redactOnly := provenance.NewRecordEntry(&scruple.Record{URL: "http://a.test/r", Kind: scruple.KindPage,
		Findings: []scruple.Finding{{Type: "cn_mobile", Action: "redact"}}}, info).Marshal()
	for _, tc := range []struct {
		name string
		log  [][]byte
		want string // substring of the only problem; "" for none
	}{
		{"grant then record", [][]byte{grant, rec("http://a.test/1", "c1")}, ""},
		{"no findings kept", [][]byte{redactOnly}, ""},
		{"older log: no consent events at all", [][]byte{oldRec("http://a.test/1", "c1")}, ""},
		{"older log: withdrawn before the record", [][]byte{legacyWithdrawal, oldRec("http://a.test/1", "c1")}, "withdrawal entry"},
		{"older log migrated: old record, then grants", [][]byte{oldRec("http://a.test/1", "c1"), grantLater, rec("http://a.test/2", "c2")}, ""},
		// The exemption is for records an older scruple wrote, not for a
		// current one's log that happens to hold no consent event yet.
		{"current log: no consent events at all", [][]byte{rec("http://a.test/1", "c1")}, "no earlier grant or import entry of the log records (a record written by scruple " + scruple.Version},
		{"older record after a consent event", [][]byte{grantLater, oldRec("http://a.test/1", "c1")}, "no earlier grant"},
		{"no grant entry after a consent event", [][]byte{grantLater, rec("http://a.test/1", "c1")}, "no earlier grant"},
		{"no grant entry after a sweep", [][]byte{sweep, rec("http://a.test/1", "c2")}, "no earlier grant"},
		{"grant after the record", [][]byte{rec("http://a.test/1", "c1"), grant}, "no earlier grant"},
		{"record before withdrawal", [][]byte{grant, rec("http://a.test/1", "c1"), withdraw}, ""},
		{"record after withdrawal", [][]byte{grant, withdraw, rec("http://a.test/1", "c1")}, "withdraw entry"},
		{"record after withdrawal, purged later", [][]byte{grant, withdraw, rec("http://a.test/1", "c1"), purge("http://a.test/1", "c1")}, ""},
		{"purge of another page does not excuse", [][]byte{grant, withdraw, rec("http://a.test/1", "c1"), purge("http://a.test/2", "c1")}, "withdraw entry"},
		{"record after expiry", [][]byte{grant, expire, rec("http://a.test/1", "c1")}, "expire entry"},
		{"record after sweep", [][]byte{grant, sweep, rec("http://a.test/1", "c1")}, "sweep entry"},
		{"record after a refusal listing it", [][]byte{grant, refuseListing, rec("http://a.test/1", "c1")}, "refuse entry"},
		{"record after a refusal of its subject", [][]byte{grant, refuseSilent, rec("http://a.test/1", "c1")}, "refuse entry"},
		{"refusal purge excuses", [][]byte{grant, refuseSilent, rec("http://a.test/1", "c1"), purge("http://a.test/1", "r1")}, ""},
		{"grant dated after the refusal stands", [][]byte{refuseSilent, grantLater, rec("http://a.test/1", "c2")}, ""},
		{"purge after its withdrawal", [][]byte{grant, rec("http://a.test/1", "c1"), withdraw, purge("http://a.test/1", "c1")}, ""},
		{"purge no entry ended", [][]byte{grant, rec("http://a.test/1", "c1"), purge("http://a.test/1", "c1")}, "no earlier withdraw"},
		{"purge before its withdrawal", [][]byte{grant, rec("http://a.test/1", "c1"), purge("http://a.test/1", "c1"), withdraw}, "no earlier withdraw"},
		{"purge after the refusal", [][]byte{grant, rec("http://a.test/1", "c1"), refuseListing, purge("http://a.test/1", "r1")}, ""},
		{"purge after the sweep", [][]byte{grant, rec("http://a.test/1", "c1"), expire, sweep, purge("http://a.test/1", "c1")}, ""},
		{"older log: purge then withdrawal summary", [][]byte{grant, rec("http://a.test/1", "c1"), purge("http://a.test/1", "c1"), legacyWithdrawal}, ""},
		{"older log: purge then refusal summary", [][]byte{grant, rec("http://a.test/1", "c1"), purge("http://a.test/1", "r1"), legacyRefusal}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var b strings.Builder
			for _, l := range tc.log {
				b.Write(l)
				b.WriteByte('\n')
			}
			if err := os.WriteFile(filepath.Join(dir, provenance.LogFile), []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			var got []provenance.Problem
			checkConsents(dir, int64(len(tc.log)), func(p provenance.Problem) { got = append(got, p) })
			switch {
			case tc.want == "" && len(got) > 0:
				t.Fatalf("problems %+v, want none", got)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0].Message, tc.want) || got[0].Kind != ProblemConsent):
				t.Fatalf("problems %+v, want one naming %q", got, tc.want)
			}
		})
	}
	// Entries past the signed size are not trusted, so not checked.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, provenance.LogFile), append(append(grant, '\n'), append(rec("http://a.test/1", "c2"), '\n')...), 0o600)
	var got []provenance.Problem
	checkConsents(dir, 1, func(p provenance.Problem) { got = append(got, p) })
	if len(got) != 0 {
		t.Fatalf("unsigned entries checked: %+v", got)
	}
}

// TestVerifyLegacyConsentsOnlyFromOlderScruple: a bundle whose kept record
// cites a consent with no grant entry verifies (with a note) only when an
// older scruple, which logged no consent events, wrote the record; a
// bundle of the current scruple fails with a problem naming the record.
func TestVerifyLegacyConsentsOnlyFromOlderScruple(t *testing.T) {
	for _, tc := range []struct {
		name, version string
		fetched       time.Time
		ok            bool
	}{
		{"scruple 0.1.0", "0.1.0", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), true},
		// Builds that logged consent events still called themselves
		// 0.1.0 for a day: a record dated after that is never legacy.
		{"0.1.0 after consent events were logged", "0.1.0", time.Date(2026, 12, 5, 21, 0, 0, 0, time.UTC), false},
		{"current scruple", scruple.Version, time.Now().UTC(), false},
		{"no version", "", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			st, err := sqlite.Open(data)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			u := "http://a.test/kept.html"
			it := scruple.URLItem{URL: u, Host: "a.test"}
			st.Enqueue(ctx, []scruple.URLItem{it})
			leased, _ := st.Lease(ctx, "a.test", 1, time.Now())
			rec := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: tc.fetched,
				Text: "Call [cn_mobile].", Findings: []scruple.Finding{{Type: "cn_mobile", Action: "keep", Consent: "c-old", Subject: "S"}}}
			e := provenance.NewRecordEntry(rec, provenance.BuildInfo{CrawlerVersion: tc.version})
			if err := st.Commit(ctx, []scruple.Outcome{{Item: leased[0], Record: rec, Entry: e.Marshal()}}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			out, key := export(t, data)
			rep, sum := problems(t, out, key)
			if tc.ok {
				if !strings.HasPrefix(rep, "OK") || sum.LegacyConsents != 1 {
					t.Fatalf("older scruple's record: %s (legacy %d), want OK with one legacy consent", rep, sum.LegacyConsents)
				}
				return
			}
			full, _, _ := Verify(out, key)
			if strings.HasPrefix(rep, "OK") || sum.LegacyConsents != 0 || len(full.Problems) != 1 ||
				full.Problems[0].Kind != ProblemConsent || full.Problems[0].URL != u || full.Problems[0].Line != 1 ||
				!strings.Contains(rep, "keeps a value under consent c-old, which no earlier grant or import entry of the log records") {
				t.Fatalf("current scruple's record without a grant entry: %s (legacy %d), want one consent problem naming it", rep, sum.LegacyConsents)
			}
		})
	}
}
