package warc

import (
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
)

// Capture is one URL's final outcome as the crawler hands it to the archive,
// before the outcome is committed.
type Capture struct {
	// Record is the record as decided (redacted text, findings, reason).
	Record *scruple.Record
	// Exchange is the HTTP exchange that produced it; nil when no request
	// was sent (robots.txt refusal, trap bound, guard) or none completed.
	Exchange *Exchange
	// Decider is the crawl's detector and policy: the archive screens raw
	// bodies with exactly the rules that decided the stored text.
	Decider *decide.Decider
}

// Ref names the WARC record a provenance log entry vouches for: the
// response, revisit or conversion of a capture, or its metadata record when
// nothing else was archived.
type Ref struct {
	// File is the WARC file's name (no directory).
	File string `json:"file"`
	// Offset and Length locate the record's gzip member in File.
	Offset int64 `json:"offset"`
	Length int64 `json:"length"`
	// RecordID is the record's WARC-Record-ID ("<urn:uuid:...>").
	RecordID string `json:"record_id"`
	// Type is the record's WARC-Type.
	Type string `json:"type"`
}

// plan turns a capture into drafts; principal is the index of the record a
// log entry names.
func (w *Writer) plan(c Capture) (drafts []*draft, principal int, err error) {
	r, ex := c.Record, c.Exchange
	if r == nil {
		return nil, 0, fmt.Errorf("warc: capture without a record")
	}
	if c.Decider == nil {
		return nil, 0, fmt.Errorf("warc: capture of %s without a decider", r.URL)
	}
	date := r.FetchedAt
	var req *draft
	if ex != nil && ex.Status > 0 {
		if !ex.Date.IsZero() {
			date = ex.Date
		}
		req = w.request(ex, date)
		drafts = append(drafts, req)
	}
	meta := newDraft(TypeMetadata, date)
	meta.add(fieldTargetURI, r.URL)
	meta.add(fieldContentType, ContentFields)
	f := fields{}
	f.add("scruple-record-kind", string(r.Kind))
	f.add("reason", scrubReason(r.Reason))
	if r.Status > 0 {
		f.add("http-status", strconv.Itoa(r.Status))
	}
	f.add("content-type", r.ContentType)
	f.add("location", r.Location)
	f.add("duplicate-of", r.DuplicateOf)
	if rb := r.Robots; rb != nil {
		f.add("robots-url", rb.URL)
		f.add("robots-rule", rb.Rule)
		f.add("robots-allowed", strconv.FormatBool(rb.Allowed))
		if rb.Digest != "" {
			f.add("robots-digest", "sha256:"+rb.Digest)
		}
	}
	f.add("policy-version", w.opt.PolicyVersion)
	f.add("detector-version", w.opt.DetectorVersion)

	if ex != nil && ex.Status > 0 && rawAllowed(r.Kind) {
		media, _, _ := mime.ParseMediaType(ex.Header.Get("Content-Type"))
		head := responseHead(ex)
		var s screenResult
		switch {
		case len(ex.Body) > 0 && !screenable(strings.ToLower(media)) && r.Kind != scruple.KindRedirect:
			s.drop = "content type " + strconv.Quote(media) + " cannot be screened for personal information"
		case !storedClean(r):
			s.drop = "the stored text needed redaction"
		case ex.Truncated != "":
			s.drop = "the body was not read whole"
		default:
			s = screenSession(c.Decider, head, ex.Body, ex.Header.Get("Content-Type"), cookieValues(ex.Header))
		}
		if s.clean {
			resp := w.response(ex, head, date, req)
			drafts = append(drafts, resp)
			return drafts, len(drafts) - 1, nil
		}
		f.add("not-archived-raw", s.why())
	}
	principal = -1
	if textual(r) {
		title, text, findings := warcText(r)
		conv := conversion(r.URL, text, date, req)
		principal = len(drafts)
		drafts = append(drafts, conv)
		meta.add(fieldRefersTo, conv.id)
		f.add("title", title)
		for _, fd := range findings {
			b, _ := json.Marshal(fd)
			f.add("finding", string(b))
		}
	}
	if req != nil {
		meta.add(fieldConcurrentTo, req.id)
	}
	meta.write(f.bytes())
	drafts = append(drafts, meta)
	if principal < 0 {
		principal = len(drafts) - 1
	}
	return drafts, principal, nil
}

// rawAllowed says which record kinds may ever have their response archived:
// public documents the crawl kept. Nonpublic, noindex, dropped, trap, error
// and other responses get a metadata record with the reason, never a body.
func rawAllowed(k scruple.Kind) bool {
	switch k {
	case scruple.KindPage, scruple.KindDuplicate, scruple.KindRedirect, scruple.KindSitemap:
		return true
	}
	return false
}

// textual reports whether the record carries stored text for a conversion
// record (a page or a duplicate whose text the policy decided).
func textual(r *scruple.Record) bool {
	return (r.Kind == scruple.KindPage || r.Kind == scruple.KindDuplicate) && (r.Text != "" || r.Title != "" || len(r.Findings) > 0)
}

// storedClean reports whether the stored text needed no redaction and holds
// no value kept under a consent.
func storedClean(r *scruple.Record) bool {
	for _, f := range r.Findings {
		if f.Action != string(decide.Keep) || f.Consent != "" || f.Subject != "" {
			return false
		}
	}
	return true
}

func (s screenResult) why() string {
	switch {
	case s.drop != "":
		return s.drop
	case len(s.types) > 0:
		return "the raw response holds personal information outside the stored text (" + strings.Join(s.types, ", ") + ")"
	}
	return "not screened"
}

// wireQuoting are the Go net/http and net/textproto error texts followed by
// bytes the server sent (a malformed header line holds a cookie as sent).
var wireQuoting = []string{
	"malformed MIME header line: ", "malformed MIME header: missing colon: ", "malformed MIME header initial line: ",
	"malformed HTTP response ", "malformed HTTP status code ", "malformed HTTP version ", "invalid header field",
	"bad Content-Length ", "bad trailer key", "invalid Trailer key ", "unsupported transfer encoding: ",
	"malformed continuation line: ", "invalid header ", "too many transfer encodings: ",
}

// scrubReason masks what a reason quotes from the server's bytes: after an
// error text that quotes them, the rest of the line up to a closing quote
// (or the end) is masked. The crawler's own reasons are kept.
func scrubReason(s string) string {
	for _, m := range wireQuoting {
		for off := 0; ; {
			i := strings.Index(s[off:], m)
			if i < 0 {
				break
			}
			start := off + i + len(m)
			end := len(s)
			if start < len(s) && s[start] == '"' {
				for j := start + 1; j < len(s); j++ {
					if s[j] == '\\' {
						j++
						continue
					}
					if s[j] == '"' {
						end = j + 1
						break
					}
				}
			} else if nl := strings.IndexAny(s[start:], "\r\n"); nl >= 0 {
				end = start + nl
			}
			s = s[:start] + MaskedValue + s[end:]
			off = start + len(MaskedValue)
		}
	}
	return s
}
