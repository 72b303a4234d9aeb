package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report/reporttest"
)

// writeKnown writes the known bundle to a new directory.
func writeKnown(t *testing.T) (dir, vkey string) {
	t.Helper()
	dir = t.TempDir()
	vkey, err := reporttest.Known().Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, vkey
}

func editFile(t *testing.T, path string, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, edit(b), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dropLine removes line n (1-based; -1 the last) of a JSON Lines file.
func dropLine(n int) func([]byte) []byte {
	return func(b []byte) []byte {
		lines := bytes.SplitAfter(b, []byte("\n"))
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		if n < 0 {
			n = len(lines)
		}
		return bytes.Join(append(lines[:n-1:n-1], lines[n:]...), nil)
	}
}

// TestVerdicts: a tampered, truncated, re-signed or incomplete bundle gets a
// red verdict naming what is wrong, and every checklist row fails.
func TestVerdicts(t *testing.T) {
	resign := func(t *testing.T, dir string, manifestToo bool) {
		// An attacker rewrites the bundle with their own key: a new
		// checkpoint and key.pub over the same log.
		s := reporttest.Known()
		other := t.TempDir()
		signer, vkey, err := reporttest.Key("known-provider") // same name, other key
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Build().Export(other, signer, vkey); err != nil {
			t.Fatal(err)
		}
		names := []string{provenance.CheckpointFile, provenance.KeyFile, provenance.LogFile, provenance.RecordsFile}
		if manifestToo {
			names = append(names, provenance.ManifestFile)
		}
		for _, name := range names {
			b, _ := os.ReadFile(filepath.Join(other, name))
			os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
	}
	for _, tc := range []struct {
		name     string
		tamper   func(t *testing.T, dir string)
		pin      bool
		verified bool
		issue    Issue
	}{
		{"intact", func(t *testing.T, dir string) {}, true, true, ""},
		{"intact, signer not pinned", func(t *testing.T, dir string) {}, false, true, ""},
		{"record altered", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, provenance.RecordsFile), func(b []byte) []byte {
				return bytes.Replace(b, []byte("Public text of /p/1."), []byte("Public text of /p/2."), 1)
			})
		}, true, false, IssueAltered},
		{"log line altered", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, provenance.LogFile), func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"delay":"1s"`), []byte(`"delay":"5s"`), 1)
			})
		}, true, false, IssueAltered},
		{"log truncated", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, provenance.LogFile), dropLine(-1))
		}, true, false, IssueTruncated},
		{"record removed", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, provenance.RecordsFile), dropLine(3))
		}, true, false, IssueTruncated},
		{"records cut short", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, provenance.RecordsFile), func(b []byte) []byte { return b[:len(b)-40] })
		}, true, false, IssueTruncated},
		{"checkpoint missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, provenance.CheckpointFile))
		}, true, false, IssueMissing},
		{"re-signed, key pinned", func(t *testing.T, dir string) { resign(t, dir, true) }, true, false, IssueResigned},
		{"re-signed, manifest left", func(t *testing.T, dir string) { resign(t, dir, false) }, false, false, IssueResigned},
		{"manifest edited", func(t *testing.T, dir string) {
			editFile(t, filepath.Join(dir, provenance.ManifestFile), func(b []byte) []byte {
				var m map[string]any
				json.Unmarshal(b, &m)
				m["files"].(map[string]any)[provenance.RecordsFile] = strings.Repeat("0", 64)
				out, _ := json.Marshal(m)
				return out
			})
		}, true, false, IssueManifest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, vkey := writeKnown(t)
			tc.tamper(t, dir)
			opt := Options{}
			if tc.pin {
				opt.Key = vkey
			}
			r, err := Build(context.Background(), dir, opt)
			if err != nil {
				t.Fatal(err)
			}
			v := r.Verdict
			if v.Verified != tc.verified || r.OK() != tc.verified || v.Pinned != tc.pin {
				t.Fatalf("verified %v pinned %v, want %v %v: %+v", v.Verified, v.Pinned, tc.verified, tc.pin, v.Problems)
			}
			var html bytes.Buffer
			if err := r.WriteHTML(&html); err != nil {
				t.Fatal(err)
			}
			page := html.String()
			if tc.verified {
				if !strings.Contains(page, `class="verdict ok"`) || strings.Contains(page, "NOT VERIFIED") {
					t.Fatal("a verified bundle without a green verdict")
				}
				if !tc.pin && !strings.Contains(page, "was not checked against a key you trust") {
					t.Fatal("an unpinned signer is not pointed out")
				}
				return
			}
			found := false
			for _, is := range v.Issues {
				found = found || is.Issue == tc.issue
			}
			if !found {
				t.Fatalf("issues %+v, want %s; problems %+v", v.Issues, tc.issue, v.Problems)
			}
			if !strings.Contains(page, `class="verdict bad"`) || !strings.Contains(page, "NOT VERIFIED") ||
				!strings.Contains(page, catalog["issue."+string(tc.issue)].en) {
				t.Fatal("the page does not show a red verdict naming the issue")
			}
			for _, rule := range r.Checklist {
				if rule.Status != Fail {
					t.Errorf("rule %s is %s on a bundle that does not verify", rule.ID, rule.Status)
				}
			}
		})
	}
}

// TestNoRawValues plants personal values where a careless report would copy
// them (a kept value, a refusal's reason, a URL, a title) and checks that
// none reaches the page, in either language.
func TestNoRawValues(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		r := build(t, reporttest.Known(), lang)
		var html bytes.Buffer
		if err := r.WriteHTML(&html); err != nil {
			t.Fatal(err)
		}
		page := html.String()
		for i, v := range []string{reporttest.KeptPhone, reporttest.ReasonPhone, reporttest.URLPhone, reporttest.TitleID,
			"ann@example.com"} {
			if strings.Contains(page, v) || strings.Contains(page, v[:len(v)-1]) {
				t.Errorf("%s: planted value %d (length %d) is in the report", lang, i, len(v))
			}
		}
		// The kept value's place is shown masked.
		if !strings.Contains(page, "[cn_mobile ✓]") {
			t.Errorf("%s: the kept value is not shown as masked", lang)
		}
	}
}

// TestLanguages: both languages are complete, their format verbs agree, and
// the page says which language it is in.
func TestLanguages(t *testing.T) {
	for key, p := range catalog {
		if p.en == "" || p.zh == "" {
			t.Errorf("%s: missing a language", key)
		}
		if ve, vz := verbs(p.en), verbs(p.zh); ve != vz {
			t.Errorf("%s: verbs %q (en) and %q (zh) differ", key, ve, vz)
		}
	}
	for _, lang := range []string{"en", "zh"} {
		tr := newTranslator(lang)
		r := build(t, reporttest.Known(), lang)
		var html bytes.Buffer
		if err := r.writeHTML(&html, tr); err != nil {
			t.Fatal(err)
		}
		if len(tr.missing) > 0 || len(r.misses) > 0 {
			t.Errorf("%s: keys not in the catalogue: %v %v", lang, tr.missing, r.misses)
		}
		want := map[string]string{"en": `<html lang="en">`, "zh": `<html lang="zh-CN">`}[lang]
		if !strings.Contains(html.String(), want) || !strings.Contains(html.String(), catalog["verdict.ok"].pick(lang)) {
			t.Errorf("%s: page not in its language", lang)
		}
	}
}

func (p phrase) pick(lang string) string {
	if lang == LangZH {
		return p.zh
	}
	return p.en
}

// verbs lists a format's verbs by argument position, so "%[2]d ... %[1]d"
// matches "%d ... %d" in the other order.
func verbs(s string) string {
	var out []string
	arg := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 >= len(s) {
			continue
		}
		i++
		if s[i] == '%' {
			continue
		}
		if s[i] == '[' {
			j := strings.IndexByte(s[i:], ']')
			n := 0
			for _, c := range s[i+1 : i+j] {
				n = n*10 + int(c-'0')
			}
			arg = n - 1
			i += j + 1
		}
		for i < len(s) && strings.IndexByte("+-# 0123456789.", s[i]) >= 0 {
			i++
		}
		if i < len(s) {
			out = append(out, string(rune('a'+arg))+string(s[i]))
			arg++
		}
	}
	sortStrings(out)
	return strings.Join(out, ",")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestLang(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, "zh"},
		{map[string]string{"LANG": "zh_TW.UTF-8"}, "zh"},
		{map[string]string{"LANG": "en_US.UTF-8"}, "en"},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"},
	} {
		if got := LangFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
	for in, want := range map[string]string{"": "en", "zh": "zh", "zh-CN": "zh", "EN": "en", "en-GB": "en"} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseLang("fr"); err == nil {
		t.Error("fr accepted")
	}
}

// TestSelfContained: the page loads nothing and runs nothing.
func TestSelfContained(t *testing.T) {
	r := build(t, reporttest.Known(), "en")
	var html bytes.Buffer
	if err := r.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	page := strings.ToLower(html.String())
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(h", "url(d", "url('", "url(\"", "src=", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	if !strings.Contains(page, "default-src 'none'") || !strings.Contains(page, "@media print") {
		t.Error("no content security policy or print CSS")
	}
}

// TestVerifierChecked: what a bundle verifier checked beyond the log (WARC
// archives, an attestation) is in the verdict; its problems turn it red.
func TestVerifierChecked(t *testing.T) {
	dir, vkey := writeKnown(t)
	os.WriteFile(filepath.Join(dir, "attestation.intoto.jsonl"), []byte("{}\n"), 0o644)
	good := func(dir, key string) (*provenance.Report, Checked, error) {
		rep, err := provenance.Verify(dir, key)
		return rep, Checked{Notes: []string{"WARC: 1 files, 12 records, every block digest verified"}, Attested: true}, err
	}
	r, err := Build(context.Background(), dir, Options{Key: vkey, Verify: good})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.Verdict.Notes) != 1 {
		t.Fatalf("verdict %+v", r.Verdict)
	}
	for _, f := range r.Verdict.Files {
		if want := map[bool]FileStatus{true: FileUnchecked, false: FileAttested}[f.Name == provenance.ManifestFile]; f.Status != want {
			t.Errorf("%s: %s, want %s", f.Name, f.Status, want)
		}
	}
	bad := func(dir, key string) (*provenance.Report, Checked, error) {
		rep, err := provenance.Verify(dir, key)
		rep.Problems = append(rep.Problems, provenance.Problem{Kind: "attestation", File: "attestation.intoto.jsonl", Message: "not signed by the key"})
		return rep, Checked{}, err
	}
	r, err = Build(context.Background(), dir, Options{Key: vkey, Verify: bad})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || len(r.Verdict.Issues) != 1 || r.Verdict.Issues[0].Issue != IssueAttest {
		t.Fatalf("verdict %+v", r.Verdict.Issues)
	}
	var html bytes.Buffer
	r.WriteHTML(&html)
	if !strings.Contains(html.String(), "Attestation fails") {
		t.Error("the attestation's failure is not named")
	}
}
