package fetch

import (
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
)

// Tracer records, through an httptrace.ClientTrace, what net/http sent
// and to whom: the connection's remote address and every header field
// written (Host included, which net/http writes itself), for archives
// (WARC-IP-Address and the request record).
type Tracer struct {
	mu     sync.Mutex
	remote string
	sent   http.Header
}

// NewTracer returns an empty Tracer.
func NewTracer() *Tracer { return &Tracer{sent: http.Header{}} }

// ClientTrace returns the trace to attach to a request's context.
func (e *Tracer) ClientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GotConn: func(ci httptrace.GotConnInfo) {
			if ci.Conn != nil {
				e.mu.Lock()
				e.remote = ci.Conn.RemoteAddr().String()
				e.mu.Unlock()
			}
		},
		WroteHeaderField: func(k string, vs []string) {
			if k == ":authority" {
				k = "Host"
			}
			if strings.HasPrefix(k, ":") {
				return // other HTTP/2 pseudo-headers
			}
			e.mu.Lock()
			e.sent[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
			e.mu.Unlock()
		},
	}
}

// Result returns the remote address and the header fields sent.
func (e *Tracer) Result() (string, http.Header) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.remote, e.sent.Clone()
}
