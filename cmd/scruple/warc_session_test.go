package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One real --warc crawl of a host that hands the crawler session values in
// the ways a server can: each planted value is looked for in every byte the
// crawl writes (WARC files decompressed).
func TestWARCCrawlSessionValues(t *testing.T) {
	planted := map[string]string{
		"folded Set-Cookie":       "FoldS3ss10nQw8Er7Ty",
		"X-Auth-Token":            "Xauth7Tk3nZx9Cv8Bn",
		"jsessionid in body link": "J5ess10nBodyLk4Mn3",
	}
	// A malformed header line the transport quotes in its error: the error
	// is the record's reason. Only the WARC is checked for it (the store's
	// reason comes from the crawler).
	const malformed = "Malf0rmedHdrPq2Ws1"
	srv := serveWitness(t, "127.0.0.1", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, `<html><head><title>home</title></head><body><p>The city library opens at nine.</p>
<a href="/fold">a</a> <a href="/tok">b</a> <a href="/jsp">c</a> <a href="/bad">d</a></body></html>`)
		case "/fold":
			rw.Header().Add("Set-Cookie", "lang=en; Path=/, SESSIONID="+planted["folded Set-Cookie"]+"; HttpOnly")
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, "<html><body><p>The museum opens at ten.</p></body></html>")
		case "/tok":
			rw.Header().Set("X-Auth-Token", planted["X-Auth-Token"])
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, "<html><body><p>The garden opens at eight.</p></body></html>")
		case "/jsp":
			v := planted["jsessionid in body link"]
			rw.Header().Add("Set-Cookie", "JSESSIONID="+v+"; Path=/; HttpOnly")
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(rw, `<html><body><p>The bridge opens at noon.</p><a href="/jsp2;jsessionid=%s">more</a></body></html>`, v)
		case "/bad":
			hj, _ := rw.(http.Hijacker)
			c, buf, _ := hj.Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nSet-Cookie\t: sid=" + malformed + "\r\nContent-Length: 2\r\n\r\nhi")
			buf.Flush()
			c.Close()
		default:
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, "<html><body><p>plain page</p></body></html>")
		}
	})
	data := filepath.Join(t.TempDir(), "data")
	code, stdout, stderr := runCLI(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0",
		"--max-retries", "1", "--max-retry-wait", "50ms", "--warc", "http://"+srv.addr+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d\n%s", code, stderr)
	}
	var all bytes.Buffer
	filepath.WalkDir(data, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		if strings.Contains(p, "/warc/") {
			return nil
		}
		raw, _ := os.ReadFile(p)
		all.Write(raw)
		return nil
	})
	warcOnly := archiveBytes(t, filepath.Join(data, "warc"))
	if i := bytes.Index(warcOnly, []byte(malformed)); i >= 0 {
		t.Errorf("malformed header line: in WARC at byte %d of %d", i, len(warcOnly))
	}
	for label, v := range planted {
		inWARC := bytes.Contains(warcOnly, []byte(v))
		inData := bytes.Contains(all.Bytes(), []byte(v))
		inOut := strings.Contains(stdout+stderr, v)
		if inWARC || inData || inOut {
			t.Errorf("%s: in WARC %v, in store/data files %v, printed %v", label, inWARC, inData, inOut)
			if i := bytes.Index(warcOnly, []byte(v)); i >= 0 {
				t.Logf("  first WARC occurrence at byte %d of %d", i, len(warcOnly))
			}
		}
	}
}
