package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/internal/warctest"
)

// TestDemoEndToEnd runs `scruple demo` (the README's first command) and then
// the acceptance path: the bundle verifies, the consented subject's
// value is the only raw one, and a withdrawal followed by a new export shows
// the purge.
func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the demo web")
	}
	data := t.TempDir()
	out := mustRun(t, "demo", "--data", data, "--quiet")
	for _, want := range []string{"crawl finished", "verify: intact", "none carried a cookie or credentials: true", "kept under consent"} {
		if !strings.Contains(out, want) {
			t.Fatalf("demo output lacks %q:\n%s", want, out)
		}
	}
	id := regexp.MustCompile(`kept under consent ([0-9a-f]+)`).FindStringSubmatch(out)[1]
	dir := filepath.Join(data, "demo")
	warctest.Dir(t, filepath.Join(dir, "warc"))
	warctest.Dir(t, filepath.Join(dir, "export", "warc"))
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil || !strings.Contains(out, "report: "+filepath.Join(dir, "report.html")) ||
		!bytes.Contains(page, []byte(`class="verdict ok"`)) || bytes.Contains(page, []byte(testweb.DemoConsentPhone)) {
		t.Fatalf("demo report missing, not green or holding the kept value: %v", err)
	}
	// The consent cites the digest of an evidence text the demo wrote, not
	// a placeholder, and the report's consent-terms row passes.
	evidence, err := os.ReadFile(filepath.Join(dir, demoEvidenceFile))
	if err != nil || len(evidence) == 0 || bytes.Contains(evidence, []byte(testweb.DemoConsentPhone)) {
		t.Fatalf("demo consent evidence: %d bytes, %v (and never the subject's number)", len(evidence), err)
	}
	sum := sha256.Sum256(evidence)
	logged, _ := os.ReadFile(filepath.Join(dir, "export", "log.jsonl"))
	if !bytes.Contains(logged, []byte(`"evidence":"`+hex.EncodeToString(sum[:])+`"`)) {
		t.Fatal("the demo's grant entry does not cite the SHA-256 of its evidence file")
	}
	if !bytes.Contains(page, []byte(`<tr id="rule-pipl14" class="rule-pass">`)) {
		t.Errorf("the demo report's PIPL Art. 13, 14 row does not pass")
	}
	recs, err := os.ReadFile(filepath.Join(dir, "export", "records.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(recs, []byte(testweb.DemoConsentPhone)) {
		t.Fatal("the consented value was not kept")
	}
	for _, v := range []string{testweb.DemoOtherPhone, testweb.DemoResidentID, testweb.DemoBankCard, "13712341000"} {
		if bytes.Contains(recs, []byte(v)) {
			t.Fatalf("a value without consent was exported raw (length %d)", len(v))
		}
	}
	if !bytes.Contains(recs, []byte(`"kind":"dropped"`)) {
		t.Fatal("the bulk borrower list was not dropped")
	}
	mustRun(t, "consent", "withdraw", "--data", dir, id)
	out2 := filepath.Join(t.TempDir(), "after")
	mustRun(t, "export", "--data", dir, "--out", out2)
	recs2, _ := os.ReadFile(filepath.Join(out2, "records.jsonl"))
	log2, _ := os.ReadFile(filepath.Join(out2, "log.jsonl"))
	if bytes.Contains(recs2, []byte(testweb.DemoConsentPhone)) || !bytes.Contains(log2, []byte(`"kind":"purge"`)) {
		t.Fatal("withdrawal not purged or not logged")
	}
	if code, rep, _ := runCLI(t, "verify", out2); code != 0 {
		t.Fatalf("bundle after withdrawal:\n%s", rep)
	}
}
