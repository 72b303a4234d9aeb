package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// TestWithdrawnConsentStaysWithdrawn is issue 10 item 2 through the CLI: a
// withdrawn consent came back live when the same grant was granted or
// imported again. Also item 1: a combination of categories as recipient.
func TestWithdrawnConsentStaysWithdrawn(t *testing.T) {
	data := t.TempDir()
	granted := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	expires := granted.Add(30 * 24 * time.Hour)
	grantArgs := []string{"consent", "grant", "--data", data, "--subject-type", "cn_mobile", "--subject", consentedPhone,
		"--types", "cn_mobile", "--purpose", crawlPurpose, "--processor", "Example Data Ltd", "--recipient", "none",
		"--method", "signed paper form", "--evidence-digest", strings.Repeat("ab", 32),
		"--granted-at", granted.Format(time.RFC3339), "--expires-at", expires.Format(time.RFC3339)}
	out := mustRun(t, grantArgs...)
	id := strings.Fields(strings.TrimPrefix(out, "granted consent "))[0]
	mustRun(t, "consent", "withdraw", "--data", data, id)

	code, stdout, stderr := runCLI(t, grantArgs...)
	if code == 0 || !strings.Contains(stderr, "final") {
		t.Fatalf("re-grant of a withdrawn consent: exit %d\n%s%s", code, stdout, stderr)
	}
	line := fmt.Sprintf(`{"subject_type":"cn_mobile","subject":%q,"types":["cn_mobile"],"purpose":%q,"processor":"Example Data Ltd",`+
		`"recipients":["none"],"method":"signed paper form","evidence":%q,"granted_at":%q,"expires_at":%q}`,
		consentedPhone, crawlPurpose, strings.Repeat("ab", 32), granted.Format(time.RFC3339), expires.Format(time.RFC3339))
	file := filepath.Join(t.TempDir(), "c.jsonl")
	os.WriteFile(file, []byte(line+"\n"), 0o600)
	code, stdout, stderr = runCLI(t, "consent", "import", "--data", data, file)
	if code != exitFailure || !strings.Contains(stderr, "line 1") || !strings.Contains(stderr, "final") ||
		!strings.Contains(stdout, "imported 0 consents; 1 lines refused") {
		t.Fatalf("re-import of a withdrawn consent: exit %d\n%s%s", code, stdout, stderr)
	}
	if show := mustRun(t, "consent", "show", "--data", data, id); !strings.Contains(show, `"status": "withdrawn"`) {
		t.Fatalf("after re-grant and re-import: %s", show)
	}
	if strings.Contains(stdout+stderr, consentedPhone) {
		t.Fatal("a raw subject in the output")
	}

	// Item 1: categories combined are still no recipient.
	combined := append([]string{}, grantArgs...)
	for i, a := range combined {
		if a == "none" {
			combined[i] = "合作伙伴及第三方"
		}
	}
	if code, _, stderr := runCLI(t, combined...); code != exitUsage || !strings.Contains(stderr, "recipients[0]") {
		t.Fatalf("recipient 合作伙伴及第三方: exit %d %s", code, stderr)
	}
}

// TestExportSweepsExpiredConsent is issue 10 item 3: a consent expired and
// the next export, with no crawl in between, still exported its value.
func TestExportSweepsExpiredConsent(t *testing.T) {
	data := t.TempDir()
	key, err := consent.LoadOrCreateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now().UTC()
	subj := consent.SubjectHMAC(key, pii.Mobile, consentedPhone)
	c := &scruple.Consent{ID: "c-expired", Subject: subj, SubjectType: "cn_mobile", Types: []string{"cn_mobile"},
		Purpose: crawlPurpose, Processor: "Example Data Ltd", Recipients: []string{}, Method: "signed paper form",
		Evidence: strings.Repeat("ab", 32), GrantedAt: now.Add(-48 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
	grant := provenance.NewConsentEntry(provenance.KindGrant, c, "consent granted", c.GrantedAt, nil, provenance.BuildInfo{})
	if err := st.PutConsentsLogged(ctx, []*scruple.Consent{c}, [][]byte{grant.Marshal()}); err != nil {
		t.Fatal(err)
	}
	// A page kept under it while it was live.
	it := scruple.URLItem{URL: "http://a.test/p", Host: "a.test:80", Source: scruple.FromSeed}
	st.Enqueue(ctx, []scruple.URLItem{it})
	leased, err := st.Lease(ctx, it.Host, 1, now)
	if err != nil || len(leased) != 1 {
		t.Fatalf("lease %v %v", leased, err)
	}
	text := "联系人手机：" + consentedPhone + "。"
	start := strings.Index(text, consentedPhone)
	r := &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Status: 200, FetchedAt: now.Add(-2 * time.Hour), Text: text,
		Findings: []scruple.Finding{{Type: "cn_mobile", Start: start, End: start + len(consentedPhone), Action: "keep", Consent: c.ID, Subject: subj}}}
	if err := st.Commit(ctx, []scruple.Outcome{{Item: leased[0], Record: r, Entry: provenance.NewRecordEntry(r, provenance.BuildInfo{}).Marshal()}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	bundle := filepath.Join(t.TempDir(), "b")
	mustRun(t, "export", "--data", data, "--out", bundle)
	if b, _ := os.ReadFile(filepath.Join(bundle, "records.jsonl")); strings.Contains(string(b), consentedPhone) {
		t.Fatal("the export holds a value whose consent expired")
	}
	if storeHolds(t, data, consentedPhone) {
		t.Fatal("the data directory still holds the expired consent's value")
	}
	logb, _ := os.ReadFile(filepath.Join(bundle, "log.jsonl"))
	for _, k := range []string{`"kind":"expire"`, `"kind":"sweep"`, `"kind":"purge"`} {
		if !strings.Contains(string(logb), k) {
			t.Errorf("the bundle's log has no %s entry", k)
		}
	}
	if out := mustRun(t, "verify", bundle); !strings.Contains(out, "VERIFIED") && !strings.Contains(out, "verified") {
		t.Fatalf("verify: %s", out)
	}
	if out := mustRun(t, "consent", "sweep", "--data", data); !strings.Contains(out, "swept: 0 consents expired, 0 records purged") {
		t.Fatalf("second sweep: %s", out)
	}
}

// TestExportAfterRefusalOfEarlierGrant: a subject granted, then refused
// (PIPL Art. 27), which ends the grant. The export's restart check counted
// that grant live before the export (Consent.Live ignores refusals) and
// refused after it (StateAmong), so every attempt "saw a consent end" and
// the export failed for good once any subject refused after a grant.
func TestExportAfterRefusalOfEarlierGrant(t *testing.T) {
	data := t.TempDir()
	granted := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	mustRun(t, "consent", "grant", "--data", data, "--subject-type", "cn_mobile", "--subject", consentedPhone,
		"--types", "cn_mobile", "--purpose", crawlPurpose, "--processor", "Example Data Ltd", "--recipient", "none",
		"--method", "signed paper form", "--evidence-digest", strings.Repeat("ab", 32),
		"--granted-at", granted.Format(time.RFC3339), "--expires-at", granted.Add(30*24*time.Hour).Format(time.RFC3339))
	mustRun(t, "consent", "refuse", "--data", data, "--subject-type", "cn_mobile", "--subject", consentedPhone)
	bundle := filepath.Join(t.TempDir(), "b")
	if code, stdout, stderr := runCLI(t, "export", "--data", data, "--out", bundle); code != 0 {
		t.Fatalf("export after a refusal: exit %d\n%s%s", code, stdout, stderr)
	}
}
