package robots

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"

	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/urls"
)

// MaxRedirects is how many consecutive redirects Fetch follows. RFC 9309
// §2.3.1.2 says crawlers SHOULD follow at least five.
const MaxRedirects = 5

// DefaultFetchTimeout bounds a whole Fetch (all redirects and the body)
// when Fetcher.Timeout is zero.
const DefaultFetchTimeout = 30 * time.Second

// Fetcher downloads robots.txt files. The zero value is usable. A Fetcher
// is safe for concurrent use if its Client is.
type Fetcher struct {
	// Client performs the requests; nil means http.DefaultClient. Fetch uses
	// a shallow copy whose CheckRedirect stops at every redirect (so Fetch
	// can count them) and whose Jar is nil (so no cookies are sent).
	Client *http.Client
	// UserAgent is sent as the User-Agent header if non-empty. No other
	// header is added: no cookies and no Authorization are ever sent.
	UserAgent string
	// Timeout bounds the whole fetch including redirects; zero means
	// DefaultFetchTimeout.
	Timeout time.Duration
	// Now returns the current time for Result.FetchedAt; nil means time.Now.
	Now func() time.Time
	// MaskURL makes a URL fit to be quoted in Result.FinalURL, Reason and
	// Err, which reach records and the provenance log (a redirect target
	// is whatever the server wrote: userinfo, tokens, personal data); nil
	// means urls.Mask. The crawler adds its personal-identifier check.
	MaskURL func(string) string
}

// Result is the outcome of fetching one robots.txt.
type Result struct {
	// Robots is the policy to apply; never nil. It is the parsed file on
	// 2xx, AllowAll for 4xx and too many redirects, DisallowAll when
	// robots.txt is unreachable (5xx, 429, network error, timeout).
	Robots *Robots
	// URL is the robots.txt URL requested; FinalURL the last one fetched
	// after redirects, masked (Fetcher.MaskURL).
	URL, FinalURL string
	// Status is the last HTTP status code received, 0 if none.
	Status int
	// Digest is the hex SHA-256 of the body bytes read (at most MaxSize+1),
	// or "" when no body was read.
	Digest string
	// Size is the number of body bytes read; Truncated reports that the
	// body was longer than MaxSize, so only the first MaxSize bytes count.
	Size      int
	Truncated bool
	// FetchedAt is when the fetch started.
	FetchedAt time.Time
	// Err is the network or protocol error, if any.
	Err error
	// Reason is a short human explanation, e.g. "ok (200)" or
	// "robots.txt unavailable (503)".
	Reason string
	// Unreachable reports that robots.txt was unreachable (RFC 9309
	// §2.3.1.4): Robots disallows everything and the caller should retry
	// soon rather than cache the result for long.
	Unreachable bool
	// CredentialsSent reports whether a credential header field
	// (Authorization, Proxy-Authorization, Cookie) was written on the wire
	// in any request of the fetch, as observed by an httptrace. Fetch
	// sends none, so it is false unless that guarantee is broken.
	CredentialsSent bool
}

func (f *Fetcher) mask(u string) string {
	if f.MaskURL != nil {
		return f.MaskURL(u)
	}
	return urls.Mask(u)
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Fetch retrieves robotsURL and interprets the outcome per RFC 9309 §2.3:
//
//   - 2xx: the first MaxSize bytes are parsed (at most MaxSize+1 bytes are
//     read from the body; the rest is never read);
//   - 3xx with Location: followed, across hosts too, up to MaxRedirects
//     times; a further redirect means robots.txt is treated as unavailable
//     (RFC 9309 §2.3.1.2 allows assuming that), i.e. allow all, like 4xx;
//     so is a redirect to a URL with userinfo, which is never requested
//     (net/http would send its credentials as Authorization: Basic);
//   - 4xx including 401 and 403: unavailable, allow all (§2.3.1.3), except
//     429 Too Many Requests, which is treated like 5xx because the server
//     is asking us to back off;
//   - 5xx, other statuses (e.g. 3xx without Location), network errors,
//     timeouts and body read errors: unreachable, disallow all (§2.3.1.4);
//     Result.Unreachable is set and the caller should retry later.
//
// Fetch never returns nil and never panics on bad input; an invalid URL
// yields an unreachable Result with Err set.
func (f *Fetcher) Fetch(ctx context.Context, robotsURL string) *Result {
	res := &Result{URL: robotsURL, FinalURL: robotsURL, FetchedAt: f.now()}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	base := f.Client
	if base == nil {
		base = http.DefaultClient
	}
	client := *base
	client.Jar = nil
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	res.FinalURL = f.mask(robotsURL)
	cur := robotsURL
	for hops := 0; ; hops++ {
		// Every URL quoted below is masked: cur may be a redirect target.
		u, err := url.Parse(cur)
		if err == nil && u.Scheme != "http" && u.Scheme != "https" {
			err = fmt.Errorf("unsupported scheme %q", u.Scheme)
		}
		if err != nil {
			return res.unreachable(fmt.Errorf("robots: fetch %s: %w", f.mask(cur), cleanURLError(err)))
		}
		if u.User != nil {
			// Only a redirect gets here (the crawler refuses such URLs).
			return res.allowAll("robots.txt redirects to a URL with credentials: not followed, allow all")
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return res.unreachable(fmt.Errorf("robots: fetch %s: %w", f.mask(cur), cleanURLError(err)))
		}
		if f.UserAgent != "" {
			req.Header.Set("User-Agent", f.UserAgent)
		}
		tr := fetch.NewTracer()
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), tr.ClientTrace()))
		resp, err := client.Do(req)
		if _, sent := tr.Result(); fetch.HasCredentials(sent) {
			res.CredentialsSent = true
		}
		if err != nil {
			return res.unreachable(fmt.Errorf("robots: fetch %s: %w", f.mask(cur), cleanURLError(err)))
		}
		res.FinalURL, res.Status = f.mask(cur), resp.StatusCode
		code := resp.StatusCode
		loc := resp.Header.Get("Location")
		if code >= 300 && code < 400 && loc != "" {
			discard(resp.Body)
			if hops == MaxRedirects {
				return res.allowAll(fmt.Sprintf("more than %d redirects (%d)", MaxRedirects, code))
			}
			next, err := resp.Request.URL.Parse(loc)
			if err != nil {
				return res.allowAll(fmt.Sprintf("invalid redirect (%d)", code))
			}
			cur = next.String()
			continue
		}
		if code >= 200 && code < 300 {
			return res.read(resp)
		}
		resp.Body.Close()
		switch {
		case code == http.StatusTooManyRequests:
			return res.unavailable5xx(code)
		case code >= 400 && code < 500:
			return res.allowAll(fmt.Sprintf("no robots.txt (%d)", code))
		default:
			return res.unavailable5xx(code)
		}
	}
}

// read parses a 2xx body, reading at most MaxSize+1 bytes so that Parse
// can tell whether the cut falls on a line end.
func (res *Result) read(resp *http.Response) *Result {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxSize+1))
	res.Size = len(body)
	if len(body) > 0 {
		sum := sha256.Sum256(body)
		res.Digest = hex.EncodeToString(sum[:])
	}
	if err != nil {
		return res.unreachable(fmt.Errorf("robots: read %s: %w", res.FinalURL, cleanURLError(err)))
	}
	res.Truncated = len(body) > MaxSize
	res.Robots = Parse(body)
	res.Reason = fmt.Sprintf("ok (%d)", resp.StatusCode)
	if res.Truncated {
		res.Reason += fmt.Sprintf(", truncated to %d bytes", MaxSize)
	}
	return res
}

func (res *Result) allowAll(reason string) *Result {
	res.Robots, res.Reason = AllowAll(reason), reason
	return res
}

func (res *Result) unavailable5xx(code int) *Result {
	res.Reason = fmt.Sprintf("robots.txt unavailable (%d)", code)
	res.Robots, res.Unreachable = DisallowAll(res.Reason), true
	return res
}

func (res *Result) unreachable(err error) *Result {
	res.Err, res.Unreachable = err, true
	res.Robots = DisallowAll("robots.txt unreachable")
	what := "network error"
	if errors.Is(err, context.DeadlineExceeded) {
		what = "timeout"
	} else if errors.Is(err, context.Canceled) {
		what = "canceled"
	}
	res.Reason = "robots.txt unreachable (" + what + "): " + err.Error()
	return res
}

// cleanURLError drops the raw URL net/http puts into *url.Error (the caller
// names the URL masked) and any server bytes the error quotes
// (fetch.SafeError): its text becomes the record's reason.
func cleanURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fetch.SafeError(err)
}

// discard drains a little of a redirect body so the connection can be
// reused, then closes it.
func discard(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	body.Close()
}
