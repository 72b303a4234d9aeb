package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanHTML: `scan --format html` writes the self-inspection report to
// standard output: the scan's exit status, no raw or partly masked value,
// credentials first in what to correct.
func TestScanHTML(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "customers.csv"), []byte("name,phone,id_card\n张三,13812345678,11010519491231002X\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("用户密码：Passw0rd!23\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "clean.txt"), []byte("nothing here\n"), 0o644)
	for lang, stamp := range map[string]string{"en": "CORRECT NOW", "zh": "须立即整改"} {
		code, out, errOut := scanCLI(t, nil, "--format", "html", "--lang", lang, dir)
		if code != exitFailure || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, stamp) {
			t.Fatalf("%s: exit %d, stderr %q, page starts %.80q", lang, code, errOut, out)
		}
		for _, v := range []string{"13812345678", "138****5678", "11010519491231002X", "Passw0rd"} {
			if strings.Contains(out, v) {
				t.Errorf("%s: a value (%d chars) is in the report", lang, len(v))
			}
		}
		first := strings.Index(out, `id="first"`)
		if n, c := strings.Index(out[first:], "notes.txt"), strings.Index(out[first:], "customers.csv"); n < 0 || c < 0 || n > c {
			t.Errorf("%s: the credential is not the first thing to correct", lang)
		}
	}
	code, _, errOut := scanCLI(t, nil, "--format", "html", "--lang", "fr", dir)
	if code != exitUsage || !strings.Contains(errOut, "zh or en") {
		t.Errorf("--lang fr: exit %d, %q", code, errOut)
	}
}
