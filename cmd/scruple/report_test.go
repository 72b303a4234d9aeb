package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
)

// crawledBundle crawls the PI site with a consent for one phone number and
// exports it; it returns the data directory and the bundle.
func crawledBundle(t *testing.T) (data, bundle string) {
	t.Helper()
	seed := piSite(t)
	data = t.TempDir()
	grantPhone(t, data)
	mustRun(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--no-sitemaps", "--quiet",
		"--purpose", crawlPurpose, seed)
	bundle = filepath.Join(t.TempDir(), "bundle")
	mustRun(t, "export", "--data", data, "--out", bundle)
	return data, bundle
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReportCommand: a real crawl's bundle gives a green report that holds
// no raw value; --data adds the ledger's consent terms; a tampered bundle
// exits 1 with a red report; the language follows --lang and the locale.
func TestReportCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls a site")
	}
	data, bundle := crawledBundle(t)
	out := filepath.Join(t.TempDir(), "r.html")
	t.Setenv("LANG", "en_US.UTF-8")
	stdout := mustRun(t, "report", bundle, "--out", out)
	if !strings.Contains(stdout, "verdict: VERIFIED") || !strings.Contains(stdout, "not pinned") {
		t.Fatalf("stdout: %s", stdout)
	}
	page := readFile(t, out)
	for _, v := range []string{consentedPhone, otherPhone, plantedIDNum} {
		if strings.Contains(page, v) {
			t.Fatalf("a planted value (length %d) is in the report", len(v))
		}
	}
	for _, want := range []string{`class="verdict ok"`, crawlPurpose, "robots.txt", "[cn_mobile ✓]"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The grant is a log entry carrying the consent's terms (issue 10), so
	// the bundle alone proves them; the live report shows the same.
	if strings.Contains(page, "Terms not in the bundle") || !strings.Contains(page, "Example Data Ltd") {
		t.Error("the consent's terms, logged at grant, are not shown as proven by the bundle")
	}
	out2 := filepath.Join(t.TempDir(), "live.html")
	mustRun(t, "report", "--data", data, "--out", out2)
	live := readFile(t, out2)
	if !strings.Contains(live, "Example Data Ltd") || strings.Contains(live, "(ledger, unsigned)") ||
		!strings.Contains(live, "checked against the key you gave") || strings.Contains(live, consentedPhone) {
		t.Error("the live report does not show the logged terms, or pins no key, or leaks")
	}

	// Chinese, from the locale and from --lang.
	t.Setenv("LANG", "zh_CN.UTF-8")
	mustRun(t, "report", bundle, "--out", out)
	if !strings.Contains(readFile(t, out), "验证通过") {
		t.Error("LANG=zh_CN did not give a Chinese report")
	}
	mustRun(t, "report", bundle, "--out", out, "--lang", "en")
	if strings.Contains(readFile(t, out), "验证通过") {
		t.Error("--lang en did not win over the locale")
	}

	// Tampered: exit 1, the report is still written, red.
	recs := filepath.Join(bundle, "records.jsonl")
	b, _ := os.ReadFile(recs)
	os.WriteFile(recs, bytes.Replace(b, []byte("贷款中介"), []byte("贷款中心"), 1), 0o644)
	code, stdout, _ := runCLI(t, "report", bundle, "--out", out, "--lang", "en")
	if code != exitFailure || !strings.Contains(stdout, "NOT VERIFIED: altered") || !strings.Contains(readFile(t, out), `class="verdict bad"`) {
		t.Fatalf("tampered bundle: exit %d\n%s", code, stdout)
	}
}

func TestReportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"report"},
		{"report", t.TempDir(), "--data", t.TempDir()},
		{"report", t.TempDir(), "--lang", "fr"},
		{"report", filepath.Join(t.TempDir(), "missing"), "--lang", "en"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code == 0 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// TestReportPDFWithoutChromium: --pdf says clearly that Chromium is needed
// and how to get it; the HTML report is written anyway.
func TestReportPDFWithoutChromium(t *testing.T) {
	t.Setenv("SCRUPLE_CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	dir := filepath.Join(t.TempDir(), "b")
	os.MkdirAll(dir, 0o755)
	out := filepath.Join(t.TempDir(), "r.html")
	code, _, errOut := runCLI(t, "report", dir, "--out", out, "--pdf", filepath.Join(t.TempDir(), "r.pdf"), "--lang", "en")
	if code != exitFailure || !strings.Contains(errOut, "no Chromium found") || !strings.Contains(errOut, "apt-get install chromium") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal("the HTML report was not written")
	}
}

// TestReportSharedStore: `report --store DSN --crawl NAME` on a crawl of a
// shared PostgreSQL store, with the crawl's signing key by file.
func TestReportSharedStore(t *testing.T) {
	dsn := testDSN(t)
	seed := piSite(t)
	name := uniqueCrawl(t)
	keys := t.TempDir()
	if _, _, err := provenance.LoadOrCreateKey(keys, "shared-test"); err != nil {
		t.Fatal(err)
	}
	signing := filepath.Join(keys, provenance.SigningKeyFile)
	mustRun(t, "crawl", "--store", dsn, "--crawl", name, "--data", t.TempDir(), "--signing-key", signing,
		"--allow-cidr", "127.0.0.0/8", "--delay", "0", "--no-sitemaps", "--quiet", seed)
	t.Cleanup(func() {
		if st, err := postgres.Open(context.Background(), dsn, name, postgres.Options{MustExist: true}); err == nil {
			st.DeleteCrawl(context.Background())
			st.Close()
		}
	})
	out := filepath.Join(t.TempDir(), "r.html")
	stdout := mustRun(t, "report", "--store", dsn, "--crawl", name, "--signing-key", signing, "--out", out, "--lang", "en")
	page := readFile(t, out)
	if !strings.Contains(stdout, "verdict: VERIFIED") || !strings.Contains(page, "crawl "+name) ||
		!strings.Contains(page, "checked against the key you gave") || strings.Contains(page, otherPhone) {
		t.Fatalf("stdout %s", stdout)
	}
}
