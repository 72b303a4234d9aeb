// Command docsite serves directories of real HTML documentation on loopback
// addresses, one directory per host, for the crawl benchmark's second corpus
// (bench/crawl.sh CORPUS=docs; see BENCHMARKS.md).
//
// The corpus is the HTML of three Debian packages: postgresql-doc-15,
// python3.11-doc and debian-reference-zh-cn (hand-written pages of very
// different sizes, English and Chinese, real link structures), which no one on
// this project wrote. Each host serves one directory:
//
//	docsite -dir pg=/usr/share/doc/postgresql-doc-15/html \
//	        -dir py=/usr/share/doc/python3.11/html \
//	        -dir debref=/usr/share/debian-reference [-first-ip 127.0.0.2]
//
// It prints the same lines as internal/testweb/cmd/testweb, so bench/crawl.sh
// drives both alike: "NAME IP:PORT" per host (NAME is "<label>.docs.test"),
// "seed URL" per host, then "ready". GET /__stats on any host returns the
// requests served per host as JSON ({"served":{NAME:N},"total":N,
// "distinct":D}); D counts distinct request URIs (host, path and query) since
// start or the last GET /__reset, so a script can check that two crawlers
// fetched the same set of pages.
//
// Every host has a robots.txt (allow all but /_sources/ and /_downloads/, so
// robots matching is exercised) and serves files only: a directory without an
// index.html answers 404 rather than a generated listing, so both crawlers see
// the same pages. No compression is offered (as testweb). Links to other
// sites (python.org, postgresql.org ...) are out of both crawlers' scope and
// never requested: both are given the seed hosts only.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const robotsTxt = "User-agent: *\nDisallow: /_sources/\nDisallow: /_downloads/\n"

type dirs []string

func (d *dirs) String() string     { return strings.Join(*d, ",") }
func (d *dirs) Set(s string) error { *d = append(*d, s); return nil }

type host struct {
	name string
	root string
	ln   net.Listener
	n    atomic.Int64
}

// seen is the set of request URIs served since the last reset, across hosts.
type seen struct {
	mu  sync.Mutex
	set map[string]struct{}
}

func (s *seen) add(k string) {
	s.mu.Lock()
	s.set[k] = struct{}{}
	s.mu.Unlock()
}

func (s *seen) reset() {
	s.mu.Lock()
	s.set = map[string]struct{}{}
	s.mu.Unlock()
}

func (s *seen) len() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.set))
}

func main() {
	var ds dirs
	flag.Var(&ds, "dir", "LABEL=DIRECTORY to serve on one host (repeatable)")
	firstIP := flag.String("first-ip", "127.0.0.2", "loopback address of the first host")
	port := flag.Int("port", 0, "port shared by all hosts (0: pick a free one)")
	flag.Parse()
	if len(ds) == 0 {
		fmt.Fprintln(os.Stderr, "usage: docsite -dir LABEL=DIR [-dir ...] [-first-ip 127.0.0.2]")
		os.Exit(2)
	}
	if err := run(ds, *firstIP, *port); err != nil {
		fmt.Fprintln(os.Stderr, "docsite:", err)
		os.Exit(1)
	}
}

func run(ds dirs, firstIP string, port int) error {
	ip := net.ParseIP(firstIP).To4()
	if ip == nil || ip[0] != 127 {
		return fmt.Errorf("-first-ip %q is not in 127.0.0.0/8", firstIP)
	}
	var hosts []*host
	for i, d := range ds {
		label, dir, ok := strings.Cut(d, "=")
		if !ok || label == "" || dir == "" {
			return fmt.Errorf("-dir %q: want LABEL=DIRECTORY", d)
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("-dir %q: not a directory", dir)
		}
		a := net.IPv4(127, ip[1], ip[2], ip[3]+byte(i))
		ln, err := net.Listen("tcp", net.JoinHostPort(a.String(), fmt.Sprint(port)))
		if err != nil {
			return err
		}
		if port == 0 { // every host on the port the first one got, as testweb does
			port = ln.Addr().(*net.TCPAddr).Port
		}
		hosts = append(hosts, &host{name: label + ".docs.test", root: dir, ln: ln})
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var wg sync.WaitGroup
	var servers []*http.Server
	uris := &seen{set: map[string]struct{}{}}
	for _, h := range hosts {
		srv := &http.Server{Handler: handler(h, hosts, uris), ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		wg.Add(1)
		go func() { defer wg.Done(); _ = srv.Serve(h.ln) }()
	}
	for _, h := range hosts {
		fmt.Printf("%s %s\n", h.name, h.ln.Addr())
	}
	for _, h := range hosts {
		fmt.Printf("seed http://%s/\n", h.ln.Addr())
	}
	fmt.Println("ready")
	<-ctx.Done()
	for _, s := range servers {
		_ = s.Close()
	}
	wg.Wait()
	b, _ := json.Marshal(stats(hosts, uris))
	fmt.Printf("%s\n", b)
	return nil
}

type statsBody struct {
	Served   map[string]int64 `json:"served"`
	Total    int64            `json:"total"`
	Distinct int64            `json:"distinct"`
}

func stats(hosts []*host, uris *seen) statsBody {
	s := statsBody{Served: map[string]int64{}, Distinct: uris.len()}
	for _, h := range hosts {
		n := h.n.Load()
		s.Served[h.name] = n
		s.Total += n
	}
	return s
}

func handler(h *host, all []*host, uris *seen) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/__stats":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(stats(all, uris))
			return
		case "/__reset":
			uris.reset()
			return
		}
		h.n.Add(1)
		uris.add(h.name + r.URL.RequestURI())
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte(robotsTxt))
			return
		}
		p := path.Clean("/" + r.URL.Path) // no escape from the root
		if strings.HasSuffix(r.URL.Path, "/") {
			p = path.Join(p, "index.html")
		}
		f := filepath.Join(h.root, filepath.FromSlash(p))
		st, err := os.Stat(f)
		if err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		// ServeFile would redirect ".../index.html" to ".../"; ServeContent
		// serves the bytes as they are, with the type from the extension.
		fh, err := os.Open(f)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer fh.Close()
		http.ServeContent(w, r, f, st.ModTime(), fh)
	})
}
