package report

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan"
)

// scanResults is a scan whose contents the test knows: a CSV with a
// credential, a bulk list, a file named after a phone number, a table, a
// file that failed.
func scanResults() ([]*scan.FileResult, *scan.Summary) {
	f := func(path string, typ pii.Type, n int) []scan.Finding {
		var out []scan.Finding
		inf := pii.Info(typ)
		for i := 0; i < n; i++ {
			out = append(out, scan.Finding{Path: path, Type: typ, Line: i + 1, Col: 1, Level: inf.Level,
				Sensitive: inf.Sensitive, Personal: inf.Personal, Masked: "138****5678", Value: "13812345678"})
		}
		return out
	}
	rs := []*scan.FileResult{
		{Path: "notes.txt", Format: "text", Findings: append(f("notes.txt", pii.Mobile, 2), f("notes.txt", pii.Credential, 1)...)},
		{Path: "list.csv", Format: "csv", Findings: f("list.csv", pii.Mobile, 30), Signals: pii.Signals{Bulk: true, Subjects: 30}},
		{Path: "ids/13700001111.txt", Format: "text", Findings: f("ids/13700001111.txt", pii.ResidentID, 3), NotRedacted: true},
		{Path: "big.log", Format: "text", Findings: f("big.log", pii.Email, 4), More: true},
		{Path: "big.log", Format: "text", Findings: f("big.log", pii.Email, 1)},
		{Path: "clean.txt", Format: "text"},
		{Path: "broken.pdf", Err: errors.New("pdf: malformed xref")},
		{Path: "shop.db", Part: "customers", Format: "sqlite", Findings: f("shop.db", pii.Mobile, 5), Table: &scan.TableSummary{
			Database: "shop.db", Table: "customers", Key: []string{"id"}, Rows: 5, Estimated: -1,
			Columns: []scan.ColumnSummary{{Name: "phone", Type: "TEXT", Values: 5, ByType: map[pii.Type]int{pii.Mobile: 5}},
				{Name: "created", Type: "DATE", Skipped: "not text-like: date"}}}},
	}
	s := &scan.Summary{Files: 7, Scanned: 6, Failed: 1, Skipped: map[string]int{}, Findings: 46, FilesWithFindings: 5,
		ByType:  map[pii.Type]int{pii.Mobile: 37, pii.Credential: 1, pii.ResidentID: 3, pii.Email: 5},
		ByLevel: map[pii.Level]int{pii.C2: 40, pii.C3: 1, "": 5}, Sensitive: 4, Bulk: []string{"list.csv"}}
	s.Tables = []*scan.TableSummary{rs[7].Table}
	return rs, s
}

func TestScanReport(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		var out bytes.Buffer
		w, err := NewScanWriter(&out, lang, "./data")
		if err != nil {
			t.Fatal(err)
		}
		rs, sum := scanResults()
		for _, r := range rs {
			if err := w.File(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(sum); err != nil {
			t.Fatal(err)
		}
		r := w.r
		if r.Status != ScanCritical || !r.Incomplete || len(r.Failed) != 1 {
			t.Errorf("%s: status %s incomplete %v failed %v", lang, r.Status, r.Incomplete, r.Failed)
		}
		var order []string
		for _, p := range r.First {
			order = append(order, p.Where)
		}
		// Credentials first, then the bulk list, then sensitive IDs, then the rest.
		want := []string{"notes.txt", "list.csv", "ids/[cn_mobile].txt"}
		for i, w := range want {
			if i >= len(order) || order[i] != w {
				t.Fatalf("%s: priorities %v, want %v first", lang, order, want)
			}
		}
		byName := map[string]*ScanFile{}
		for _, f := range r.Files {
			byName[f.Name] = f
		}
		if f := byName["big.log"]; f == nil || f.Findings != 5 {
			t.Errorf("%s: a file in two results was not summed: %+v", lang, f)
		}
		if byName["clean.txt"] != nil {
			t.Errorf("%s: a clean file is listed", lang)
		}
		if len(r.Tables) != 1 || r.Tables[0].Findings != 5 || r.Tables[0].Columns[1].Skipped == "" {
			t.Errorf("%s: tables %+v", lang, r.Tables)
		}
		page := out.String()
		for _, v := range []string{"13812345678", "138****5678", "13700001111"} {
			if strings.Contains(page, v) {
				t.Errorf("%s: a value (%d chars) is in the report", lang, len(v))
			}
		}
		for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(page, -1) {
			if !strings.Contains(page, `id="`+m[1]+`"`) {
				t.Errorf("%s: link to #%s lands nowhere", lang, m[1])
			}
		}
		if len(w.t.missing) > 0 {
			t.Errorf("%s: keys not in the catalogue: %v", lang, w.t.missing)
		}
		if strings.Contains(strings.ToLower(page), "<script") {
			t.Error("a script in the page")
		}
	}
}

func TestScanReportClean(t *testing.T) {
	var out bytes.Buffer
	w, _ := NewScanWriter(&out, "en", "x")
	w.File(&scan.FileResult{Path: "a.txt", Format: "text"})
	if err := w.Close(&scan.Summary{Files: 1, Scanned: 1, Skipped: map[string]int{}, ByType: map[pii.Type]int{}, ByLevel: map[pii.Level]int{}}); err != nil {
		t.Fatal(err)
	}
	if w.r.Status != ScanClean || !strings.Contains(out.String(), "NO PERSONAL INFORMATION FOUND") {
		t.Fatalf("status %s", w.r.Status)
	}
}
