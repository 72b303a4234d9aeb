package testweb

import (
	"sort"
	"sync"
	"time"
)

// Request is one request a host served, as logged when its handler started.
type Request struct {
	// Time is when the handler started (server clock).
	Time time.Time
	// Server is the name of the host whose server answered.
	Server string
	// Host is the host named by the Host header, without the port.
	Host string
	// Path is the request path with its query ("/p/1.html?x=1").
	Path string
	// Method is the request method.
	Method string
	// UserAgent is the User-Agent header.
	UserAgent string
	// HadCookie says whether the request carried a Cookie header.
	HadCookie bool
	// HadAuth says whether the request carried an Authorization header.
	HadAuth bool
	// Status is the status answered.
	Status int
}

// requestLog is the web's append-only request log.
type requestLog struct {
	mu       sync.Mutex
	reqs     []Request
	disabled bool
}

func (l *requestLog) add(r Request) {
	if l.disabled {
		return
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, r)
	l.mu.Unlock()
}

func (l *requestLog) snapshot() []Request {
	l.mu.Lock()
	out := make([]Request, len(l.reqs))
	copy(out, l.reqs)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// Requests returns a copy of the request log, ordered by the time handlers
// started.
// Requests to /__stats are not logged.
func (w *Web) Requests() []Request { return w.log.snapshot() }

// ByHost returns the logged requests served by host (a name or an address).
func (w *Web) ByHost(host string) []Request {
	h := w.names[host]
	if h == nil {
		return nil
	}
	var out []Request
	for _, r := range w.log.snapshot() {
		if r.Server == h.name {
			out = append(out, r)
		}
	}
	return out
}

// CountPath returns how many logged requests host (a name or an address)
// served for path. A path without "?" matches requests with any query.
func (w *Web) CountPath(host, path string) int {
	n := 0
	for _, r := range w.ByHost(host) {
		if r.Path == path || pathOnly(r.Path) == path {
			n++
		}
	}
	return n
}

// MaxConcurrent returns the largest number of requests host (a name or an
// address) had in flight at once, counted from handler start to the end of the
// response (including any Latency).
func (w *Web) MaxConcurrent(host string) int {
	if h := w.names[host]; h != nil {
		return int(h.maxInflight.Load())
	}
	return 0
}

// Served returns the number of requests each host served (logged or not),
// by host name.
func (w *Web) Served() map[string]int64 {
	out := make(map[string]int64, len(w.hosts))
	for _, h := range w.hosts {
		out[h.name] = h.served.Load()
	}
	return out
}

// MinInterval returns the shortest time between the starts of two successive
// requests host (a name or an address) served, and false if it served fewer
// than two.
func (w *Web) MinInterval(host string) (time.Duration, bool) {
	reqs := w.ByHost(host)
	if len(reqs) < 2 {
		return 0, false
	}
	times := make([]time.Time, len(reqs))
	for i, r := range reqs {
		times[i] = r.Time
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	min := times[1].Sub(times[0])
	for i := 2; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < min {
			min = d
		}
	}
	return min, true
}

// pathOnly strips the query from a logged path.
func pathOnly(p string) string {
	for i := 0; i < len(p); i++ {
		if p[i] == '?' {
			return p[:i]
		}
	}
	return p
}

// begin and end track requests in flight.
func (h *host) begin() {
	n := h.inflight.Add(1)
	for {
		m := h.maxInflight.Load()
		if n <= m || h.maxInflight.CompareAndSwap(m, n) {
			return
		}
	}
}

func (h *host) end() { h.inflight.Add(-1) }
