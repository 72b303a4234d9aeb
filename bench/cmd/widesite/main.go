// Command widesite serves a site whose every page links to many unique URLs,
// for the frontier-memory benchmark (bench/frontier.sh): page /p/N (and "/",
// which links like /p/0) has -links links to /p/{N*links+i}, i < links, so a
// crawl of K pages discovers about K*links URLs. robots.txt allows everything.
//
// Each page reads like a distinct page of a large legitimate site (a
// catalogue): its title, a paragraph and every link's anchor text are words
// drawn deterministically from the page's or the link target's number, so no
// two pages share their text. Pages that differ only in their numbers would
// be near-duplicates to scruple's novelty guard (its simhash folds digits),
// which rightly treats such a site as a trap.
//
//	widesite [-addr 127.0.0.2:0] [-links 1000]
//
// It prints "addr IP:PORT" then "ready". GET /__stats answers JSON:
// requests (all but /__stats), robots, pages (distinct pages served) and
// hrefs (distinct link targets in the pages served: the URLs a crawler of
// those pages has discovered, "/" excluded). The address must be on
// 127.0.0.0/8.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.2:0", "listen address (127.0.0.0/8 only)")
	links := flag.Int("links", 1000, "links per page")
	flag.Parse()
	ap, err := netip.ParseAddrPort(strings.Replace(*addr, ":0", ":1", 1))
	if err != nil || !ap.Addr().Is4() || !ap.Addr().IsLoopback() {
		fmt.Fprintln(os.Stderr, "widesite: -addr must be an IPv4 address in 127.0.0.0/8 with a port")
		os.Exit(2)
	}
	if *links < 1 {
		fmt.Fprintln(os.Stderr, "widesite: -links must be positive")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp4", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "widesite:", err)
		os.Exit(1)
	}
	s := &site{links: *links, served: map[int64]bool{}}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("addr %s\nready\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "widesite:", err)
		os.Exit(1)
	}
	b, _ := json.Marshal(s.stats())
	fmt.Printf("%s\n", b)
}

type site struct {
	links    int
	requests atomic.Int64
	robots   atomic.Int64
	mu       sync.Mutex
	served   map[int64]bool // page numbers served with 200; -1 is "/"
}

type stats struct {
	Requests int64 `json:"requests"`
	Robots   int64 `json:"robots"`
	Pages    int   `json:"pages"`
	Hrefs    int64 `json:"hrefs"`
}

func (s *site) stats() stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := stats{Requests: s.requests.Load(), Robots: s.robots.Load(), Pages: len(s.served)}
	// Pages N have disjoint link ranges; "/" (-1) shares /p/0's range.
	for n := range s.served {
		if n >= 0 || !s.served[0] {
			st.Hrefs += int64(s.links)
		}
	}
	return st
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/__stats":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.stats())
		return
	case p == "/robots.txt":
		s.requests.Add(1)
		s.robots.Add(1)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	case p == "/":
		s.requests.Add(1)
		s.page(w, -1)
		return
	case strings.HasPrefix(p, "/p/"):
		s.requests.Add(1)
		n, err := strconv.ParseInt(p[3:], 10, 64)
		if err != nil || n < 0 || strconv.FormatInt(n, 10) != p[3:] {
			http.NotFound(w, r)
			return
		}
		s.page(w, n)
		return
	}
	s.requests.Add(1)
	http.NotFound(w, r)
}

func (s *site) page(w http.ResponseWriter, n int64) {
	s.mu.Lock()
	s.served[n] = true
	s.mu.Unlock()
	base := n
	if base < 0 {
		base = 0
	}
	base *= int64(s.links)
	var b strings.Builder
	b.Grow(48 * s.links)
	title := words(uint64(n), 3)
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n<h1>%s</h1>\n<p>%s.</p>\n<ul>\n", title, title, words(uint64(n)^0x9e3779b97f4a7c15, 40))
	for i := int64(0); i < int64(s.links); i++ {
		t := base + i
		ts := strconv.FormatInt(t, 10)
		b.WriteString("<li><a href=\"/p/" + ts + "\">" + words(uint64(t), 2) + "</a></li>\n")
	}
	b.WriteString("</ul>\n</body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.Write([]byte(b.String()))
}

// words returns k pseudo-words (letters only, two or three syllables from a
// vocabulary of about 740,000) determined by seed.
func words(seed uint64, k int) string {
	const cons, vows = "bcdfghjklmnprstvwz", "aeiou"
	var b []byte
	x := seed
	for j := 0; j < k; j++ {
		if j > 0 {
			b = append(b, ' ')
		}
		x = splitmix(x)
		r := x
		syl := 2 + int(r%2)
		r /= 2
		for i := 0; i < syl; i++ {
			b = append(b, cons[r%uint64(len(cons))], vows[(r/uint64(len(cons)))%uint64(len(vows))])
			r /= uint64(len(cons) * len(vows))
		}
	}
	return string(b)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
