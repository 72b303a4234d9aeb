package scan

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// TestHostileRedactEncodedMail: a redacted copy must not carry a value the
// scan would find, encoded. An e-mail's base64 or quoted-printable parts
// cannot be rewritten as text, so no copy is written: the file is listed
// as not redacted, and its findings are reported from the decoded parts.
func TestHostileRedactEncodedMail(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	eml := scantest.Mail(t, "张三", "a@example.com", "b@example.com", "hi", "手机 "+vMobile, "<p>身份证 "+vID+"</p>",
		scantest.Member{Name: "list.csv", Data: []byte("手机\n" + vMob2 + "\n")})
	os.WriteFile(filepath.Join(dir, "case.eml"), eml, 0o644)
	rs := map[string]*FileResult{}
	sum, err := Run(t.Context(), []string{dir}, Options{RedactDir: out, Values: true}, func(r *FileResult) error {
		c := *r
		rs[r.Name()] = &c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		text := string(b)
		for _, line := range strings.Fields(text) {
			if d, err := base64.StdEncoding.DecodeString(line); err == nil {
				text += string(d)
			}
		}
		for _, v := range []string{vMobile, vID, vMob2} {
			if strings.Contains(text, v) || strings.Contains(text, string(scantest.GBK(t, v))) {
				t.Errorf("redacted copy %s holds a value (plain or encoded)", filepath.Base(p))
			}
		}
		return nil
	})
	if len(sum.NotRedacted) == 0 {
		t.Errorf("the e-mail is not listed as not redacted")
	}
	if !found(results(rs), "cn_mobile", vMob2) {
		t.Errorf("attachment not scanned under --redact")
	}
}

func results(m map[string]*FileResult) []*FileResult {
	var rs []*FileResult
	for _, r := range m {
		rs = append(rs, r)
	}
	return rs
}

// TestHostileRedactCSV: under --redact a CSV is still read as CSV, so a
// value found only through its header (a passport number under
// "passportNo") is replaced in the copy too, and the copy keeps quoting,
// delimiters, line ends, BOM and encoding.
func TestHostileRedactCSV(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	text := "\ufeffname;passportNo;note\r\n" +
		"Li Lei;" + vPass + ";\"He said \"\"call " + vMobile + "\"\"\r\nthen left\"\r\n" +
		"Han Mei;\"" + vPass2 + "\"\r\n" +
		"ok;none;plain"
	os.WriteFile(filepath.Join(dir, "kyc.csv"), []byte(text), 0o644)
	os.WriteFile(filepath.Join(dir, "kyc-gbk.csv"), scantest.GBK(t, strings.TrimPrefix(text, "\ufeff")), 0o644)
	_, err := Run(t.Context(), []string{dir}, Options{RedactDir: out}, func(r *FileResult) error {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Name(), r.Err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"kyc.csv": "\ufeffname;passportNo;note\r\n" +
			"[person_name];[cn_passport];\"He said \"\"call [cn_mobile]\"\"\r\nthen left\"\r\n" +
			"[person_name];\"[cn_passport]\"\r\n" +
			"ok;none;plain",
		"kyc-gbk.csv": "name;passportNo;note\r\n" +
			"[person_name];[cn_passport];\"He said \"\"call [cn_mobile]\"\"\r\nthen left\"\r\n" +
			"[person_name];\"[cn_passport]\"\r\n" +
			"ok;none;plain",
	} {
		dest, _ := DestPath(out, filepath.Join(dir, name))
		raw, err := os.ReadFile(dest)
		if err != nil {
			t.Fatalf("%s: no copy: %v", name, err)
		}
		got := string(raw)
		if name == "kyc-gbk.csv" {
			got = decode(t, raw, false, true)
		}
		if got != want {
			t.Errorf("%s: copy\n%q\nwant\n%q", name, got, want)
		}
	}
}

const vPass2 = "E87654321"

// TestHostileRedactCSVHugeRecord: a record larger than a scan batch is
// scanned in pieces; fields after a quoted line break later in the same
// record must still be placed in the copy.
func TestHostileRedactCSVHugeRecord(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	var b strings.Builder
	b.WriteString("a,b,c,d\n")
	for range 40 {
		b.WriteString(strings.Repeat("x", 128<<10) + ",")
	}
	b.WriteString("\"line one\nline two\",手机 " + vMobile + ",end\n")
	os.WriteFile(filepath.Join(dir, "wide.csv"), []byte(b.String()), 0o644)
	_, err := Run(t.Context(), []string{dir}, Options{RedactDir: out}, func(r *FileResult) error {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Name(), r.Err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dest, _ := DestPath(out, filepath.Join(dir, "wide.csv"))
	raw, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(b.String(), vMobile, "[cn_mobile]", 1)
	if string(raw) != want {
		t.Errorf("copy differs from the original with the value replaced (%d vs %d bytes)", len(raw), len(want))
	}
}

// TestHostileRedactJSON: a JSON file is redacted as JSON: values written
// with escapes (\u0031...) are found and replaced, a number is replaced by a
// string, a key that is a value is replaced, and the copy stays JSON.
func TestHostileRedactJSON(t *testing.T) {
	esc := ""
	for _, r := range vMobile {
		esc += fmt.Sprintf(`\u%04x`, r)
	}
	doc := "{\"user\": {\"mobile\": \"" + esc + "\", \"passport_no\":\"" + vPass + "\",\n  \"phone\": " + vMob2 +
		", \"" + vMobile + "\": {\"note\": \"say \\\"hi\\\" to " + vEmail + "\"}}, \"n\": 1}\n"
	for _, mode := range []pii.RedactMode{pii.Mask, pii.Partial} {
		dir, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
		os.WriteFile(filepath.Join(dir, "api.json"), []byte(doc), 0o644)
		n := 0
		_, err := Run(t.Context(), []string{dir}, Options{RedactDir: out, RedactMode: mode}, func(r *FileResult) error {
			n += len(r.Findings)
			if r.Err != nil {
				t.Errorf("%s: %v", r.Name(), r.Err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		dest, _ := DestPath(out, filepath.Join(dir, "api.json"))
		raw, err := os.ReadFile(dest)
		if err != nil {
			t.Fatalf("no copy: %v", err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Errorf("mode %d: the copy is not JSON: %v", mode, err)
		}
		plain, _ := json.Marshal(v)
		for _, val := range []string{vMobile, vPass, vMob2, vEmail} {
			if strings.Contains(string(plain), val) || strings.Contains(string(raw), val) {
				t.Errorf("mode %d: copy holds a value", mode)
			}
		}
		if n < 5 {
			t.Errorf("mode %d: %d findings, want 5", mode, n)
		}
	}
}
