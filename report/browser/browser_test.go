package browser_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/scruple/scruple/internal/testenv"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report"
	"github.com/scruple/scruple/report/browser"
	"github.com/scruple/scruple/report/reporttest"
	"github.com/scruple/scruple/scan"
)

// chromium starts the installed Chromium, or skips the test saying why.
func chromium(t *testing.T) (*browser.Browser, context.Context) {
	t.Helper()
	path, err := browser.Find()
	if err != nil {
		testenv.Missing(t, "chromium", fmt.Sprintf("skipping the browser test: %v (.ci/run installs it)", err))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	b, err := browser.Start(ctx, path)
	if err != nil {
		t.Fatalf("Chromium at %s does not start: %v", path, err)
	}
	t.Cleanup(b.Close)
	return b, ctx
}

// reportFile writes the known scenario's report (tampered when tamper) in
// lang to a file and returns its path.
func reportFile(t *testing.T, lang string, tamper bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	vkey, err := reporttest.Known().Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tamper {
		p := filepath.Join(dir, provenance.RecordsFile)
		b, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(b, []byte("Public text of /p/1."), []byte("Public text of /p/9."), 1), 0o644)
	}
	r, err := report.Build(context.Background(), dir, report.Options{Lang: lang, Key: vkey, Subject: "bundle/"})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := r.WriteHTML(f); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReportInChromium loads the report: no request but the page itself, no
// console error, the verdict readable with and without JavaScript, a PDF of
// several A4 pages, and the first screen as PNG (written to
// docs/report.png with SCRUPLE_UPDATE_SCREENSHOT=1, for the README).
func TestReportInChromium(t *testing.T) {
	b, ctx := chromium(t)
	path := reportFile(t, "en", false)
	u, err := browser.FileURL(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, noScript := range []bool{false, true} {
		tab, err := b.Open(ctx, u, browser.Options{NoScript: noScript, Width: 1100, Height: 1400})
		if err != nil {
			t.Fatal(err)
		}
		defer tab.Close()
		stamp, err := tab.Text(".stamp")
		if err != nil || !strings.Contains(stamp, "VERIFIED") || strings.Contains(stamp, "NOT") {
			t.Fatalf("noScript=%v: verdict %q, %v", noScript, stamp, err)
		}
		if txt, err := tab.Text("#rule-polite"); err != nil || !strings.Contains(txt, "fail") {
			t.Errorf("noScript=%v: checklist row %q, %v", noScript, txt, err)
		}
		p := tab.Page()
		if len(p.Requests) != 1 || p.Requests[0] != u {
			t.Errorf("noScript=%v: requests %v, want only the page", noScript, p.Requests)
		}
		if p.Errors > 0 || len(p.Console) > 0 {
			t.Errorf("noScript=%v: console %v", noScript, p.Console)
		}
		if noScript {
			continue
		}
		if bg, err := tab.Style("#verdict .banner", "background-color"); err != nil || bg != "rgb(31, 122, 58)" {
			t.Errorf("verdict banner colour %q, %v: want green", bg, err)
		}
		pdf, err := tab.PDF()
		if err != nil {
			t.Fatal(err)
		}
		if pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page ")) + bytes.Count(pdf, []byte("/Type /Page/")); !bytes.HasPrefix(pdf, []byte("%PDF-")) || pages < 3 {
			t.Errorf("PDF: %d bytes, %d pages", len(pdf), pages)
		}
		shot, err := tab.Screenshot()
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil || img.Bounds().Dx() != 1100 {
			t.Fatalf("screenshot: %v", err)
		}
		if os.Getenv("SCRUPLE_UPDATE_SCREENSHOT") != "" {
			if err := os.WriteFile(filepath.Join("..", "..", "docs", "report.png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestTamperedInChromium: a tampered bundle's report shows the red verdict,
// in both languages.
func TestTamperedInChromium(t *testing.T) {
	b, ctx := chromium(t)
	for lang, want := range map[string]string{"en": "NOT VERIFIED", "zh": "验证未通过"} {
		u, err := browser.FileURL(reportFile(t, lang, true))
		if err != nil {
			t.Fatal(err)
		}
		tab, err := b.Open(ctx, u, browser.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer tab.Close()
		stamp, err := tab.Text(".stamp")
		if err != nil || !strings.Contains(stamp, want) {
			t.Errorf("%s: verdict %q, %v", lang, stamp, err)
		}
		if bg, err := tab.Style("#verdict .banner", "background-color"); err != nil || bg != "rgb(179, 38, 30)" {
			t.Errorf("%s: verdict banner colour %q, %v: want red", lang, bg, err)
		}
		if issues, err := tab.Text(".issues"); err != nil || !strings.Contains(issues, map[string]string{"en": "Tampered", "zh": "被篡改"}[lang]) {
			t.Errorf("%s: issues %q, %v", lang, issues, err)
		}
		if p := tab.Page(); len(p.Requests) != 1 || p.Errors > 0 {
			t.Errorf("%s: requests %v, console %v", lang, p.Requests, p.Console)
		}
	}
}

// TestPrintPDF is the path `scruple report --pdf` takes.
func TestPrintPDF(t *testing.T) {
	path, err := browser.Find()
	if err != nil {
		testenv.Missing(t, "chromium", fmt.Sprintf("skipping the browser test: %v (.ci/run installs it)", err))
	}
	out := filepath.Join(t.TempDir(), "report.pdf")
	if err := browser.PrintPDF(context.Background(), path, reportFile(t, "zh", false), out, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 20_000 {
		t.Fatalf("PDF: %d bytes, %v", len(b), err)
	}
}

func TestFindNamesTheFix(t *testing.T) {
	t.Setenv("SCRUPLE_CHROMIUM", filepath.Join(t.TempDir(), "no-such-chromium"))
	if _, err := browser.Find(); err == nil || !strings.Contains(err.Error(), "SCRUPLE_CHROMIUM") {
		t.Fatalf("Find with a missing SCRUPLE_CHROMIUM: %v", err)
	}
	t.Setenv("SCRUPLE_CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := browser.Find(); err != browser.ErrNoBrowser || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Fatalf("Find without Chromium: %v", err)
	}
}

// TestWatchersSeeRequestsAndErrors is the control of the tests above: a page
// that does load something and does log an error is seen doing so.
func TestWatchersSeeRequestsAndErrors(t *testing.T) {
	b, ctx := chromium(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a"))
	}))
	defer srv.Close()
	page := filepath.Join(t.TempDir(), "bad.html")
	os.WriteFile(page, []byte(`<!DOCTYPE html><html><head><title>bad</title></head><body><img src="`+srv.URL+`/pixel.gif">`+
		`<script>console.error("boom")</script><p class="stamp">x</p></body></html>`), 0o644)
	u, _ := browser.FileURL(page)
	tab, err := b.Open(ctx, u, browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := tab.Page()
		if len(p.Requests) >= 2 && p.Errors >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the watchers missed a request or an error: %+v", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestScanReportInChromium: the self-inspection report loads as cleanly.
func TestScanReportInChromium(t *testing.T) {
	b, ctx := chromium(t)
	path := filepath.Join(t.TempDir(), "scan.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := report.NewScanWriter(f, "zh", "./data")
	if err != nil {
		t.Fatal(err)
	}
	w.File(&scan.FileResult{Path: "a.csv", Format: "csv", Findings: []scan.Finding{{Path: "a.csv", Type: pii.Mobile, Row: 2,
		Column: "phone", Level: pii.C2, Personal: true, Masked: "138****5678"}}})
	if err := w.Close(&scan.Summary{Files: 1, Scanned: 1, Findings: 1, FilesWithFindings: 1, Skipped: map[string]int{},
		ByType: map[pii.Type]int{pii.Mobile: 1}, ByLevel: map[pii.Level]int{pii.C2: 1}}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	u, _ := browser.FileURL(path)
	tab, err := b.Open(ctx, u, browser.Options{NoScript: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	if stamp, err := tab.Text(".stamp"); err != nil || !strings.Contains(stamp, "发现个人信息") {
		t.Errorf("verdict %q, %v", stamp, err)
	}
	if p := tab.Page(); len(p.Requests) != 1 || p.Errors > 0 || len(p.Console) > 0 {
		t.Errorf("requests %v, console %v", p.Requests, p.Console)
	}
}
