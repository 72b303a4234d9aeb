package warc

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRobotsExchanges: every robots.txt exchange is archived; a clean file
// as request and response, a file with a planted value or a content coding
// never raw, a failed fetch as a metadata record.
func TestRobotsExchanges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/clean/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
		case "/personal/robots.txt":
			io.WriteString(w, "# webmaster mobile "+plantPhone+"\nUser-agent: *\nDisallow:\n")
		case "/gzip/robots.txt":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, "# "+plantMail+"\nUser-agent: *\n")
			zw.Close()
		case "/moved/robots.txt":
			http.Redirect(w, r, "/clean/robots.txt", http.StatusMovedPermanently)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	hc := w.RobotsClient(&http.Client{Transport: &http.Transport{DisableCompression: true}}, testDecider())
	for _, p := range []string{"/clean/robots.txt", "/personal/robots.txt", "/gzip/robots.txt", "/moved/robots.txt"} {
		resp, err := hc.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	dead := w.RobotsClient(&http.Client{}, testDecider())
	if _, err := dead.Get("http://127.0.0.1:1/robots.txt"); err == nil {
		t.Fatal("port 1 answered")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs := allRecords(t, dir)
	var responses, conversions, revisits int
	for _, r := range recs {
		switch r.Type {
		case TypeResponse:
			responses++
			if strings.Contains(r.URI, "/personal/") || strings.Contains(r.URI, "/gzip/") {
				t.Errorf("%s archived raw", r.URI)
			}
		case TypeConversion:
			conversions++
		case TypeRevisit:
			revisits++
		}
	}
	// clean and the redirect hop: responses; the redirect's target is the
	// clean file again: a revisit; personal and gzip: conversions.
	if responses != 2 || revisits != 1 || conversions != 2 {
		t.Errorf("%d responses, %d revisits, %d conversions", responses, revisits, conversions)
	}
	all := decompressed(t, dir)
	for _, want := range []string{"Disallow: /private/", "# webmaster mobile [cn_mobile]", "robots.txt unreachable", "content-coded body (gzip)"} {
		if !bytes.Contains(all, []byte(want)) {
			t.Errorf("archive lacks %q", want)
		}
	}
	assertNoPlanted(t, dir, plantPhone, plantMail)
}
