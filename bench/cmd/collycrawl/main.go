// Command collycrawl is the Colly v2 side of the crawl benchmark (see
// bench/crawl.sh and BENCHMARKS.md). It crawls from the seed URLs with the
// same limits as `scruple crawl --per-host P --concurrency C --delay 0`:
//
//   - robots.txt obeyed (IgnoreRobotsTxt = false);
//   - colly.Async(true), unlimited depth, no delays;
//   - at most P requests in flight per host: one LimitRule{DomainGlob:
//     "HOST:PORT", Parallelism: P} per seed host. (A single rule
//     {DomainGlob: "*", Parallelism: P} would cap the whole crawl at P in
//     flight, because a Colly rule has one semaphore shared by every host
//     it matches);
//   - at most C requests in flight in total: a semaphore in the transport,
//     held from the request until the response body is closed;
//   - AllowedDomains = the seed hosts. Colly compares AllowedDomains with
//     URL.Hostname(), i.e. without the port, so the list holds bare IPs
//     (all hosts of the synthetic web share one port);
//   - every a[href] is followed, without its #fragment (Colly's visited set
//     keys on the URL as written, so "a.html#x" and "a.html#y" would each
//     be fetched; a user crawling real sites strips fragments, as scruple's
//     canonicaliser does); no body is stored. Per page it keeps the
//     title and the length of the body text (the minimal extraction work),
//     then forgets them;
//   - no cookie jar, keep-alive connections like scruple's transport
//     (MaxIdleConnsPerHost 16, MaxIdleConns 256).
//
// It prints one line: "pages N robots R errors E text_bytes T ...". With
// -verify it also counts the distinct URLs it fetched (Colly's visited check
// is not atomic in async mode, so a few pages are fetched twice).
//
//	collycrawl -per-host 4 -concurrency 32 http://127.0.0.2:PORT/ ...
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
)

func main() {
	perHost := flag.Int("per-host", 4, "maximum requests in flight to one host")
	concurrency := flag.Int("concurrency", 32, "maximum requests in flight in total")
	text := flag.Bool("text", true, "compute the title and body text length of every page")
	verify := flag.Bool("verify", false, "also count distinct URLs fetched (a check, not for timed runs)")
	flag.Parse()
	seeds := flag.Args()
	if len(seeds) == 0 || *perHost < 1 || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "usage: collycrawl [-per-host P] [-concurrency C] SEED...")
		os.Exit(2)
	}

	var hostnames, hostports []string
	for _, s := range seeds {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			fmt.Fprintf(os.Stderr, "collycrawl: bad seed %q\n", s)
			os.Exit(2)
		}
		hostnames = append(hostnames, u.Hostname())
		hostports = append(hostports, u.Host)
	}

	c := colly.NewCollector(
		colly.Async(true),
		colly.MaxDepth(0), // unlimited
		colly.AllowedDomains(hostnames...),
	)
	c.IgnoreRobotsTxt = false
	c.DisableCookies()
	c.SetRequestTimeout(30 * time.Second)

	lt := &limitTransport{
		sem: make(chan struct{}, *concurrency),
		rt: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:   true,
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     60 * time.Second,
		},
	}
	c.WithTransport(lt)

	for _, hp := range hostports {
		// LimitRule matches against URL.Host, which carries the port.
		if err := c.Limit(&colly.LimitRule{DomainGlob: hp, Parallelism: *perHost}); err != nil {
			fmt.Fprintln(os.Stderr, "collycrawl:", err)
			os.Exit(1)
		}
	}

	var pages, errs, textBytes, titleBytes, bodyBytes atomic.Int64
	var seenMu sync.Mutex
	seen := map[string]int{}
	c.OnResponse(func(r *colly.Response) {
		pages.Add(1)
		bodyBytes.Add(int64(len(r.Body)))
		if *verify {
			seenMu.Lock()
			seen[r.Request.URL.String()]++
			seenMu.Unlock()
		}
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		link := e.Request.AbsoluteURL(e.Attr("href"))
		if i := strings.IndexByte(link, '#'); i >= 0 {
			link = link[:i]
		}
		_ = e.Request.Visit(link) // errors: already visited, robots, domain
	})
	if *text {
		c.OnHTML("html", func(e *colly.HTMLElement) {
			titleBytes.Add(int64(len(strings.TrimSpace(e.DOM.Find("title").First().Text()))))
			textBytes.Add(int64(len(strings.TrimSpace(e.DOM.Find("body").Text()))))
		})
	}
	c.OnError(func(r *colly.Response, err error) { errs.Add(1) })

	start := time.Now()
	for _, s := range seeds {
		// A seed may already be queued from a link on a page fetched meanwhile.
		var av *colly.AlreadyVisitedError
		if err := c.Visit(s); err != nil && !errors.As(err, &av) {
			fmt.Fprintf(os.Stderr, "collycrawl: seed %s: %v\n", s, err)
		}
	}
	c.Wait()
	el := time.Since(start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("pages %d robots %d requests %d errors %d body_bytes %d title_bytes %d text_bytes %d elapsed %.3fs pages_per_s %.1f heap_sys_mb %.1f\n",
		pages.Load(), lt.robots.Load(), lt.requests.Load(), errs.Load(), bodyBytes.Load(), titleBytes.Load(), textBytes.Load(),
		el.Seconds(), float64(pages.Load())/el.Seconds(), float64(ms.HeapSys)/(1<<20))
	if *verify {
		twice := 0
		for _, n := range seen {
			twice += n - 1
		}
		fmt.Printf("verify: distinct URLs fetched %d, extra fetches of an already fetched URL %d\n", len(seen), twice)
	}
}

// limitTransport caps the requests in flight in total: a slot is taken before
// the request is sent and given back when the response body is closed.
type limitTransport struct {
	sem      chan struct{}
	rt       http.RoundTripper
	requests atomic.Int64
	robots   atomic.Int64
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.sem <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	t.requests.Add(1)
	if req.URL.Path == "/robots.txt" {
		t.robots.Add(1)
	}
	resp, err := t.rt.RoundTrip(req)
	if err != nil {
		<-t.sem
		return nil, err
	}
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: func() { <-t.sem }}
	return resp, nil
}

type releaseBody struct {
	io.ReadCloser
	release func()
	done    atomic.Bool
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	if b.done.CompareAndSwap(false, true) {
		b.release()
	}
	return err
}
