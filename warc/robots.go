package warc

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/urls"
)

// robotsCap bounds what is archived of one robots.txt body: RFC 9309 §2.5
// has crawlers parse at least 500 KiB, and the robots fetcher reads one byte
// more to tell whether the file is longer.
const robotsCap = 500<<10 + 1

// RobotsClient returns a copy of c that archives every exchange made with
// it: a request and a response record for each robots.txt fetch (each
// redirect hop too), the evidence that the rules were read. A robots.txt
// whose body or header holds personal information is archived as a
// conversion record of its redacted text instead, like a page; a fetch that
// fails before a response is a metadata record with the error. Archive
// errors do not fail the fetch (they stop the crawl at the next Sync).
func (w *Writer) RobotsClient(c *http.Client, d *decide.Decider) *http.Client {
	cp := *c
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = &robotsTransport{w: w, base: base, d: d}
	return &cp
}

type robotsTransport struct {
	w    *Writer
	base http.RoundTripper
	d    *decide.Decider
}

func (t *robotsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The target is named masked (urls.Mask, then the personal-identifier
	// check): a redirect hop's URL is whatever the server wrote, tokens and
	// phone numbers in its query included.
	ex := &Exchange{URL: maskURL(t.d, req.URL.String())}
	tr := fetch.NewTracer()
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), tr.ClientTrace()))
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		if !errorsIsCanceled(req.Context()) {
			t.w.robotsFailure(ex.URL, err)
		}
		return resp, err
	}
	ex.Proto, ex.Status, ex.Header = resp.Proto, resp.StatusCode, resp.Header.Clone()
	ex.RemoteAddr, ex.RequestHeader = tr.Result()
	resp.Body = &teeBody{rc: resp.Body, t: t, ex: ex, done: make(chan struct{})}
	return resp, nil
}

// maskURL is u fit to be named in an archive record.
func maskURL(d *decide.Decider, u string) string {
	m := urls.Mask(u)
	if d != nil {
		m, _ = d.URL(m)
	}
	return m
}

func errorsIsCanceled(ctx context.Context) bool { return ctx.Err() != nil }

// teeBody keeps what the robots fetcher reads and archives the exchange
// when the body is closed.
type teeBody struct {
	rc   io.ReadCloser
	t    *robotsTransport
	ex   *Exchange
	buf  bytes.Buffer
	eof  bool
	once sync.Once
	done chan struct{}
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 && b.buf.Len() < robotsCap {
		b.buf.Write(p[:min(n, robotsCap-b.buf.Len())])
	}
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *teeBody) Close() error {
	err := b.rc.Close()
	b.once.Do(func() {
		ex := b.ex
		ex.Body = b.buf.Bytes()
		ex.Date = time.Now()
		if !b.eof {
			ex.Truncated = "length"
		}
		b.t.w.robotsExchange(ex, b.t.d)
	})
	return err
}

// robotsExchange archives one robots.txt exchange; errors are sticky in
// the writer and surface at the next Sync.
func (w *Writer) robotsExchange(ex *Exchange, d *decide.Decider) {
	req := w.request(ex, ex.Date)
	drafts := []*draft{req}
	head := responseHead(ex)
	var s screenResult
	enc := strings.ToLower(strings.TrimSpace(ex.Header.Get("Content-Encoding")))
	switch {
	case d == nil:
		s.drop = "no policy to screen with"
	case enc != "" && enc != "identity":
		// The robots fetcher reads the body as sent; a content-coded body
		// was not decoded, so it could not be screened.
		s.drop = "content-coded body (" + enc + ") could not be screened"
	default:
		s = screenSession(d, head, ex.Body, ex.Header.Get("Content-Type"), cookieValues(ex.Header))
	}
	if s.clean {
		resp := w.response(ex, head, ex.Date, req)
		if ex.Truncated != "" {
			resp.add(fieldTruncated, ex.Truncated)
		}
		drafts = append(drafts, resp)
	} else {
		text := ""
		// Only a robots.txt body (2xx) is evidence worth its text; the
		// body of a redirect or an error page repeats the Location with
		// whatever secret it holds.
		if d != nil && len(ex.Body) > 0 && enc == "" && ex.Status >= 200 && ex.Status < 300 {
			p := d.Page("", string(bytes.ToValidUTF8(ex.Body, []byte("\uFFFD"))))
			// Values the policy keeps under a consent are masked as for a page.
			_, text, _ = warcText(&scruple.Record{Text: p.Text, Findings: p.Findings})
		}
		conv := conversion(ex.URL, text, ex.Date, req)
		meta := newDraft(TypeMetadata, ex.Date)
		meta.add(fieldTargetURI, ex.URL)
		meta.add(fieldContentType, ContentFields)
		meta.add(fieldRefersTo, conv.id)
		meta.add(fieldConcurrentTo, req.id)
		f := fields{}
		f.add("scruple-record-kind", "robots.txt")
		f.add("http-status", strconv.Itoa(ex.Status))
		f.add("not-archived-raw", s.why())
		meta.write(f.bytes())
		drafts = append(drafts, conv, meta)
	}
	w.archive(drafts)
}

// robotsFailure archives a robots.txt fetch that failed before a response:
// RFC 9309 then has the crawler disallow everything, and the record says
// why.
func (w *Writer) robotsFailure(uri string, err error) {
	meta := newDraft(TypeMetadata, time.Now())
	meta.add(fieldTargetURI, uri)
	meta.add(fieldContentType, ContentFields)
	f := fields{}
	f.add("scruple-record-kind", "robots.txt")
	f.add("reason", scrubReason("robots.txt unreachable: "+err.Error()))
	meta.write(f.bytes())
	w.archive([]*draft{meta})
}

func (w *Writer) archive(drafts []*draft) {
	b, err := w.build(drafts)
	if err == nil {
		_, err = w.append(b)
		w.release(b)
	}
	if err != nil {
		w.mu.Lock()
		if w.err == nil && !w.closed {
			w.err = err
		}
		w.mu.Unlock()
	}
}
