package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scruple/scruple/internal/warctest"
)

// Values planted by the hostile privacy web. None may appear in any byte the
// crawl writes; they are never printed (a failure names the value's label).
var hostilePlanted = []struct{ label, value string }{
	{"password", "Pa55w0rdXyzSecret"},
	{"mobile in robots redirect", "13912345678"},
	{"mobile in credential link", "15023456789"},
	{"mobile in unreachable robots redirect", "18634567890"},
	{"ID number in Location", "11010519491231002X"},
	{"ID number in credential Location", "440524188001010014"},
	{"e-mail in Location", "wei.zhang@163.com"},
	{"e-mail in Location, escaped", "wei.zhang%40163.com"},
	{"token in robots redirect", "tok1a2b3c4d5e6f7a8b9c"},
	{"token in credential Location", "tok2b3c4d5e6f7a8b9c0d"},
	{"session id in Location", "sess3c4d5e6f7a8b9c0d1e"},
	{"token in unreachable robots redirect", "tok4d5e6f7a8b9c0d1e2f"},
	{"token in password-only redirect", "tok5e6f7a8b9c0d1e2f3a"},
}

func hostileValue(label string) string {
	for _, p := range hostilePlanted {
		if p.label == label {
			return p.value
		}
	}
	panic("no planted value " + label)
}

// witness is a loopback server that counts requests carrying credentials.
type witness struct {
	srv         *http.Server
	addr        string
	credentials atomic.Int32
}

func serveWitness(t *testing.T, ip string, h func(w *witness, rw http.ResponseWriter, r *http.Request)) *witness {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("listen %s: %v", ip, err)
	}
	w := &witness{addr: ln.Addr().String()}
	w.srv = &http.Server{Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" || r.Header.Get("Proxy-Authorization") != "" {
			w.credentials.Add(1)
		}
		h(w, rw, r)
	})}
	go w.srv.Serve(ln)
	t.Cleanup(func() { w.srv.Close() })
	return w
}

// deadAddr is a loopback address nothing listens on.
func deadAddr(t *testing.T, ip string) string {
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("listen %s: %v", ip, err)
	}
	a := ln.Addr().String()
	ln.Close()
	return a
}

// TestHostileURLsNeverLeak crawls hosts whose robots.txt, redirects and links
// carry credentials, tokens and personal identifiers, with the archive on,
// exports, and asserts that no planted value (nor the password) is in any
// byte of the data directory (SQLite files and WAL included), the WARC
// files, records.jsonl, log.jsonl or stderr; and that no server ever saw a
// credential header (issue 10 items 8 and 9).
func TestHostileURLsNeverLeak(t *testing.T) {
	pw := hostileValue("password")
	// b: the target of robots.txt redirects carrying user:password@. It must
	// never be asked anything with credentials.
	b := serveWitness(t, "127.0.0.2", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, "User-agent: *\nAllow: /\n")
	})
	deadC := deadAddr(t, "127.0.0.4")
	a := serveWitness(t, "127.0.0.1", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		self := "http://" + w.addr
		switch r.URL.Path {
		case "/robots.txt":
			http.Redirect(rw, r, "http://user:"+pw+"@"+b.addr+"/robots.txt?phone="+hostileValue("mobile in robots redirect")+
				"&token="+hostileValue("token in robots redirect"), http.StatusFound)
		case "/":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(rw, `<html><head><title>hostile</title></head><body><p>Links that must not leak.</p>
<a href="/redir-pi">a</a> <a href="/redir-cred">b</a> <a href="/redir-bad">c</a> <a href="/redir-pwonly">d</a>
<a href="http://user:%s@%s/u/%s/">e</a> <a href="http://user:%s@%s/plain/">f</a></body></html>`,
				pw, w.addr, hostileValue("mobile in credential link"), pw, w.addr)
		case "/redir-pi":
			http.Redirect(rw, r, "/people/"+hostileValue("e-mail in Location")+"/"+hostileValue("ID number in Location")+"/", http.StatusFound)
		case "/redir-cred":
			rw.Header().Set("Location", "http://user:"+pw+"@"+w.addr+"/people/"+hostileValue("ID number in credential Location")+
				"/?token="+hostileValue("token in credential Location"))
			rw.WriteHeader(http.StatusMovedPermanently)
		case "/redir-bad":
			rw.Header().Set("Location", self+"/x%zz/"+hostileValue("e-mail in Location, escaped")+"?sessionid="+hostileValue("session id in Location"))
			rw.WriteHeader(http.StatusFound)
		case "/redir-pwonly":
			rw.Header().Set("Location", "http://user:"+pw+"@"+w.addr+"/?token="+hostileValue("token in password-only redirect"))
			rw.WriteHeader(http.StatusFound)
		default:
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(rw, "<html><body><p>plain page</p></body></html>")
		}
	})
	// c: robots.txt redirects to an address nothing listens on, with a
	// phone number and a token in the query: unreachable, then deferred.
	c := serveWitness(t, "127.0.0.3", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.Redirect(rw, r, "http://"+deadC+"/robots.txt?phone="+hostileValue("mobile in unreachable robots redirect")+
				"&access_token="+hostileValue("token in unreachable robots redirect"), http.StatusFound)
			return
		}
		fmt.Fprint(rw, "<html><body>never fetched</body></html>")
	})
	// d: robots.txt redirects to user:password@ with a token only (nothing
	// a personal-information screen would see).
	d := serveWitness(t, "127.0.0.5", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			rw.Header().Set("Location", "http://user:"+pw+"@"+b.addr+"/robots.txt?token="+hostileValue("token in password-only redirect"))
			rw.WriteHeader(http.StatusFound)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, "<html><body><p>d page</p></body></html>")
	})

	data := filepath.Join(t.TempDir(), "data")
	code, stdout, stderr := runCLI(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0",
		"--robots-backoff", "50ms", "--max-retries", "1", "--warc", "--log-format", "json",
		"http://"+a.addr+"/", "http://"+c.addr+"/", "http://"+d.addr+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d", code)
	}
	out := filepath.Join(t.TempDir(), "bundle")
	code, stdout2, stderr2 := runCLI(t, "export", "--data", data, "--out", out)
	if code != 0 {
		t.Fatalf("export exit %d", code)
	}
	if code, _, _ := runCLI(t, "verify", out); code != 0 {
		t.Error("the bundle does not verify")
	}
	warctest.Dir(t, filepath.Join(data, "warc"))
	warctest.Dir(t, filepath.Join(out, "warc"))

	for _, w := range []*witness{a, b, c, d} {
		if n := w.credentials.Load(); n != 0 {
			t.Errorf("server %s saw %d requests with credentials", w.addr, n)
		}
	}
	// Every byte written: the data directory (store, WAL, keys, WARC files
	// decompressed), the bundle, and what the commands printed.
	var all bytes.Buffer
	for _, dir := range []string{data, out} {
		filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return err
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			all.Write(raw)
			return nil
		})
	}
	all.Write(archiveBytes(t, filepath.Join(data, "warc")))
	if os.Getenv("HOSTILE_DEBUG") != "" {
		whereLeaked(t, data, out)
	}
	printed := stdout + stderr + stdout2 + stderr2
	for _, p := range hostilePlanted {
		vs := []string{p.value}
		if l := strings.ToLower(p.value); l != p.value {
			vs = append(vs, l)
		}
		for _, v := range vs {
			if bytes.Contains(all.Bytes(), []byte(v)) {
				t.Errorf("%s is in the data directory, the WARC files or the bundle", p.label)
			}
			if strings.Contains(printed, v) {
				t.Errorf("%s is in the commands' output", p.label)
			}
		}
	}
	// Every robots.txt and record entry states what was observed on the
	// wire: no credentials.
	logs, _ := os.ReadFile(filepath.Join(out, "log.jsonl"))
	robotsEntries := 0
	for _, line := range bytes.Split(logs, []byte("\n")) {
		robotsEntry := bytes.Contains(line, []byte(`"kind":"robots"`))
		if robotsEntry {
			robotsEntries++
		}
		if (robotsEntry || bytes.Contains(line, []byte(`"kind":"record"`))) && !bytes.Contains(line, []byte(`"credentials_sent":false`)) {
			t.Errorf("log entry %d has no credentials_sent false", robotsEntries)
		}
	}
	if robotsEntries < 3 {
		t.Errorf("%d robots.txt entries in the log, want one per host at least", robotsEntries)
	}
}

// whereLeaked names, for debugging, the files holding a planted value, with
// the value itself replaced in the context shown.
func whereLeaked(t *testing.T, dirs ...string) {
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return err
			}
			raw, _ := os.ReadFile(p)
			if strings.Contains(p, "warc") && !strings.HasSuffix(p, ".cdxj") {
				raw = archiveBytes(t, filepath.Dir(p))
			}
			for _, pl := range hostilePlanted {
				if i := bytes.Index(raw, []byte(pl.value)); i >= 0 {
					ctx := string(raw[max(0, i-150):min(len(raw), i+len(pl.value)+60)])
					for _, q := range hostilePlanted {
						ctx = strings.ReplaceAll(ctx, q.value, "<"+q.label+">")
					}
					t.Logf("%s in %s: %q", pl.label, filepath.Base(p), ctx)
				}
			}
			return nil
		})
	}
}
