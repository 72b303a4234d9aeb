package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// crawlFindsValues runs one --warc crawl of the loopback host srv and
// reports, per label, where the planted value was found (WARC files
// decompressed, every other file of the data directory, the CLI's output);
// an empty string means nowhere. Messages never quote the values.
func crawlFindsValues(t *testing.T, addr string, planted map[string]string) map[string]string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	code, stdout, stderr := runCLI(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0",
		"--max-retries", "1", "--max-retry-wait", "50ms", "--warc", "http://"+addr+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d", code)
	}
	var files bytes.Buffer
	filepath.WalkDir(data, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || strings.Contains(p, string(filepath.Separator)+"warc"+string(filepath.Separator)) {
			return err
		}
		b, _ := os.ReadFile(p)
		files.Write(b)
		return nil
	})
	archive := archiveBytes(t, filepath.Join(data, "warc"))
	found := map[string]string{}
	for label, v := range planted {
		var where []string
		if bytes.Contains(archive, []byte(v)) {
			where = append(where, "WARC")
		}
		if bytes.Contains(files.Bytes(), []byte(v)) {
			where = append(where, "store or data files")
		}
		if strings.Contains(stdout+stderr, v) {
			where = append(where, "output")
		}
		found[label] = strings.Join(where, ", ")
	}
	return found
}

// A plain redirect whose target carries a token or a session value is not
// followed: the value reaches neither a request nor the data directory.
func TestCrawlRedirectWithSecretNotFollowed(t *testing.T) {
	planted := map[string]string{
		"token":      "L0cT0kenPlainRt6Yu",
		"sid":        "S1dPl4inRedirQz5",
		"session":    "Sess10nPlainRd8Kp",
		"jsessionid": "Jsess10nPathRd3Vb",
	}
	var followed atomic.Int32
	srv := serveWitness(t, "127.0.0.1", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, `<html><head><title>home</title></head><body><p>The city library opens at nine.</p>
<a href="/go1">a</a> <a href="/go2">b</a> <a href="/go3">c</a> <a href="/go4">d</a></body></html>`)
		case "/go1":
			http.Redirect(rw, r, "/next?token="+planted["token"], http.StatusFound)
		case "/go2":
			http.Redirect(rw, r, "/next?a=1&sid="+planted["sid"], http.StatusFound)
		case "/go3":
			http.Redirect(rw, r, "/next?session="+planted["session"], http.StatusMovedPermanently)
		case "/go4":
			http.Redirect(rw, r, "/next;jsessionid="+planted["jsessionid"]+"?x=1&token="+planted["token"], http.StatusFound)
		default:
			for _, v := range planted {
				if strings.Contains(r.URL.String(), v) {
					followed.Add(1)
				}
			}
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, "<html><body><p>plain page</p></body></html>")
		}
	})
	for label, where := range crawlFindsValues(t, srv.addr, planted) {
		if where != "" {
			t.Errorf("%s value from a redirect found in: %s", label, where)
		}
	}
	if n := followed.Load(); n > 0 {
		t.Errorf("%d requests carried a redirect's secret value", n)
	}
}

// A malformed header line makes Go's HTTP client fail with an error that
// quotes the line; the record's reason holds a fixed message instead.
func TestCrawlMalformedHeaderErrorNotQuoted(t *testing.T) {
	planted := map[string]string{"malformed header": "Malf0rmedHdrPq2Ws1"}
	srv := serveWitness(t, "127.0.0.1", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, `<html><head><title>home</title></head><body><p>The city library opens at nine.</p>
<a href="/bad">d</a></body></html>`)
		case "/bad":
			hj, _ := rw.(http.Hijacker)
			c, buf, _ := hj.Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nSet-Cookie\t: sid=" + planted["malformed header"] + "\r\nContent-Length: 2\r\n\r\nhi")
			buf.Flush()
			c.Close()
		default:
			http.NotFound(rw, r)
		}
	})
	for label, where := range crawlFindsValues(t, srv.addr, planted) {
		if where != "" {
			t.Errorf("%s value found in: %s", label, where)
		}
	}
}
