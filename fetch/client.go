package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// Config configures a Client.
type Config struct {
	// UserAgent is sent with every request.
	UserAgent string
	// AllowCIDRs opens ranges the guard would refuse (e.g. 127.0.0.0/8 for tests).
	AllowCIDRs []netip.Prefix
	// Resolver replaces the system resolver (tests map *.test to loopback).
	Resolver Resolver
	// Timeout bounds a whole request, body included (default 30s). A server
	// that trickles bytes is cut off here.
	Timeout time.Duration
	// ConnectTimeout bounds the TCP connect (default 10s).
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for response headers (default 15s).
	HeaderTimeout time.Duration
	// MaxBody caps the decompressed body (default 10 MiB).
	MaxBody int64
	// MaxHeaderBytes caps response headers (default 64 KiB).
	MaxHeaderBytes int64
	// MaxConnsPerHost bounds connections per host (0 = unlimited).
	MaxConnsPerHost int
}

func (c *Config) defaults() {
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 10 * time.Second
	}
	if c.HeaderTimeout <= 0 {
		c.HeaderTimeout = 15 * time.Second
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 10 << 20
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = 64 << 10
	}
}

// Client fetches URLs under scruple's rules: no cookies, no credentials, no
// proxy, no automatic redirects, decompressed bodies capped.
type Client struct {
	cfg  Config
	http *http.Client
}

// New builds a Client.
func New(cfg Config) *Client {
	cfg.defaults()
	d := &Dialer{Guard: NewGuard(cfg.AllowCIDRs), Resolver: cfg.Resolver, Timeout: cfg.ConnectTimeout}
	tr := &http.Transport{
		// Proxy is deliberately nil: an environment proxy would make the
		// connection to the proxy, not to the target, and bypass the guard.
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    16,
		MaxConnsPerHost:        cfg.MaxConnsPerHost,
		IdleConnTimeout:        60 * time.Second,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: cfg.MaxHeaderBytes,
		// We decompress ourselves so the body cap applies to the decompressed
		// stream (a 10 GB gzip bomb costs at most MaxBody) and brotli works.
		DisableCompression: true,
	}
	hc := &http.Client{
		Transport: credentialGuard{base: tr},
		Jar:       nil, // never a cookie jar: a crawl of public pages has no session
		CheckRedirect: func(*http.Request, []*http.Request) error {
			// Redirect targets are queued as URLs of their own, so each hop is
			// checked against scope, robots.txt and the guard, and recorded.
			return http.ErrUseLastResponse
		},
		Timeout: cfg.Timeout,
	}
	return &Client{cfg: cfg, http: hc}
}

// HTTPClient returns the underlying client (for robots.txt fetching, which
// follows redirects itself). It carries the same guard.
func (c *Client) HTTPClient() *http.Client { return c.http }

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Response is a fetched response with its decompressed body in memory. Bodies
// are never written to disk by this package.
type Response struct {
	Status      int
	Header      http.Header
	ContentType string // media type, lowercased, without parameters
	Body        []byte
	Digest      string // hex SHA-256 of Body
	Location    string // raw Location header of a redirect
	FetchedAt   time.Time
	// Proto is the response's protocol ("HTTP/1.1", "HTTP/2.0"); RemoteAddr
	// the server's ip:port; RequestHeader the header fields sent, Host
	// included. An archive (package warc) records them.
	Proto         string
	RemoteAddr    string
	RequestHeader http.Header
	// CredentialsSent reports whether a credential header field
	// (HasCredentials) was written on the wire: observed through the trace,
	// so the provenance log states a fact. The transport refuses such
	// requests, so it is false unless that refusal is broken.
	CredentialsSent bool
}

// ErrTooLarge reports a body over MaxBody after decompression.
var ErrTooLarge = errors.New("body exceeds the size limit")

// ErrHeaderTooLarge reports response headers over MaxHeaderBytes, and
// ErrEncoding a Content-Encoding this package cannot decode. Like
// ErrTooLarge they are properties of the response, not of the network: the
// same request fails the same way again, so callers need not retry.
var (
	ErrHeaderTooLarge = errors.New("response headers exceeded the size limit")
	ErrEncoding       = errors.New("unsupported Content-Encoding")
)

// ErrCredentials reports a URL carrying a user name or password.
var ErrCredentials = errors.New("URL carries credentials (user:password@); scruple never sends credentials")

// Get fetches u with GET. It returns an error for network failures, guard
// refusals (see IsBlocked), and bodies over the limit.
func (c *Client) Get(ctx context.Context, u *url.URL) (*Response, error) {
	if u.User != nil {
		return nil, ErrCredentials
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5")
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	tr := NewTracer()
	req = req.WithContext(httptrace.WithClientTrace(ctx, tr.ClientTrace()))
	resp, err := c.http.Do(req)
	if err != nil {
		err = cleanURLError(err)
		// net/http's error for MaxResponseHeaderBytes is unexported; its
		// text is the only way to tell it from a network failure.
		if strings.Contains(err.Error(), "server response headers exceeded") {
			return nil, ErrHeaderTooLarge
		}
		return nil, SafeError(err)
	}
	defer resp.Body.Close()
	out := &Response{Status: resp.StatusCode, Header: resp.Header, FetchedAt: time.Now(), Proto: resp.Proto}
	out.RemoteAddr, out.RequestHeader = tr.Result()
	out.CredentialsSent = HasCredentials(out.RequestHeader)
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil {
		out.ContentType = strings.ToLower(mt)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		out.Location = resp.Header.Get("Location")
		return out, nil
	}
	body, err := c.readBody(resp)
	if err != nil {
		return out, err
	}
	out.Body = body
	sum := sha256.Sum256(body)
	out.Digest = hex.EncodeToString(sum[:])
	return out, nil
}

// readBody decodes Content-Encoding and reads at most MaxBody decompressed bytes.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	r, err := decoder(resp.Header.Get("Content-Encoding"), resp.Body)
	if err != nil {
		return nil, err
	}
	if cl := resp.ContentLength; cl > c.cfg.MaxBody && resp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("%w (Content-Length %d > %d)", ErrTooLarge, cl, c.cfg.MaxBody)
	}
	// A body of known length is read into one buffer of that size (plus
	// the read-ahead bytes.Buffer keeps free); io.ReadAll grew from 512
	// bytes by doubling, allocating about twice the body and copying it.
	var bb bytes.Buffer
	if cl := resp.ContentLength; cl > 0 && cl <= c.cfg.MaxBody && resp.Header.Get("Content-Encoding") == "" {
		// At most 1 MiB ahead of the bytes: a Content-Length is the
		// server's word, not yet its bytes.
		bb.Grow(int(min(cl, 1<<20)) + bytes.MinRead)
	}
	_, err = bb.ReadFrom(io.LimitReader(r, c.cfg.MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", SafeError(cleanURLError(err)))
	}
	buf := bb.Bytes()
	if buf == nil {
		buf = []byte{} // an empty body is empty, not absent (as io.ReadAll)
	}
	if int64(len(buf)) > c.cfg.MaxBody {
		return nil, fmt.Errorf("%w (%d bytes after decompression)", ErrTooLarge, c.cfg.MaxBody)
	}
	return buf, nil
}

func decoder(enc string, body io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		return zr, nil
	case "deflate":
		// "deflate" is zlib-wrapped by the spec but raw DEFLATE on some servers.
		return newDeflateReader(body)
	case "br":
		return brotli.NewReader(body), nil
	}
	// The value is the server's: not quoted.
	return nil, ErrEncoding
}

func newDeflateReader(body io.Reader) (io.Reader, error) {
	var hdr [2]byte
	n, err := io.ReadFull(body, hdr[:])
	if err != nil {
		return nil, fmt.Errorf("deflate body: %w", err)
	}
	rest := io.MultiReader(strings.NewReader(string(hdr[:n])), body)
	// A zlib header: CMF with method 8 and (CMF*256+FLG) % 31 == 0.
	if hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
		return zlibReader(rest)
	}
	return flate.NewReader(rest), nil
}

// cleanURLError drops the URL from *url.Error: the caller records the URL
// (masked as needed) itself, and error strings must not carry query strings.
func cleanURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
