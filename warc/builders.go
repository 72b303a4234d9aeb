package warc

import (
	"sort"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
)

// request drafts the request record of an exchange.
func (w *Writer) request(ex *Exchange, date time.Time) *draft {
	d := newDraft(TypeRequest, date)
	d.add(fieldTargetURI, ex.URL)
	d.add(fieldContentType, ContentHTTPRequest)
	d.add(fieldIPAddress, ipOf(ex.RemoteAddr))
	d.add(fieldProtocol, protocol(ex.Proto))
	d.write(requestHead(ex))
	d.payload = 1 // a GET has an empty payload
	return d
}

// response drafts the response record of an exchange whose head and body
// passed the screen, or a revisit record when an identical payload is
// already archived (identical-payload-digest profile).
func (w *Writer) response(ex *Exchange, head []byte, date time.Time, req *draft) *draft {
	payload := sha256Digest(ex.Body)
	if orig, ok := w.dedup.get(payload); ok && len(ex.Body) > 0 {
		d := newDraft(TypeRevisit, date)
		d.add(fieldTargetURI, ex.URL)
		d.add(fieldContentType, ContentHTTPResponse)
		d.add(fieldIPAddress, ipOf(ex.RemoteAddr))
		d.add(fieldProtocol, protocol(ex.Proto))
		d.add(fieldProfile, RevisitProfile)
		d.add(fieldRefersTo, orig.id)
		d.add(fieldRefersToURI, orig.uri)
		d.add(fieldRefersToDate, orig.date)
		d.add(fieldPayloadDigest, payload)
		if req != nil {
			d.add(fieldConcurrentTo, req.id)
		}
		d.status, d.httpMime = ex.Status, ex.Header.Get("Content-Type")
		d.write(head)
		return d
	}
	d := newDraft(TypeResponse, date)
	d.add(fieldTargetURI, ex.URL)
	d.add(fieldContentType, ContentHTTPResponse)
	d.add(fieldIPAddress, ipOf(ex.RemoteAddr))
	d.add(fieldProtocol, protocol(ex.Proto))
	if req != nil {
		d.add(fieldConcurrentTo, req.id)
	}
	d.status, d.httpMime = ex.Status, ex.Header.Get("Content-Type")
	d.write(head)
	d.write(ex.Body)
	d.payload, d.payloadDigest = 1, payload
	return d
}

// conversion drafts the conversion record of a page: its stored,
// policy-applied text. WARC-Refers-To names the request, since no record
// holds the response it was converted from.
func conversion(uri, text string, date time.Time, req *draft) *draft {
	d := newDraft(TypeConversion, date)
	d.add(fieldTargetURI, uri)
	d.add(fieldContentType, ContentText)
	if req != nil {
		d.add(fieldRefersTo, req.id)
	}
	d.write([]byte(text))
	d.payload = 0 // the payload of a conversion record is its block (WARC 1.1 §6.3)
	return d
}

// Finding is one finding as a metadata record lists it: where it lies in
// the conversion record's text (or the title) and what the policy did.
// Values are never part of it.
type Finding struct {
	Type       string  `json:"type"`
	Field      string  `json:"field,omitempty"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Action     string  `json:"action"`
	Level      string  `json:"level,omitempty"`
	Sensitive  bool    `json:"sensitive"`
	Confidence float64 `json:"confidence"`
	// Consent names the consent a kept value was stored under; the value
	// itself is masked in the archive (Withheld).
	Consent  string `json:"consent,omitempty"`
	Withheld bool   `json:"withheld,omitempty"`
}

// warcText returns the title and text a WARC archives for a record, with
// their findings. It is the stored text with every value kept under a
// consent masked as a redaction would mask it: WARC files are append-only
// and cannot honour a withdrawal, so such values never enter them.
func warcText(r *scruple.Record) (title, text string, out []Finding) {
	var tf, xf []scruple.Finding
	for _, f := range r.Findings {
		if f.Field == "title" {
			tf = append(tf, f)
		} else {
			xf = append(xf, f)
		}
	}
	title, out = mask(r.Title, tf, "title", out)
	text, out = mask(r.Text, xf, "", out)
	return cleanValue(title), text, out
}

func mask(s string, fs []scruple.Finding, field string, out []Finding) (string, []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Start < fs[j].Start })
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Start < last || f.End > len(s) || f.Start > f.End {
			continue // not a span of this string: listed without a place
		}
		b.WriteString(s[last:f.Start])
		start := b.Len()
		withheld := f.Consent != "" || f.Subject != "" || f.Action != string(decide.Keep) && s[f.Start:f.End] != "["+f.Type+"]"
		if withheld {
			b.WriteString("[" + f.Type + "]")
		} else {
			b.WriteString(s[f.Start:f.End])
		}
		last = f.End
		out = append(out, Finding{Type: f.Type, Field: field, Start: start, End: b.Len(), Action: f.Action,
			Level: f.Level, Sensitive: f.Sensitive, Confidence: f.Confidence, Consent: f.Consent,
			Withheld: withheld && f.Action == string(decide.Keep)})
	}
	b.WriteString(s[last:])
	return b.String(), out
}

// fields is a warc-fields block (WARC 1.1 §7: "name: value" lines).
type fields struct{ b strings.Builder }

func (f *fields) add(name, value string) {
	if value == "" {
		return
	}
	f.b.WriteString(name)
	f.b.WriteString(": ")
	f.b.WriteString(cleanValue(value))
	f.b.WriteString("\r\n")
}

func (f *fields) bytes() []byte { return []byte(f.b.String()) }
