package serve

import (
	"archive/tar"
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/provenance"
)

// exportedBundle exports the fixture's store and returns it as a tar.gz.
func (f *fixture) exportedBundle(tamper bool) []byte {
	f.t.Helper()
	signer, verifier, err := provenance.LoadOrCreateKey(f.dir, "serve-test")
	if err != nil {
		f.t.Fatal(err)
	}
	out := filepath.Join(f.t.TempDir(), "bundle")
	if _, err := bundle.Export(f.t.Context(), f.st, signer, verifier, out, bundle.Options{}); err != nil {
		f.t.Fatal(err)
	}
	var es []entry
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if tamper && rel == "records.jsonl" {
			b = bytes.Replace(b, []byte("delivery"), []byte("DELIVERY"), 1)
		}
		es = append(es, entry{name: "bundle/" + filepath.ToSlash(rel), body: string(b)})
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return tarGz(f.t, es)
}

func TestVerifyUpload(t *testing.T) {
	f := newFixture(t)
	good := f.exportedBundle(false)
	var v VerifyView
	r := f.do("POST", "/api/v1/verify", f.tokens[RoleViewer], good, "Content-Type", "application/gzip")
	r.json(t, &v)
	if r.code != 200 || v.TreeSize == 0 || !strings.Contains(v.ReportHTML, "<html") {
		t.Fatalf("verify: %d tree %d", r.code, v.TreeSize)
	}
	if !v.Verified {
		t.Fatalf("a freshly exported bundle does not verify: %+v", v.Issues)
	}
	var tv VerifyView
	f.do("POST", "/api/v1/verify", f.tokens[RoleViewer], f.exportedBundle(true), "Content-Type", "application/gzip").json(t, &tv)
	if tv.Verified || len(tv.Issues) == 0 {
		t.Fatalf("a tampered bundle verified: %+v", tv.Issues)
	}
	// HTML on request, under the report's own CSP.
	r = f.do("POST", "/api/v1/verify", f.tokens[RoleViewer], good, "Content-Type", "application/gzip", "Accept", "text/html")
	if r.code != 200 || !strings.HasPrefix(r.h.Get("Content-Type"), "text/html") || !strings.Contains(r.h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("HTML verify: %d %q", r.code, r.h.Get("Content-Type"))
	}
	// A zip-slip archive is refused before anything is verified.
	r = f.do("POST", "/api/v1/verify", f.tokens[RoleViewer], tarGz(t, []entry{{name: "../../evil", body: "x"}}))
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"archive"`) {
		t.Fatalf("zip-slip upload: %d %s", r.code, r.body)
	}
	r = f.do("POST", "/api/v1/verify", f.tokens[RoleViewer], tarGz(t, []entry{{name: "link", typ: tar.TypeSymlink, link: "/"}}))
	if r.code != http.StatusUnprocessableEntity {
		t.Fatalf("symlink upload: %d", r.code)
	}
	f.srv.cfg.MaxUpload = 512
	r = f.do("POST", "/api/v1/verify", f.tokens[RoleViewer], good)
	if r.code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized upload: %d, want 413", r.code)
	}
	f.checkNoRaw()
}

func TestConsoleVerifyUpload(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signIn(f.tokens[RoleViewer])
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("bundle", "b.tar.gz")
	fw.Write(f.exportedBundle(false))
	mw.Close()
	for _, tt := range []struct {
		csrf string
		code int
	}{{"", 403}, {csrf, 200}} {
		req := httptest.NewRequest("POST", "/verify?csrf="+tt.csrf, bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", "http://example.com")
		req.AddCookie(c)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != tt.code {
			t.Fatalf("csrf %q: %d, want %d", tt.csrf, w.Code, tt.code)
		}
	}
}
