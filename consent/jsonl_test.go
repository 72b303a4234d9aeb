package consent

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

func line(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	g := good()
	m := map[string]any{
		"subject_type": g.SubjectType, "subject": g.Subject, "types": g.Types, "purpose": g.Purpose,
		"processor": g.Processor, "recipients": g.Recipients, "method": g.Method, "evidence": g.Evidence,
		"granted_at": g.GrantedAt, "expires_at": g.ExpiresAt, "separate": false, "guardian": false,
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseJSONL(t *testing.T) {
	dir := t.TempDir()
	form := filepath.Join(dir, "form.pdf")
	if err := os.WriteFile(form, []byte("signed form"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("signed form"))
	lines := []string{
		line(t, nil), // 1 good
		"",           // 2 blank: skipped
		line(t, func(m map[string]any) { m["types"] = []string{"*"} }),            // 3 wildcard
		line(t, func(m map[string]any) { m["purpose"] = "any purpose" }),          // 4 vague
		`{"subject_type": "cn_mobile", "subject": "13812345678", "types": [`,      // 5 broken JSON
		line(t, func(m map[string]any) { m["expires"] = "2027-01-01T00:00:00Z" }), // 6 unknown field
		line(t, func(m map[string]any) { // 7 good, another subject, evidence file
			m["subject"], m["evidence"], m["evidence_file"] = "13912345678", nil, form
		}),
		line(t, nil), // 8 duplicate of 1
		line(t, func(m map[string]any) { m["granted_at"] = "13812345678" }), // 9 bad time
		line(t, func(m map[string]any) { m["subject"] = "15412345678" }),    // 10 invalid subject
		line(t, nil) + " }", // 11 trailing data
		"\t" + line(t, func(m map[string]any) { // 12 good, sensitive with separate, CRLF-ish whitespace
			m["subject_type"], m["subject"], m["types"], m["separate"] = "cn_resident_id", "11010519491231002X", []string{"cn_resident_id"}, true
		}) + "\r",
		line(t, func(m map[string]any) { m["evidence_file"] = filepath.Join(dir, "missing.pdf") }), // 13
		line(t, func(m map[string]any) { m["recipients"] = []string{"partners"} }),                 // 14
	}
	in := "\ufeff" + strings.Join(lines, "\n") // a BOM, and no final newline
	ok, errs := ParseJSONL(strings.NewReader(in), testKey, now, 0)
	if len(ok) != 3 {
		t.Errorf("%d good lines, want 3", len(ok))
	}
	wantErr := map[int]string{
		3:  `types: "*" is a wildcard`,
		4:  `purpose: "any purpose" is blanket consent`,
		5:  "not a grant object",
		6:  `unknown field "expires"`,
		8:  "the same grant as line 1",
		9:  "not an RFC 3339 time",
		10: "subject: not a valid cn_mobile",
		11: "more than one JSON value",
		13: "evidence_file",
		14: "recipients[0]",
	}
	got := map[int]string{}
	for _, e := range errs {
		got[e.Line] = e.Error()
		if strings.Contains(e.Error(), "13812345678") || strings.Contains(e.Error(), "11010519491231002X") {
			t.Errorf("line %d: error message holds a raw identifier", e.Line)
		}
	}
	for n, w := range wantErr {
		if !strings.Contains(got[n], w) {
			t.Errorf("line %d: error %q, want %q", n, got[n], w)
		}
	}
	if len(errs) != len(wantErr) {
		t.Errorf("%d errors, want %d: %v", len(errs), len(wantErr), errs)
	}
	if len(ok) == 3 {
		if ok[1].Evidence != hex.EncodeToString(sum[:]) {
			t.Errorf("evidence_file not hashed into evidence")
		}
		if ok[2].SubjectType != string(pii.ResidentID) || !ok[2].Separate {
			t.Errorf("third good line wrong")
		}
		for _, c := range ok {
			b, _ := json.Marshal(c)
			if strings.Contains(string(b), "1381234") || strings.Contains(string(b), "1391234") || strings.Contains(string(b), "1949123") {
				t.Errorf("a consent record holds a raw identifier")
			}
		}
	}
}

func TestParseJSONLLimits(t *testing.T) {
	long := `{"purpose": "` + strings.Repeat("x", maxLineLen) + `"}`
	in := long + "\n" + line(t, nil) + "\n"
	ok, errs := ParseJSONL(strings.NewReader(in), testKey, now, 0)
	if len(ok) != 1 || len(errs) != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Error(), "line longer than") {
		t.Errorf("overlong line: %d ok, errors %v", len(ok), errs)
	}
	_, errs = ParseJSONL(strings.NewReader(line(t, nil)), []byte("short"), now, 0)
	if len(errs) != 1 || errs[0].Line != 0 {
		t.Errorf("short key: %v", errs)
	}
	ok, errs = ParseJSONL(strings.NewReader(""), testKey, now, 0)
	if len(ok) != 0 || len(errs) != 0 {
		t.Errorf("empty input: %v %v", ok, errs)
	}
}

// FuzzParseJSONL checks that no input panics, that every line is either
// kept or reported, and that no kept consent is blanket.
func FuzzParseJSONL(f *testing.F) {
	f.Add([]byte(`{"subject_type":"cn_mobile","subject":"+86 138 1234 5678","types":["cn_mobile"],"purpose":"order delivery notices by SMS","processor":"Example Co","recipients":["none"],"method":"signed form","evidence":"` + digest + `","granted_at":"2026-02-28T12:00:00Z","expires_at":"2026-05-01T00:00:00Z"}`))
	f.Add([]byte("{}\n\n[1,2]\n{\"types\":[\"*\"]}"))
	f.Add([]byte(`{"subject_type":"address","subject":"北京市朝阳区建国路88号"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ok, _ := ParseJSONL(strings.NewReader(string(data)), testKey, now, 0)
		for _, c := range ok {
			if len(c.Types) == 0 || c.Purpose == "" || c.ExpiresAt.IsZero() || len(c.Subject) != 64 {
				t.Fatalf("blanket consent kept")
			}
		}
	})
}
