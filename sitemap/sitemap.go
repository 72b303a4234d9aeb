// Package sitemap parses sitemaps (sitemaps.org protocol 0.9): XML url sets,
// XML sitemap indexes and plain-text URL lists, gzip-compressed or not.
//
// Parsing is streaming and bounded: memory and time are proportional to
// Limits.MaxBytes however hostile the input, so a gzip bomb or an endless
// body costs at most MaxBytes of decompression. Parse never panics and
// always returns the URLs collected before any error.
package sitemap

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Kinds of sitemap reported in Sitemap.Kind.
const (
	KindURLSet = "urlset" // <urlset>: URLs are pages
	KindIndex  = "index"  // <sitemapindex>: URLs are further sitemaps
	KindText   = "text"   // one URL per line
)

// Defaults from the sitemaps.org protocol: at most 50,000 URLs and 50 MiB
// (uncompressed) per sitemap file.
const (
	DefaultMaxURLs  = 50_000
	DefaultMaxBytes = 50 << 20
)

// Errors wrapped by Parse. The Sitemap returned alongside any of them holds
// the URLs collected up to the failure.
var (
	// ErrTooLarge reports that the (decompressed) body exceeds MaxBytes;
	// reading stopped at the cap.
	ErrTooLarge = errors.New("sitemap exceeds byte limit")
	// ErrTooManyURLs reports more than MaxURLs entries; the first MaxURLs
	// are returned.
	ErrTooManyURLs = errors.New("sitemap exceeds URL limit")
	// ErrMalformed reports broken XML or a corrupt gzip stream.
	ErrMalformed = errors.New("malformed sitemap")
	// ErrNotSitemap reports XML whose root is neither <urlset> nor
	// <sitemapindex> (an HTML error page, a feed, ...).
	ErrNotSitemap = errors.New("not a sitemap")
)

// Sitemap is the result of Parse.
type Sitemap struct {
	// Kind is KindURLSet, KindIndex or KindText; empty when the input was
	// XML but not a sitemap.
	Kind string
	// URLs are the <loc> values (or text lines) in document order, with
	// surrounding white space trimmed and empty values dropped. They are
	// not validated or canonicalised: that is the caller's job.
	URLs []string
}

// Limits bounds the work Parse does. Zero or negative fields take the
// defaults: there is deliberately no "unlimited".
type Limits struct {
	// MaxURLs is the most URLs returned. Default DefaultMaxURLs.
	MaxURLs int
	// MaxBytes caps the bytes read, counted after decompression (and also
	// applied to the compressed stream). Default DefaultMaxBytes.
	MaxBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxURLs <= 0 {
		l.MaxURLs = DefaultMaxURLs
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}

// maxLineLen bounds one text line or <loc> value. Longer values cannot be
// URLs anyone crawls (see urls.DefaultMaxLength) and are skipped.
const maxLineLen = 16 << 10

// Parse reads one sitemap from r. Gzip is detected by its magic bytes
// (1f 8b), whatever the file name or Content-Type said. A body whose first
// non-blank character is '<' is parsed as XML (namespace- and
// case-insensitive, declared non-UTF-8 encodings transcoded); anything else
// is a text sitemap, from which lines beginning with http:// or https://
// are taken.
//
// Parse always returns a non-nil *Sitemap. On error it holds the URLs read
// so far and the error wraps ErrTooLarge, ErrTooManyURLs, ErrMalformed or
// ErrNotSitemap (or is the reader's own error).
func Parse(r io.Reader, limit Limits) (*Sitemap, error) {
	limit = limit.withDefaults()
	sm := &Sitemap{}
	raw := bufio.NewReader(&capReader{r: r, left: limit.MaxBytes})
	var body io.Reader = raw
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(raw)
		if err != nil {
			return sm, wrapReadErr(err, limit)
		}
		defer gz.Close()
		body = &capReader{r: gz, left: limit.MaxBytes}
	}
	br := bufio.NewReaderSize(body, maxLineLen)
	br, isXML, err := sniff(br)
	if err != nil {
		return sm, wrapReadErr(err, limit)
	}
	if isXML {
		err = parseXML(br, limit, sm)
	} else {
		sm.Kind = KindText
		err = parseText(br, limit, sm)
	}
	return sm, err
}

// wrapReadErr classifies an error from the reader stack or the XML
// decoder: the byte cap, corrupt gzip and broken XML get their sentinel;
// anything else is the caller's reader failing and is passed through.
func wrapReadErr(err error, limit Limits) error {
	var (
		corrupt flate.CorruptInputError
		syntax  *xml.SyntaxError
	)
	switch {
	case err == nil || err == io.EOF:
		return nil
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("sitemap: stopped at %d bytes: %w", limit.MaxBytes, ErrTooLarge)
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &corrupt):
		return fmt.Errorf("%w: compressed stream: %v", ErrMalformed, err)
	case errors.As(err, &syntax), strings.HasPrefix(err.Error(), "xml: "):
		// encoding/xml reports charset and structure problems as
		// plain errors prefixed "xml: "; reader errors pass unwrapped.
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return fmt.Errorf("sitemap: read: %w", err)
}

// capReader returns ErrTooLarge once more than left bytes are available.
// A body of exactly the limit still ends with a clean io.EOF, which is why
// it probes for one extra byte instead of just truncating.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
