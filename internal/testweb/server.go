package testweb

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"
)

// role is what a correct crawler makes of a resource (see Class).
type role int

const (
	rolePage      role = iota // a public HTML page: keep it, follow its links
	roleNoIndex               // noindex: do not keep; follow links unless nofollow
	roleNonPublic             // login, paywall, 401/403: never keep, never follow
	roleRedirect              // 3xx: follow Location
	roleResource              // non-HTML
	roleError                 // 4xx/5xx
	roleInfra                 // robots.txt, sitemaps: not part of the catalog
	roleDropped               // public, but bulk personal data: the policy drops it
)

// link is an outgoing link of a page as a crawler sees it.
type link struct {
	host   *host  // target host; nil for raw links
	path   string // target path
	follow bool   // false for rel=nofollow
	raw    string // a link that is not a plain URL of the web (userinfo)
}

// resource is one pre-rendered response.
type resource struct {
	status int
	header http.Header // shared, read-only
	parts  [][]byte    // the body, written in order; parts may be shared
	size   int

	role      role
	nofollow  bool   // meta robots / X-Robots-Tag nofollow
	links     []link // for the ground truth
	location  link   // roleRedirect target
	dupGroup  string // members of a group have identical bodies
	canonical string
}

func newResource(status int, ctype string, body ...[]byte) *resource {
	r := &resource{status: status, header: http.Header{}, parts: body}
	if ctype != "" {
		r.header.Set("Content-Type", ctype)
	}
	for _, p := range body {
		r.size += len(p)
	}
	r.header.Set("Content-Length", strconv.Itoa(r.size))
	return r
}

// ServeHTTP answers one request from the host's pre-rendered resources.
func (h *host) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/__stats" {
		h.web.serveStats(rw)
		return
	}
	start := time.Now()
	h.begin()
	defer h.end()
	h.served.Add(1)

	res := h.route(req)
	reqHost := req.Host
	if hh, _, err := net.SplitHostPort(reqHost); err == nil {
		reqHost = hh
	}
	h.web.log.add(Request{
		Time:      start,
		Server:    h.name,
		Host:      reqHost,
		Path:      req.URL.RequestURI(),
		Method:    req.Method,
		UserAgent: req.UserAgent(),
		HadCookie: req.Header.Get("Cookie") != "",
		HadAuth:   req.Header.Get("Authorization") != "",
		Status:    res.status,
	})
	if d := h.spec.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
			return
		}
	}
	hdr := rw.Header()
	for k, v := range res.header {
		hdr[k] = v
	}
	hdr["Set-Cookie"] = []string{"session=" + h.cookieTag + "-" +
		strconv.FormatUint(h.cookieSeq.Add(1), 10) + "; Path=/; HttpOnly; SameSite=Lax"}
	rw.WriteHeader(res.status)
	if req.Method == http.MethodHead {
		return
	}
	for _, p := range res.parts {
		if _, err := rw.Write(p); err != nil {
			return
		}
	}
}

// route picks the resource that answers req, counting robots and throttle hits.
func (h *host) route(req *http.Request) *resource {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return h.res[pathMethodNotAllowed]
	}
	path := req.URL.Path
	if path == "/robots.txt" {
		switch h.spec.Robots.Status {
		case RobotsMissing:
			return h.res[pathNotFound]
		case RobotsUnavailable:
			return h.res[pathUnavailable]
		case RobotsRecovering:
			if h.robotsHits.Add(1) <= int64(h.spec.Robots.FailFirst) {
				return h.res[pathUnavailable]
			}
		}
	}
	if t := h.spec.Throttle; t.First > 0 {
		hit := path == t.Path
		if t.Path == "" {
			r := h.res[path]
			hit = r == nil || r.role != roleInfra
		}
		if hit && h.throttleHits.Add(1) <= int64(t.First) {
			return h.res[pathTooMany]
		}
	}
	if r := h.res[path]; r != nil && path[0] == '/' && (len(path) < 2 || path[1] != '!') {
		return r
	}
	return h.res[pathNotFound]
}

// Internal resource keys; they start with "/!" so no request path reaches them.
const (
	pathNotFound         = "/!404"
	pathUnavailable      = "/!503"
	pathTooMany          = "/!429"
	pathMethodNotAllowed = "/!405"
)

// Stats is the body of GET /__stats on any host.
type Stats struct {
	// Served is the number of requests served per host name (/__stats excluded).
	Served map[string]int64 `json:"served"`
	// Total is the sum of Served.
	Total int64 `json:"total"`
}

// Stats returns the requests served so far.
func (w *Web) Stats() Stats {
	s := Stats{Served: w.Served()}
	for _, n := range s.Served {
		s.Total += n
	}
	return s
}

func (w *Web) serveStats(rw http.ResponseWriter) {
	b, _ := json.Marshal(w.Stats())
	rw.Header().Set("Content-Type", "application/json")
	rw.Header().Set("Cache-Control", "no-store")
	_, _ = rw.Write(append(b, '\n'))
}
