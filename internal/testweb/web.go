package testweb

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Web is a running synthetic web. Its methods are safe for concurrent use.
type Web struct {
	spec  Spec
	port  int
	hosts []*host
	names map[string]*host // by name and by IP
	log   requestLog

	catalog  []Entry
	expected map[string][]string

	servers   []*http.Server
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// host is one served site.
type host struct {
	web   *Web
	index int
	spec  HostSpec
	name  string
	ip    string
	res   map[string]*resource

	sitemapPaths []string // pages the sitemaps list

	robotsHits   atomic.Int64
	throttleHits atomic.Int64
	cookieSeq    atomic.Uint64
	cookieTag    string

	inflight    atomic.Int64
	maxInflight atomic.Int64
	served      atomic.Int64
}

// listenAttempts bounds the search for a port free on every address.
const listenAttempts = 10

// Start renders every page of spec into memory and serves each host on its
// own loopback address, all on one port. It fails if the spec is invalid or
// no port is free on every address.
func Start(spec Spec) (*Web, error) {
	ips, err := spec.validate()
	if err != nil {
		return nil, err
	}
	w := &Web{spec: spec, names: make(map[string]*host, 2*len(spec.Hosts))}
	w.log.disabled = spec.NoLog
	for i, hs := range spec.Hosts {
		h := &host{web: w, index: i, spec: hs.withDefaults(), name: hs.Name, ip: ips[i].String()}
		h.cookieTag = strconv.FormatUint(newRand(spec.Seed, "cookie "+h.name).Uint64()&0xffffffff, 16)
		w.hosts = append(w.hosts, h)
		w.names[h.name] = h
		w.names[h.ip] = h
	}
	listeners, port, err := listenAll(ips, spec.Port)
	if err != nil {
		return nil, err
	}
	w.port = port
	build(w)
	w.catalog, w.expected = simulate(w)
	for i, h := range w.hosts {
		srv := &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       30 * time.Second,
			ErrorLog:          nil,
		}
		w.servers = append(w.servers, srv)
		w.wg.Add(1)
		go func(l net.Listener) {
			defer w.wg.Done()
			_ = srv.Serve(l)
		}(listeners[i])
	}
	return w, nil
}

// listenAll listens on port (or, when port is 0, on one port free on every
// address) on each address.
func listenAll(ips []netip.Addr, port int) ([]net.Listener, int, error) {
	attempts := listenAttempts
	if port != 0 {
		attempts = 1
	}
	var lastErr error
	for a := 0; a < attempts; a++ {
		l0, err := net.Listen("tcp4", netip.AddrPortFrom(ips[0], uint16(port)).String())
		if err != nil {
			lastErr = err
			continue
		}
		p := l0.Addr().(*net.TCPAddr).Port
		ls := []net.Listener{l0}
		for _, ip := range ips[1:] {
			l, err := net.Listen("tcp4", netip.AddrPortFrom(ip, uint16(p)).String())
			if err != nil {
				lastErr = err
				break
			}
			ls = append(ls, l)
		}
		if len(ls) == len(ips) {
			return ls, p, nil
		}
		for _, l := range ls {
			l.Close()
		}
	}
	return nil, 0, fmt.Errorf("testweb: no port free on all %d addresses: %w", len(ips), lastErr)
}

// Close stops every server, closing their listeners and connections, and
// waits for them to return. It is safe to call more than once.
func (w *Web) Close() {
	w.closeOnce.Do(func() {
		for _, s := range w.servers {
			_ = s.Close()
		}
		w.wg.Wait()
	})
}

// Port returns the port every host listens on.
func (w *Web) Port() int { return w.port }

// Hosts returns the host names in spec order.
func (w *Web) Hosts() []string {
	out := make([]string, len(w.hosts))
	for i, h := range w.hosts {
		out[i] = h.name
	}
	return out
}

// IP returns the loopback address serving host (a name or an address), or "".
func (w *Web) IP(host string) string {
	if h := w.names[host]; h != nil {
		return h.ip
	}
	return ""
}

// Addr returns "IP:PORT" of host (a name or an address), or "".
func (w *Web) Addr(host string) string {
	if h := w.names[host]; h != nil {
		return net.JoinHostPort(h.ip, strconv.Itoa(w.port))
	}
	return ""
}

// URL returns http://NAME:PORT/path for host; path should start with "/".
func (w *Web) URL(host, path string) string {
	return "http://" + net.JoinHostPort(host, strconv.Itoa(w.port)) + path
}

// IPURL returns http://127.0.0.N:PORT/path for host (a name or an address), for
// tools that use the system resolver; "" if host is not in the web.
func (w *Web) IPURL(host, path string) string {
	if a := w.Addr(host); a != "" {
		return "http://" + a + path
	}
	return ""
}

// Seeds returns the root URL of every host, in spec order, in the form the
// pages link with (names, or addresses with Spec.IPLinks). The ground truth
// assumes a crawl seeded with them.
func (w *Web) Seeds() []string {
	out := make([]string, len(w.hosts))
	for i, h := range w.hosts {
		out[i] = w.abs(h, "/")
	}
	return out
}

// Resolver returns the web's host names mapped to their addresses.
func (w *Web) Resolver() Resolver {
	r := make(Resolver, len(w.hosts))
	for _, h := range w.hosts {
		r[h.name] = h.ip
	}
	return r
}

// Client returns an HTTP client that reaches the web through its Resolver,
// never uses a proxy and does not follow redirects. The caller should call
// CloseIdleConnections when done.
func (w *Web) Client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         w.Resolver().DialContext,
			DisableCompression:  true,
			MaxIdleConnsPerHost: 4,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// abs returns the absolute URL of path on h, in the link form of the spec.
func (w *Web) abs(h *host, path string) string {
	if w.spec.IPLinks {
		return "http://" + h.ip + ":" + strconv.Itoa(w.port) + path
	}
	return "http://" + h.name + ":" + strconv.Itoa(w.port) + path
}
