package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	consentedPhone = "13812345678"
	otherPhone     = "13912345678"
	plantedIDNum   = "11010519491231002X"
	crawlPurpose   = "credit risk assessment for loan applicants"
)

// piSite serves one page holding a phone number a consent will cover, a
// phone number no consent covers, and a resident ID.
func piSite(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><title>贷款中介</title></head><body>
<p>联系人手机：%s。</p><p>备用电话 %s，身份证号 %s。</p></body></html>`, consentedPhone, otherPhone, plantedIDNum)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s%s", args[0], code, out, errOut)
	}
	return out
}

func grantPhone(t *testing.T, data string) string {
	out := mustRun(t, "consent", "grant", "--data", data, "--subject-type", "cn_mobile", "--subject", consentedPhone,
		"--types", "cn_mobile", "--purpose", crawlPurpose, "--processor", "Example Data Ltd", "--recipient", "none",
		"--method", "signed paper form", "--evidence-digest", strings.Repeat("ab", 32), "--expires-in", "720h")
	m := regexp.MustCompile(`granted consent ([0-9a-f]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no consent id in %q", out)
	}
	return m[1]
}

func storeHolds(t *testing.T, dir, v string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(v)) {
			return true
		}
	}
	return false
}

// TestConsentProvenanceEndToEnd: a consented value is kept raw only in a crawl
// with the consent's purpose, the bundle verifies, and a withdrawal purges the
// value from the store files and shows in the next export.
func TestConsentProvenanceEndToEnd(t *testing.T) {
	seed := piSite(t)
	data := t.TempDir()
	id := grantPhone(t, data)
	mustRun(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--no-sitemaps", "--quiet",
		"--purpose", crawlPurpose, seed)
	out1 := filepath.Join(t.TempDir(), "b1")
	mustRun(t, "export", "--data", data, "--out", out1)
	recs, _ := os.ReadFile(filepath.Join(out1, "records.jsonl"))
	if !bytes.Contains(recs, []byte(consentedPhone)) {
		t.Fatal("consented phone number not kept with the consent's purpose")
	}
	if bytes.Contains(recs, []byte(otherPhone)) || bytes.Contains(recs, []byte(plantedIDNum)) {
		t.Fatal("a value without consent was kept raw")
	}
	if code, out, _ := runCLI(t, "verify", out1); code != 0 {
		t.Fatalf("fresh bundle does not verify:\n%s", out)
	}

	// Another purpose: the same consent does not apply.
	data2 := t.TempDir()
	grantPhone(t, data2)
	mustRun(t, "crawl", "--data", data2, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--no-sitemaps", "--quiet",
		"--purpose", "marketing campaigns for new products", seed)
	if storeHolds(t, data2, consentedPhone) {
		t.Fatal("consented value kept in a crawl with another purpose")
	}

	// Crypto-shredding: the kept value is exported (above) but never
	// written to the store's files in clear, nor is its record's salt.
	if storeHolds(t, data, consentedPhone) {
		t.Fatal("the consented value is in a store file in clear")
	}
	salt := regexp.MustCompile(`"salt":"([0-9a-f]{64})"`).FindSubmatch(recs)
	if salt == nil {
		t.Fatal("the record keeping a consented value has no salt")
	}
	if storeHolds(t, data, string(salt[1])) {
		t.Fatal("the record's salt is in a store file in clear")
	}

	// Withdrawal: the key and salt destroyed, logged, visible in a new export.
	out := mustRun(t, "consent", "withdraw", "--data", data, id)
	if !strings.Contains(out, "1 records purged") {
		t.Fatalf("withdraw: %q", out)
	}
	if storeHolds(t, data, consentedPhone) {
		t.Fatal("withdrawn value still present in a store file")
	}
	out2 := filepath.Join(t.TempDir(), "b2")
	mustRun(t, "export", "--data", data, "--out", out2)
	recs2, _ := os.ReadFile(filepath.Join(out2, "records.jsonl"))
	log2, _ := os.ReadFile(filepath.Join(out2, "log.jsonl"))
	if bytes.Contains(recs2, []byte(consentedPhone)) {
		t.Fatal("withdrawn value exported")
	}
	if bytes.Contains(recs2, salt[1]) || storeHolds(t, data, string(salt[1])) {
		t.Fatal("the salt of the purged record survives the withdrawal")
	}
	if !bytes.Contains(log2, []byte(`"kind":"purge"`)) || !bytes.Contains(log2, []byte(`"kind":"withdraw"`)) || bytes.Contains(log2, []byte(`"kind":"withdrawal"`)) {
		t.Fatal("want one withdraw entry and its purges, no withdrawal summary")
	}
	if code, out, _ := runCLI(t, "verify", out2); code != 0 {
		t.Fatalf("bundle after purge does not verify:\n%s", out)
	}
	// The consent now shows as withdrawn; list never prints the raw value.
	list := mustRun(t, "consent", "list", "--data", data)
	if !strings.Contains(list, "withdrawn") || strings.Contains(list, consentedPhone) {
		t.Fatalf("list: %q", list)
	}

	// Tampering with the exported records is detected.
	bad := bytes.Replace(recs2, []byte("贷款中介"), []byte("贷款中心"), 1)
	os.WriteFile(filepath.Join(out2, "records.jsonl"), bad, 0o644)
	if code, out, _ := runCLI(t, "verify", out2); code != 1 || !strings.Contains(out, "altered") {
		t.Fatalf("tampered bundle: exit %d\n%s", code, out)
	}
}

func TestBlanketConsentRefused(t *testing.T) {
	data := t.TempDir()
	base := []string{"consent", "grant", "--data", data, "--subject-type", "cn_mobile", "--subject", consentedPhone,
		"--processor", "Example Data Ltd", "--method", "signed paper form", "--evidence-digest", strings.Repeat("ab", 32)}
	cases := map[string][]string{
		"wildcard types": {"--types", "*", "--purpose", crawlPurpose, "--recipient", "none", "--expires-in", "720h"},
		"vague purpose":  {"--types", "cn_mobile", "--purpose", "any purpose", "--recipient", "none", "--expires-in", "720h"},
		"unnamed recip":  {"--types", "cn_mobile", "--purpose", crawlPurpose, "--recipient", "third parties", "--expires-in", "720h"},
		"no expiry":      {"--types", "cn_mobile", "--purpose", crawlPurpose, "--recipient", "none"},
		"too long":       {"--types", "cn_mobile", "--purpose", crawlPurpose, "--recipient", "none", "--expires-in", "100000h"},
	}
	for name, extra := range cases {
		code, _, errOut := runCLI(t, append(append([]string{}, base...), extra...)...)
		if code != exitUsage || !strings.Contains(errOut, "consent refused") {
			t.Errorf("%s: exit %d, %q", name, code, errOut)
		}
		if strings.Contains(errOut, consentedPhone) {
			t.Errorf("%s: error leaks the subject", name)
		}
	}
}
